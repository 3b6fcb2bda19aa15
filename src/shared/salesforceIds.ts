/**
 * Salesforce record IDs: a three-character key prefix (00D an org, 005 a user), twelve more
 * characters, and an optional three-character suffix that makes the 18-character form.
 */

const idPattern = (prefix: string): string => `${prefix}[a-zA-Z0-9]{12}(?:[a-zA-Z0-9]{3})?`;

/** An org ID, 15 or 18 characters, as a regular expression source (no anchors). */
export const ORG_ID_PATTERN = idPattern('00D');
/** A user ID, 15 or 18 characters, as a regular expression source (no anchors). */
export const USER_ID_PATTERN = idPattern('005');

const ORG_ID = new RegExp(`^${ORG_ID_PATTERN}$`);
const USER_ID = new RegExp(`^${USER_ID_PATTERN}$`);

export const isOrgId = (value: string): boolean => ORG_ID.test(value);
export const isUserId = (value: string): boolean => USER_ID.test(value);

/** Whether two IDs name the same record: they compare on their case-sensitive 15-character form. */
export const sameSalesforceId = (a: string, b: string): boolean => a.slice(0, 15) === b.slice(0, 15);

import type { ClientCredentials } from '../oauth/tokenExchange.js';
import { LIFETIME_FIELD, leftoversOf, ownershipOf } from '../sf/authFields.js';
import { textOf } from '../sf/sfFiles.js';
import type { CoreAuthInfo } from '../extension/coreExtension.js';
import { loadMessages } from '../shared/messages.js';
import { sameSalesforceId } from '../shared/salesforceIds.js';
import { patchStoredAuth, type StoredAuth } from '../store/authFile.js';
import { checkRenewalUrl, LOGIN_URL_STAMP_FIELD, warnIfTlsUnchecked } from './destination.js';

const messages = loadMessages('renewal');

/** What a renewal needs of a login, decrypted. */
export type StoredLogin = {
  credentials: ClientCredentials;
  accessToken: string;
  lifetimeMs?: number;
  /** The org and user the stored token was issued for: a renewed token must be theirs. */
  orgId: string;
  userId: string;
};

/**
 * Brings an AuthInfo of the command's @salesforce/core up to date with the auth file as stored on
 * disk (core keeps an encrypted value as it is), and reads the login from it, decrypted by core.
 * Refuses, before a renewal can send the secret anywhere, a login URL the secret may not go to
 * (see destination.ts) and a login without the org and user IDs that a renewed token must match.
 */
export const loadLogin = (authInfo: CoreAuthInfo, username: string, stored: StoredAuth): StoredLogin => {
  authInfo.update(stored);
  const fields = authInfo.getFields(true);
  const clientId = textOf(fields.clientId);
  const clientSecret = textOf(fields.clientSecret);
  const accessToken = textOf(fields.accessToken);
  const loginUrl = (textOf(fields.loginUrl) ?? textOf(fields.instanceUrl) ?? '').replace(/\/+$/, '');
  if (!clientId || !clientSecret || !accessToken || !loginUrl) throw messages.createError('error.MissingCredentials', [username]);
  checkRenewalUrl(username, loginUrl, clientSecret, stored[LOGIN_URL_STAMP_FIELD]);
  // From the file itself: core's AuthInfo keeps fields the file no longer has.
  const orgId = textOf(stored.orgId);
  const userId = textOf(stored.userId);
  if (!orgId || !userId) throw messages.createError('error.MissingIds', [username]);
  warnIfTlsUnchecked();
  const lifetime = fields[LIFETIME_FIELD];
  return {
    credentials: { clientId, clientSecret, loginUrl },
    accessToken,
    lifetimeMs: typeof lifetime === 'number' && lifetime > 0 ? lifetime : undefined,
    orgId,
    userId,
  };
};

/** Whether an auth file still holds the login a renewal read: same token, consumer key, secret and login URL. */
export const sameLogin = (current: StoredAuth, read: StoredAuth): boolean =>
  ['accessToken', 'clientId', 'clientSecret', 'loginUrl'].every((field) => current[field] === read[field]);

/** Whether a stored ID names the same record as b; a missing one matches nothing. */
export const sameId = (a: string | undefined, b: string): boolean => a !== undefined && sameSalesforceId(a, b);

/**
 * Removes what is left of this plugin's login from an auth file that another login has taken over
 * (its fields, and its consumer key and secret where the other login does not use them), if the
 * file is still as read. Returns whether it removed anything.
 */
export const disown = async (username: string, read: StoredAuth): Promise<boolean> => {
  const fields = leftoversOf(read);
  if (fields.length === 0) return false;
  const patch = Object.fromEntries(fields.map((field) => [field, undefined]));
  const written = await patchStoredAuth(username, patch, (current) => ownershipOf(current) === 'replaced' && sameLogin(current, read));
  return written !== undefined;
};

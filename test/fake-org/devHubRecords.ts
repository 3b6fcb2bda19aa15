/** The Dev Hub's records: the fields of ScratchOrgInfo and ActiveScratchOrg, and the checks Salesforce makes on a signup insert. */
export type Row = Record<string, string | number | boolean | null>;

export type InsertError = { status: number; errorCode: string; message: string; fields?: string[] };

/** Fields of ScratchOrgInfo a signup request may set (what @salesforce/core's insert can carry). */
const INSERTABLE = [
  'AdminEmail', 'ConnectedAppCallbackUrl', 'ConnectedAppConsumerKey', 'Country', 'Description', 'DurationDays', 'Edition',
  'Features', 'HasSampleData', 'Language', 'Namespace', 'OrgName', 'Package2AncestorIds', 'Release', 'Snapshot', 'SourceOrg',
  'Template', 'Username',
];

/** The read-only fields Salesforce keeps on a ScratchOrgInfo record. */
const SYSTEM_FIELDS = [
  'Id', 'OwnerId', 'IsDeleted', 'Name', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp',
  'LastViewedDate', 'LastReferencedDate', 'AuthCode', 'ErrorCode', 'ExpirationDate', 'LoginUrl', 'ScratchOrg', 'SignupCountry',
  'SignupEmail', 'SignupInstance', 'SignupLanguage', 'SignupTrialDays', 'SignupUsername', 'Status',
];

export const SCRATCH_ORG_INFO_FIELDS = [...SYSTEM_FIELDS, ...INSERTABLE].sort((a, b) => (a === 'Id' ? -1 : b === 'Id' ? 1 : a.localeCompare(b)));

export const ACTIVE_SCRATCH_ORG_FIELDS = [
  'Id', 'OwnerId', 'IsDeleted', 'Name', 'CreatedDate', 'CreatedById', 'LastModifiedDate', 'LastModifiedById', 'SystemModstamp',
  'LastViewedDate', 'LastReferencedDate', 'Description', 'Edition', 'ExpirationDate', 'Features', 'Namespace', 'OrgName', 'ScratchOrg',
  'ScratchOrgInfoId', 'SignupEmail', 'SignupInstance', 'SignupTrialDays', 'SignupUsername',
];

const EDITIONS = ['Developer', 'Enterprise', 'Group', 'Professional', 'Partner Developer', 'Partner Enterprise', 'Partner Group', 'Partner Professional'];

/** The instance new scratch orgs are signed up on: a Hyperforce-style name ending in "S", so @salesforce/core logs in at LoginUrl. */
export const SIGNUP_INSTANCE = 'USA256S';

/** Salesforce's datetime format: `2026-12-01T10:00:00.000+0000`. */
export const sfDateTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');
export const sfDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The fields of a signup insert, checked as Salesforce checks them: the REST error it would answer, else the fields by their API names. */
export function readInsert(input: Record<string, unknown>): { fields: Record<string, unknown>; edition: string | null; days: number } | InsertError {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (key === 'attributes') continue;
    const name = INSERTABLE.find((f) => f.toLowerCase() === key.toLowerCase());
    if (!name) {
      const readOnly = SYSTEM_FIELDS.find((f) => f.toLowerCase() === key.toLowerCase());
      return readOnly
        ? { status: 400, errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', message: `Unable to create/update fields: ${readOnly}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, fields: [readOnly] }
        : { status: 400, errorCode: 'INVALID_FIELD', message: `No such column '${key}' on sobject of type ScratchOrgInfo` };
    }
    fields[name] = value;
  }
  let edition: string | null = null;
  if (fields.Edition !== undefined && fields.Edition !== null && fields.Edition !== '') {
    edition = EDITIONS.find((e) => e.toLowerCase() === String(fields.Edition).toLowerCase()) ?? null;
    if (!edition) return { status: 400, errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', message: `Edition: bad value for restricted picklist field: ${String(fields.Edition)}`, fields: ['Edition'] };
  } else if (!fields.SourceOrg && !fields.Snapshot && !fields.Template) {
    return { status: 400, errorCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Edition]', fields: ['Edition'] };
  }
  const days = fields.DurationDays === undefined || fields.DurationDays === null ? 7 : Number(fields.DurationDays);
  if (!Number.isInteger(days) || days < 1 || days > 30) {
    return { status: 400, errorCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'Duration Days: value outside of valid range on numeric field: ' + String(fields.DurationDays), fields: ['DurationDays'] };
  }
  return { fields, edition, days };
}

/** The ActiveScratchOrg record of a signup that just turned Active. */
export function activeScratchOrgRow(activeId: string, row: Row, stamp: string): Row {
  return {
    ...Object.fromEntries(ACTIVE_SCRATCH_ORG_FIELDS.map((f) => [f, null])),
    Id: activeId,
    OwnerId: row.OwnerId,
    IsDeleted: false,
    Name: row.Name,
    CreatedDate: stamp,
    CreatedById: row.CreatedById,
    LastModifiedDate: stamp,
    LastModifiedById: row.CreatedById,
    SystemModstamp: stamp,
    Description: row.Description,
    Edition: row.Edition,
    ExpirationDate: row.ExpirationDate,
    Features: row.Features,
    Namespace: row.Namespace,
    OrgName: row.OrgName,
    ScratchOrg: row.ScratchOrg,
    ScratchOrgInfoId: row.Id,
    SignupEmail: row.SignupEmail,
    SignupInstance: SIGNUP_INSTANCE,
    SignupTrialDays: row.SignupTrialDays,
    SignupUsername: row.SignupUsername,
  };
}

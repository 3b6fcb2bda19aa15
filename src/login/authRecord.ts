import type { AuthFields } from '@salesforce/core';
import { StateAggregator } from '@salesforce/core/stateAggregator';
import type { ClientCredentials, IssuedToken } from '../oauth/tokenExchange.js';
import { LOGIN_URL_STAMP_FIELD, loginUrlStamp } from '../renewal/destination.js';
import { EXPIRY_FIELD, LIFETIME_FIELD, stampsFor } from '../sf/authFields.js';
import { keyFilePath } from '../sf/sfFiles.js';
import { loadMessages } from '../shared/messages.js';
import type { StoredAuth } from '../store/authFile.js';
import { ensureAliasFile } from '../store/aliases.js';
import { withFileLock } from '../store/files.js';
import { registerLogin, type AliasAndDefaults, type Registration } from '../store/registration.js';
import type { OrgInfo } from './orgInfo.js';

const messages = loadMessages('registration');

/**
 * The auth record of a login: the fields sf's token logins store, plus what renewal needs, encrypted
 * by sf's @salesforce/core (in the bundle, every import of core is sf's own: see
 * extension/hostCore.ts), then handed to the store (store/registration.ts), which writes the auth
 * file, the alias and the defaults.
 */

/** Everything a login has learned, ready to be stored. */
export type LoginRecord = AliasAndDefaults & {
  credentials: ClientCredentials;
  token: IssuedToken;
  org: OrgInfo;
  /** Token expiry, epoch ms. */
  expiresAt: number;
  /** Lifetime of a fresh token, ms, when the org told. */
  lifetimeMs?: number;
};

/** An auth file's fields both ways: as they will be stored (encrypted) and in clear, for the result. */
type EncryptedAuth = { stored: StoredAuth; fields: AuthFields & Record<string, unknown> };

/**
 * Encrypts a login's auth fields with @salesforce/core, in memory: nothing is written, and no
 * request is sent. This is what AuthInfo.create does with a token (read the previous auth file of
 * the username, merge the fields in, core encrypting its secret fields as they are set), through
 * core's StateAggregator alone: the login never loads AuthInfo, and jsforce with it, which is about
 * a quarter of a second of module loading. From a previous auth file of the same username it keeps
 * what core keeps, minus the credentials of another kind of login (they would change how sf uses
 * this auth). The result carries this plugin's stamps.
 *
 * The read is done under a lock on the key file: it creates the encryption key when there is none,
 * and the first logins on a machine, run in parallel, would otherwise each create their own and
 * all but one auth file become unreadable.
 */
const encryptAuthFields = async (fields: Record<string, unknown> & { username: string }): Promise<EncryptedAuth> => {
  const { orgs } = await StateAggregator.getInstance();
  const { username } = fields;
  await withFileLock(keyFilePath(), () => orgs.read(username, false, false));
  orgs.update(username, { ...fields, refreshToken: undefined, privateKey: undefined, authCode: undefined } as AuthFields);
  const encrypted = { ...(orgs.get(username, false) as StoredAuth) };
  // core leaves the fields in clear when it could not open the auth file with its key (it logs the
  // cause at debug level only): such fields must never be written.
  for (const secret of ['accessToken', 'clientSecret'] as const) {
    if (typeof encrypted[secret] !== 'string' || encrypted[secret] === fields[secret]) throw messages.createError('error.NotEncrypted', [username]);
  }
  const stamps = stampsFor(encrypted);
  orgs.update(username, stamps as AuthFields);
  return { stored: { ...encrypted, ...stamps }, fields: orgs.get(username, true) as AuthFields & Record<string, unknown> };
};

/** The auth fields to store: what a token login stores, plus the credentials renewal needs. */
const authFieldsOf = ({ credentials, token, org, expiresAt, lifetimeMs }: LoginRecord): Record<string, unknown> & { username: string } => ({
  accessToken: token.accessToken,
  instanceUrl: token.instanceUrl,
  loginUrl: credentials.loginUrl,
  username: org.username,
  orgId: org.orgId,
  userId: org.userId,
  isDevHub: org.isDevHub,
  ...org.organization,
  namespacePrefix: org.organization?.namespacePrefix ?? null,
  clientId: credentials.clientId,
  clientSecret: credentials.clientSecret,
  // The login URL renewal may send the secret to, even when it is neither a My Domain nor this machine (see renewal/destination.ts).
  [LOGIN_URL_STAMP_FIELD]: loginUrlStamp(credentials.clientSecret, credentials.loginUrl),
  [EXPIRY_FIELD]: expiresAt,
  [LIFETIME_FIELD]: lifetimeMs,
  // core's API version cache: for a day, sf commands on this org neither ask the org for its
  // versions nor rewrite the auth file (in place) to remember them. core reads the date with
  // Date.parse; an ISO date parses in every locale, and costs no ICU start-up (toLocaleString: 10 ms).
  ...(org.apiVersion ? { instanceApiVersion: org.apiVersion, instanceApiVersionLastRetrieved: new Date().toISOString() } : {}),
});

/**
 * Stores a login in the sf auth store: its fields encrypted by @salesforce/core, then written with
 * the alias and the defaults (see store/registration.ts). Returns the fields in clear, for the result.
 */
export const storeLoginRecord = async (record: LoginRecord): Promise<Registration & { fields: AuthFields & Record<string, unknown> }> => {
  // core creates a missing alias.json when it first reads its state (encryptAuthFields, below),
  // without a lock: parallel logins must find one made atomically under the lock instead. This is
  // the one call of the login: it must come before core's first read, and registerLogin, later,
  // finds the file there.
  await ensureAliasFile();
  const { stored, fields } = await encryptAuthFields(authFieldsOf(record));
  const registration = await registerLogin({
    username: record.org.username,
    stored,
    alias: record.alias,
    setDefault: record.setDefault,
    setDefaultDevHub: record.setDefaultDevHub,
  });
  return { ...registration, fields };
};

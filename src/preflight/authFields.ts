import { createHash } from 'node:crypto';

/** The field names @salesforce/core encrypts (AuthInfoConfig.encryptedKeys): none of the plugin's may match. */
export const CORE_ENCRYPTED_NAMES = [/token/i, /password/i, /secret/i];

/**
 * The auth file fields this plugin adds, and how it tells its own logins from others. None of the
 * names contains "token", "password" or "secret", the words that make @salesforce/core encrypt a
 * field, so the hook reads them without decrypting anything. (clientSecret, which does, is
 * encrypted by core.)
 */

/** Expiry of the stored access token, epoch milliseconds. */
export const EXPIRY_FIELD = 'clientCredentialsExpiry';

/** How long a fresh token of this org lives, milliseconds, as learned at login. */
export const LIFETIME_FIELD = 'clientCredentialsLifetime';

/**
 * A fingerprint of the access token this plugin stored, as stored (encrypted). @salesforce/core
 * keeps an encrypted value as it is until the value changes, so the fingerprint matches for as
 * long as nobody else has logged in to the org: another login method (sf org login access-token,
 * web, jwt) writes a new token into the same file and keeps this plugin's fields, and the
 * fingerprint then tells the plugin that the login is no longer its own.
 */
export const STAMP_FIELD = 'clientCredentialsStamp';

/** A fingerprint of the client secret this plugin stored, as stored (encrypted). */
export const SECRET_STAMP_FIELD = 'clientCredentialsKeyStamp';

/** The consumer key this plugin stored (not a secret: core keeps it in clear as clientId). */
export const CONSUMER_KEY_FIELD = 'clientCredentialsConsumerKey';

/** Every field this plugin owns in an auth file, besides clientId and clientSecret. */
export const PLUGIN_FIELDS = [EXPIRY_FIELD, LIFETIME_FIELD, STAMP_FIELD, SECRET_STAMP_FIELD, CONSUMER_KEY_FIELD] as const;

const fingerprint = (...parts: unknown[]): string =>
  createHash('sha256')
    .update(parts.map((part) => (typeof part === 'string' ? part : '')).join('\n'))
    .digest('hex')
    .slice(0, 32);

/** The fingerprint of an access token as stored (the encrypted value of the auth file). */
export const tokenStamp = (storedAccessToken: unknown): string => fingerprint('token', storedAccessToken);

/** The fingerprint of a client secret as stored (the encrypted value of the auth file). */
export const secretStamp = (storedClientSecret: unknown): string => fingerprint('secret', storedClientSecret);

/** The plugin's marks for an auth file whose stored (encrypted) fields are these. */
export const stampsFor = (stored: Record<string, unknown>): Record<string, string> => ({
  [STAMP_FIELD]: tokenStamp(stored.accessToken),
  [SECRET_STAMP_FIELD]: secretStamp(stored.clientSecret),
  [CONSUMER_KEY_FIELD]: typeof stored.clientId === 'string' ? stored.clientId : '',
});

const ownSecret = (stored: Record<string, unknown>): boolean =>
  typeof stored.clientSecret === 'string' && stored[SECRET_STAMP_FIELD] === secretStamp(stored.clientSecret);
const ownClientId = (stored: Record<string, unknown>): boolean =>
  typeof stored.clientId === 'string' && stored.clientId !== '' && stored.clientId === stored[CONSUMER_KEY_FIELD];

export type Ownership =
  /** Not a login of this plugin, and nothing of it is left. */
  | 'none'
  /** A login of this plugin, as it stored it: it renews it. */
  | 'ours'
  /** This plugin's fields are there, but another login has replaced the token since: it renews nothing. */
  | 'replaced';

/** Whose login an auth file holds, from its stored fields alone (nothing is decrypted). */
export const ownershipOf = (stored: Record<string, unknown> | undefined): Ownership => {
  if (!stored || !PLUGIN_FIELDS.some((field) => field in stored)) return 'none';
  // A login of the plugin's first release (0.1), from before the stamps: taken as its own, and
  // stamped at its next renewal.
  const legacy = !(STAMP_FIELD in stored) && typeof stored[EXPIRY_FIELD] === 'number' && typeof stored.clientSecret === 'string';
  if (legacy) return 'ours';
  const ours =
    typeof stored[EXPIRY_FIELD] === 'number' &&
    typeof stored.accessToken === 'string' &&
    stored[STAMP_FIELD] === tokenStamp(stored.accessToken) &&
    ownSecret(stored) &&
    ownClientId(stored);
  return ours ? 'ours' : 'replaced';
};

/**
 * What to remove from an auth file that another login has taken over: this plugin's fields, the
 * client secret when it is still the one this plugin stored, and the consumer key when it is still
 * this plugin's and the other login does not need one (a login of another kind with its own
 * connected app keeps its own).
 */
export const leftoversOf = (stored: Record<string, unknown>): string[] => {
  const fields: string[] = PLUGIN_FIELDS.filter((field) => field in stored);
  if (ownSecret(stored)) fields.push('clientSecret');
  // A refresh token or a JWT key needs its consumer key; an access-token login uses none.
  if (ownClientId(stored) && stored.refreshToken === undefined && stored.privateKey === undefined) fields.push('clientId');
  return fields;
};

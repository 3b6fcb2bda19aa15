import { createHash } from 'node:crypto';

/**
 * The auth file fields this plugin adds, and how it tells its own logins from others.
 *
 * The consumer key and secret are kept in fields of the plugin's own, not in core's clientId and
 * clientSecret: to @salesforce/core the login is a plain access-token auth, so core never sends
 * the secret anywhere, never copies it into the auth file of a scratch org the org creates as a
 * Dev Hub, never puts it in an sfdx auth URL, and signs scratch orgs up through sf's own app.
 *
 * Only the secret's field name contains "secret", one of the words that make core encrypt a field
 * (its AuthInfoConfig.encryptedKeys: token, password, secret); the others are plain, so the hook
 * reads them without decrypting anything.
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

/** The consumer key (client ID) of the connected app. */
export const CONSUMER_KEY_FIELD = 'clientCredentialsConsumerKey';

/** The consumer secret (client secret), encrypted by core. */
export const CLIENT_SECRET_FIELD = 'clientCredentialsSecret';

/** The plugin's fields that core keeps in clear. */
export const PLAIN_FIELDS = [EXPIRY_FIELD, LIFETIME_FIELD, STAMP_FIELD, CONSUMER_KEY_FIELD] as const;

/** Every field this plugin owns in an auth file. */
export const PLUGIN_FIELDS = [...PLAIN_FIELDS, CLIENT_SECRET_FIELD] as const;

/** The fingerprint of an access token as stored (the encrypted value of the auth file). */
export const tokenStamp = (storedAccessToken: unknown): string =>
  createHash('sha256')
    .update(`token\n${typeof storedAccessToken === 'string' ? storedAccessToken : ''}`)
    .digest('hex')
    .slice(0, 32);

/**
 * A login of the plugin's first release (0.1), from before the stamps: its consumer key and
 * secret are in core's clientId and clientSecret. It is taken as the plugin's own, and moved to
 * the plugin's fields at its next renewal.
 */
export const isLegacyLogin = (stored: Record<string, unknown>): boolean =>
  !(STAMP_FIELD in stored) && !(CLIENT_SECRET_FIELD in stored) && typeof stored[EXPIRY_FIELD] === 'number' && typeof stored.clientSecret === 'string';

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
  if (isLegacyLogin(stored)) return 'ours';
  const ours =
    typeof stored[EXPIRY_FIELD] === 'number' &&
    typeof stored.accessToken === 'string' &&
    stored[STAMP_FIELD] === tokenStamp(stored.accessToken) &&
    typeof stored[CLIENT_SECRET_FIELD] === 'string' &&
    typeof stored[CONSUMER_KEY_FIELD] === 'string';
  return ours ? 'ours' : 'replaced';
};

/** What to remove from an auth file that another login has taken over: this plugin's fields, nothing of core's. */
export const leftoversOf = (stored: Record<string, unknown>): string[] => PLUGIN_FIELDS.filter((field) => field in stored);

import { createHash } from 'node:crypto';

/**
 * The auth file fields this plugin adds, and how it tells its own logins from others.
 *
 * The consumer key and secret are kept in core's own clientId and clientSecret: every sf command
 * already treats clientSecret as a secret (sf org list and display leave it out, core encrypts
 * it). None of the plugin's field names contains "token", "password" or "secret", the words that
 * make core encrypt a field (AuthInfoConfig.encryptedKeys), so the hook reads them without
 * decrypting anything.
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
const STAMP_FIELD = 'clientCredentialsStamp';

/** A fingerprint of the client secret this plugin stored, as stored (encrypted). */
const KEY_STAMP_FIELD = 'clientCredentialsKeyStamp';

/** The consumer key this plugin stored in clientId (not a secret: core keeps clientId in clear). */
const CONSUMER_KEY_FIELD = 'clientCredentialsConsumerKey';

/**
 * When this plugin stored the token, epoch milliseconds by this machine's clock (the expiry is by
 * the org's clock): bounds how often the token is renewed before commands (see isRenewalDue).
 */
export const STORED_AT_FIELD = 'clientCredentialsStoredAt';

/**
 * The stamp of the login URL (see loginUrlStamp in renewal/destination.ts): not a secret, and named
 * so that core does not encrypt it.
 */
export const LOGIN_URL_STAMP_FIELD = 'clientCredentialsUrlStamp';

/** Every field this plugin owns in an auth file, besides clientId and clientSecret. */
export const PLUGIN_FIELDS = [EXPIRY_FIELD, LIFETIME_FIELD, STAMP_FIELD, KEY_STAMP_FIELD, CONSUMER_KEY_FIELD, STORED_AT_FIELD, LOGIN_URL_STAMP_FIELD] as const;

const fingerprint = (kind: string, stored: unknown): string =>
  createHash('sha256')
    .update(`${kind}\n${typeof stored === 'string' ? stored : ''}`)
    .digest('hex')
    .slice(0, 32);

/** The fingerprint of an access token as stored (the encrypted value of the auth file). */
const tokenStamp = (storedAccessToken: unknown): string => fingerprint('token', storedAccessToken);

/** The fingerprint of a client secret as stored (the encrypted value of the auth file). */
const keyStamp = (storedClientSecret: unknown): string => fingerprint('secret', storedClientSecret);

/** The plugin's marks for an auth file whose stored (encrypted) fields are these, stored now. */
export const stampsFor = (stored: Record<string, unknown>, now = Date.now()): Record<string, string | number> => ({
  [STAMP_FIELD]: tokenStamp(stored.accessToken),
  [KEY_STAMP_FIELD]: keyStamp(stored.clientSecret),
  [CONSUMER_KEY_FIELD]: typeof stored.clientId === 'string' ? stored.clientId : '',
  [STORED_AT_FIELD]: now,
});

const ownSecret = (stored: Record<string, unknown>): boolean =>
  typeof stored.clientSecret === 'string' && stored[KEY_STAMP_FIELD] === keyStamp(stored.clientSecret);
const ownClientId = (stored: Record<string, unknown>): boolean =>
  typeof stored.clientId === 'string' && stored.clientId !== '' && stored.clientId === stored[CONSUMER_KEY_FIELD];

/*
 * No exception for logins of the first release (0.1), which stored only clientCredentialsExpiry
 * and clientCredentialsLifetime beside core's clientId and clientSecret, and no stamp: once core
 * merges a web, JWT or access-token login into such a file, those fields are all still there, with
 * the other login's token and often its clientId, and nothing in the file tells the two apart (0.1
 * kept no copy of its consumer key to compare with). Taking them as the plugin's renewed other
 * logins, with their consumer key; such a file now counts as replaced: the plugin removes its two
 * fields and renews nothing, and a new login stamps it.
 */

export type Ownership =
  /** Not a login of this plugin, and nothing of it is left. */
  | 'none'
  /** A login of this plugin, as it stored it: it renews it. */
  | 'ours'
  /** This plugin's fields are there, but another login has replaced the login since: it renews nothing. */
  | 'replaced';

/** Whose login an auth file holds, from its stored fields alone (nothing is decrypted). */
export const ownershipOf = (stored: Record<string, unknown> | undefined): Ownership => {
  if (!stored || !PLUGIN_FIELDS.some((field) => field in stored)) return 'none';
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

/**
 * Names of the auth file fields this plugin adds. None contains "token", "password" or "secret",
 * the words that make @salesforce/core encrypt a field, so the renewal hook reads them without
 * decrypting anything. (clientSecret, which does, is encrypted by core.)
 */

/** Expiry of the stored access token, epoch milliseconds. Marks a login made by this plugin. */
export const EXPIRY_FIELD = 'clientCredentialsExpiry';

/** How long a fresh token of this org lives, milliseconds, as learned at login. */
export const LIFETIME_FIELD = 'clientCredentialsLifetime';

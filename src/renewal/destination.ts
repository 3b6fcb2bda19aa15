import { createHmac, timingSafeEqual } from 'node:crypto';
import { isLoopbackHost, isMyDomainHost, tlsCheckDisabled, tlsUncheckedWarning } from '../oauth/trust.js';
import { LOGIN_URL_STAMP_FIELD } from '../sf/authFields.js';
import { authFilePath } from '../sf/sfFiles.js';
import { loadMessages } from '../shared/messages.js';

const messages = loadMessages('renewal');

/**
 * Where a renewal may send the decrypted client secret. The auth file is plain JSON that anyone
 * who can write ~/.sfdx can edit, while the secret in it is encrypted with a key they may not be
 * able to read: its login URL must not choose where the secret goes in clear. A renewal sends the
 * secret only to a My Domain host, to this machine (a literal loopback address or localhost, for
 * local tests), or to a login URL that carries the plugin's stamp: a fingerprint of the URL keyed
 * with the client secret itself, which nobody can make for another URL without the secret.
 */

export { LOGIN_URL_STAMP_FIELD };

/** HMAC-SHA256 of the login URL, keyed with the client secret, as stored next to it. */
export const loginUrlStamp = (clientSecret: string, loginUrl: string): string =>
  createHmac('sha256', clientSecret).update(`login-url\n${loginUrl.replace(/\/+$/, '')}`).digest('hex').slice(0, 32);

const stampMatches = (stamp: unknown, clientSecret: string, loginUrl: string): boolean => {
  if (typeof stamp !== 'string') return false;
  const expected = Buffer.from(loginUrlStamp(clientSecret, loginUrl));
  const actual = Buffer.from(stamp);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
};

/** Whether a renewal may send the secret to this login URL: see above. */
export const isTrustedRenewalUrl = (loginUrl: string, clientSecret: string, stamp: unknown): boolean => {
  let url: URL;
  try {
    url = new URL(loginUrl);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  const host = url.hostname.toLowerCase();
  if (isLoopbackHost(host)) return url.protocol === 'https:' || url.protocol === 'http:';
  return url.protocol === 'https:' && (isMyDomainHost(host) || stampMatches(stamp, clientSecret, loginUrl));
};

/** Throws UntrustedRenewalUrlError, naming the auth file, unless a renewal may send the secret to loginUrl. */
export const checkRenewalUrl = (username: string, loginUrl: string, clientSecret: string, stamp: unknown): void => {
  if (isTrustedRenewalUrl(loginUrl, clientSecret, stamp)) return;
  let shown: string;
  try {
    shown = new URL(loginUrl).origin;
  } catch {
    shown = loginUrl.slice(0, 200);
  }
  throw messages.createError('error.UntrustedRenewalUrl', [authFilePath(username), shown]);
};

let tlsWarned = false;

/**
 * Before a renewal sends the secret: once per process, a line on stderr when NODE_TLS_REJECT_UNAUTHORIZED=0
 * turns off Node's certificate checks (the login says it through the command's warnings instead).
 */
export const warnIfTlsUnchecked = (env: NodeJS.ProcessEnv = process.env, write = (text: string): unknown => process.stderr.write(text)): void => {
  if (tlsWarned || !tlsCheckDisabled(env)) return;
  tlsWarned = true;
  const warning = tlsUncheckedWarning();
  write(`Warning: ${warning.message} ${warning.actions.join(' ')}\n`);
};

/** Lets the next renewal warn again (for tests). */
export const resetTlsWarning = (): void => {
  tlsWarned = false;
};

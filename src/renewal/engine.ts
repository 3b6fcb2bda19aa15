import { introspectToken } from '../oauth/introspect.js';
import { requestToken } from '../oauth/tokenExchange.js';
import { EXPIRY_FIELD, ownershipOf, stampsFor } from '../sf/authFields.js';
import type { CoreAuthInfo, Renewal } from '../extension/coreExtension.js';
import { expiryOf, FALLBACK_LIFETIME_MS, isRenewalDue } from '../extension/renewalCheck.js';
import { renewalLockTarget } from '../sf/sfFiles.js';
import { timeoutFrom, type HttpOptions } from '../shared/http.js';
import { crashPoint } from '../shared/crashPoint.js';
import { loadMessages, type PluginWarning } from '../shared/messages.js';
import { patchStoredAuth, readStoredAuth, type StoredAuth } from '../store/authFile.js';
import { withLock } from '../store/lock.js';
import { renewalFailure } from './failure.js';
import { disown, loadLogin, sameId, sameLogin, type StoredLogin } from './storedLogin.js';

const messages = loadMessages('renewal');

/**
 * Renews the token of a login of this plugin, inside whatever sf command needs it, through that
 * command's own @salesforce/core (passed in as `core`): one renewal per org at a time across
 * processes (a lock), the auth file re-read under the lock (a token another process stored is
 * adopted), a new token minted with the stored consumer key and secret at the stored login URL,
 * and written only if the file still holds the login that was read (a newer login always wins).
 */

/** What the renewals of one process remember (see createRenewalState). */
export type RenewalState = {
  /** The tokens this process minted: one the org rejects is not renewed again. */
  minted: Set<string>;
  /** The failed renewals, by username: each is not tried again in this process, and fails the same way. */
  failures: Map<string, Error>;
  /** The secrets and tokens the renewals have seen, kept out of every message they make. */
  seen: Set<string>;
};

/** A new, empty renewal state: one for the process (processRenewalState), one for each test. */
export const createRenewalState = (): RenewalState => ({ minted: new Set(), failures: new Map(), seen: new Set() });

/** The renewal state of this process: the one the extension of the command's core passes (see hooks/prerun.ts). */
export const processRenewalState = createRenewalState();

export type RenewalOptions = {
  state: RenewalState;
  env?: NodeJS.ProcessEnv;
  /** The clock, epoch ms; default Date.now. */
  now?: () => number;
  http?: HttpOptions;
};

/**
 * What renewBeforeUse did: `adopted`, nothing was due any more (another process had renewed, and
 * core now holds its token); `extended`, the org said the old token lives longer, and its stored
 * expiry was moved; `renewed`, a new token was stored; `skipped`, not this plugin's login (or no
 * stored expiry); `disowned`, another login had replaced it, and what this plugin's login left in
 * the auth file was removed.
 */
export type DueStatus = 'adopted' | 'extended' | 'renewed' | 'skipped' | 'disowned';

/** The login of an auth file, decrypted through the command's core; its secrets are remembered for redaction. */
const openLogin = (state: RenewalState, authInfo: CoreAuthInfo, username: string, stored: StoredAuth): StoredLogin => {
  const login = loadLogin(authInfo, username, stored);
  state.seen.add(login.credentials.clientSecret).add(login.accessToken);
  return login;
};

/**
 * A failed renewal, remembered for the rest of the command, and named with the org and the login
 * command to run as the auth file `stored` gives them.
 */
const failRenewal = async (
  state: RenewalState,
  username: string,
  error: unknown,
  stored: StoredAuth | undefined
): ReturnType<typeof renewalFailure> => {
  const failure = await renewalFailure(username, undefined, error, stored, [...state.seen]);
  state.failures.set(username, failure.error);
  return failure;
};

/** How long a renewal may take: introspection, then the token request's tries, each within the HTTP deadline. */
const renewalBudgetMs = (options: RenewalOptions): number => timeoutFrom({ ...options.http, env: options.env }) * 5 + 10_000;

/** Mints a new token for a login, and stores it if the file still holds that login; returns the new token. */
const mintAndStore = async (
  authInfo: CoreAuthInfo,
  username: string,
  login: StoredLogin,
  read: StoredAuth,
  options: RenewalOptions
): Promise<string> => {
  const { state } = options;
  const token = await requestToken(login.credentials, { env: options.env, ...options.http });
  state.seen.add(token.accessToken);
  crashPoint('renewal-minted');
  // The app's Run As user (or the org behind the URL) may have changed since the login: a token
  // of another user must not be stored under this username.
  if (!sameId(login.orgId, token.orgId) || !sameId(login.userId, token.userId)) {
    throw messages.createError('error.RunAsUserChanged', [username]);
  }
  // core encrypts the token; its stamps go in with it, in the same tick: core's save (any command
  // may call one, at any await) writes every field it holds, and must never pair a token with
  // another token's stamp.
  authInfo.update({ accessToken: token.accessToken, instanceUrl: token.instanceUrl });
  const encrypted = authInfo.getFields(false).accessToken;
  const expiresAt = token.issuedAt + (login.lifetimeMs ?? FALLBACK_LIFETIME_MS);
  // The stamps of the new token (a login of the first release gets its first ones here).
  const marks = { [EXPIRY_FIELD]: expiresAt, ...stampsFor({ ...read, accessToken: encrypted }) };
  authInfo.update(marks);
  const patch = { accessToken: encrypted, instanceUrl: token.instanceUrl, ...marks };
  const written = await patchStoredAuth(username, patch, (current) => sameLogin(current, read));
  if (!written) {
    // A login (or another program) wrote the file while the token was minted: its login wins.
    const current = await readStoredAuth(username);
    if (ownershipOf(current) !== 'ours' || !current) {
      // What core holds goes back to the file's fields, so that no save of this command writes the new token over that login.
      if (current) authInfo.update(current);
      throw messages.createError('error.LoginReplaced', [username]);
    }
    return openLogin(state, authInfo, username, current).accessToken;
  }
  crashPoint('renewal-written');
  state.minted.add(token.accessToken);
  return token.accessToken;
};

/** The stored auth of a login of this plugin, after removing the leftovers of one that was replaced. */
const readOwnLogin = async (username: string): Promise<StoredAuth> => {
  const stored = await readStoredAuth(username);
  const ownership = ownershipOf(stored);
  if (ownership === 'replaced' && stored) await disown(username, stored);
  if (ownership !== 'ours' || !stored) throw messages.createError('error.LoginReplaced', [username]);
  return stored;
};

/**
 * jsforce's refresh: the org rejected the session of a connection. Returns the token to repeat
 * the request with: another process's newer one, or a new one. A token this process minted that
 * the org rejects again is not renewed again (no loop); a failure is remembered for the rest of
 * the command, and named with the org and the login command to run.
 */
export const renewRejected = async (
  authInfo: CoreAuthInfo,
  rejectedToken: string | undefined,
  options: RenewalOptions
): Promise<string> => {
  const { state } = options;
  const username = authInfo.getUsername() ?? '';
  const failed = state.failures.get(username);
  if (failed) throw failed;
  let read: StoredAuth | undefined;
  try {
    if (rejectedToken && state.minted.has(rejectedToken)) throw messages.createError('error.FreshTokenRejected', [username]);
    return await withLock(
      renewalLockTarget(username),
      async () => {
        read = await readOwnLogin(username);
        const login = openLogin(state, authInfo, username, read);
        if (rejectedToken && login.accessToken !== rejectedToken) return login.accessToken;
        return mintAndStore(authInfo, username, login, read, options);
      },
      { waitMs: renewalBudgetMs(options) }
    );
  } catch (error) {
    const busy = (error as Error).name === 'LockBusyError';
    // The file as it is now: to adopt another process's token after waiting for it, or for the names of a failure before the file was read.
    const current = busy || !read ? await readStoredAuth(username) : undefined;
    // Waited as long as a renewal can take: another process may still have stored a new token.
    if (busy && current && ownershipOf(current) === 'ours') {
      const adopted = openLogin(state, authInfo, username, current).accessToken;
      if (adopted !== rejectedToken) return adopted;
    }
    throw (await failRenewal(state, username, error, read ?? current)).error;
  }
};

/**
 * Renews a login when core opens it and its stored expiry is due (or nearly); see DueStatus. The
 * AuthInfo is the one core has just created for the command: it ends up holding what the file
 * holds (a token another process stored is adopted).
 */
const renewIfDue = async (authInfo: CoreAuthInfo, username: string, options: RenewalOptions): Promise<DueStatus> => {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const { state } = options;
  return withLock(
    renewalLockTarget(username),
    async () => {
      const read = await readStoredAuth(username);
      const ownership = ownershipOf(read);
      if (ownership === 'replaced' && read) return (await disown(username, read)) ? 'disowned' : 'skipped';
      const expiry = expiryOf(username, read);
      if (!read || !expiry) return 'skipped';
      if (!isRenewalDue(expiry, now(), env)) {
        // Another process renewed it meanwhile: core may hold the token it read before.
        if (authInfo.getFields(false).accessToken !== read.accessToken) authInfo.update(read);
        return 'adopted';
      }
      const login = openLogin(state, authInfo, username, read);
      const introspection = await introspectToken(login.credentials, login.accessToken, { env, ...options.http });
      if (introspection?.active && introspection.expiresAt !== undefined) {
        if (!isRenewalDue({ ...expiry, expiresAt: introspection.expiresAt }, now(), env)) {
          const marks = { [EXPIRY_FIELD]: introspection.expiresAt };
          if (await patchStoredAuth(username, marks, (current) => sameLogin(current, read))) authInfo.update(marks);
          return 'extended';
        }
      }
      await mintAndStore(authInfo, username, login, read, options);
      return 'renewed';
    },
    { waitMs: renewalBudgetMs(options) }
  );
};

/**
 * When core opens the auth of an org whose stored expiry is due, before the command's first
 * request to it: renews the token, which saves the command a rejected request. Returns a warning
 * to show when that failed (the command then goes on, and its first rejected request fails with
 * the same cause, without asking the org again).
 */
export const renewBeforeUse = async (
  authInfo: CoreAuthInfo,
  username: string,
  options: RenewalOptions
): Promise<{ status?: DueStatus; warning?: PluginWarning }> => {
  if (options.state.failures.has(username)) return {};
  try {
    return { status: await renewIfDue(authInfo, username, options) };
  } catch (error) {
    // Named from the file as it is now (which a login may have replaced meanwhile).
    return { warning: (await failRenewal(options.state, username, error, await readStoredAuth(username))).warning };
  }
};

/** The renewal that the extension of the command's core calls (see extension/coreExtension.ts), with this state. */
export const renewalWith = (state: RenewalState): Renewal => ({
  renewRejected: (authInfo, rejectedToken) => renewRejected(authInfo, rejectedToken, { state }),
  renewBeforeUse: (authInfo, username) => renewBeforeUse(authInfo, username, { state }),
});

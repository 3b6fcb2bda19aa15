import { AuthInfo, StateAggregator, type AuthFields } from '@salesforce/core';
import { EXPIRY_FIELD, LIFETIME_FIELD } from './authFields.js';
import { withFileLock } from './files.js';
import type { HttpOptions } from './http.js';
import { introspectToken } from './introspect.js';
import { FALLBACK_LIFETIME_MS } from './login.js';
import { loadMessages } from './messages.js';
import { writeAuthFile } from './registration.js';
import { authFilePath, isRenewalDue, readStoredExpiry } from './renewalCheck.js';
import { requestToken, type ClientCredentials } from './tokenExchange.js';

const messages = loadMessages('renewal');

export type RenewalStatus =
  /** Not due once the lock was taken: another process renewed it meanwhile, or it was never due. */
  | 'adopted'
  /** The org said the old token is still alive; only its expiry was updated. */
  | 'extended'
  /** A new token was minted and stored. */
  | 'renewed'
  /** Not a login of this plugin (or no auth file at all). */
  | 'skipped';

export type RenewalResult = { status: RenewalStatus; username: string; expiresAt?: number };

export type RenewalOptions = {
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  http?: HttpOptions;
};

type StoredLogin = {
  credentials: ClientCredentials;
  accessToken: string;
  lifetimeMs?: number;
  orgId?: string;
  userId?: string;
};

/** Salesforce IDs compare on their case-sensitive 15-character form. */
const sameId = (a: string | undefined, b: string): boolean => a === undefined || a.slice(0, 15) === b.slice(0, 15);

const readLogin = async (username: string): Promise<StoredLogin> => {
  StateAggregator.clearInstance();
  const stateAggregator = await StateAggregator.getInstance();
  const fields = ((await stateAggregator.orgs.read(username, true, true)) ?? {}) as AuthFields & Record<string, unknown>;
  const { clientId, clientSecret, accessToken } = fields;
  const instanceUrl = (fields.loginUrl ?? fields.instanceUrl ?? '').replace(/\/+$/, '');
  if (!clientId || !clientSecret || !accessToken || !instanceUrl) {
    throw messages.createError('error.MissingCredentials', [username]);
  }
  const lifetime = fields[LIFETIME_FIELD];
  return {
    credentials: { clientId, clientSecret, instanceUrl },
    accessToken,
    lifetimeMs: typeof lifetime === 'number' && lifetime > 0 ? lifetime : undefined,
    orgId: fields.orgId,
    userId: typeof fields.userId === 'string' ? fields.userId : undefined,
  };
};

/** Stores new token fields through @salesforce/core (encrypted), under the auth file's lock. */
const storeFields = async (username: string, update: Record<string, unknown>): Promise<void> => {
  const path = authFilePath(username);
  await withFileLock(path, async () => {
    StateAggregator.clearInstance();
    const authInfo = await AuthInfo.create({ username });
    authInfo.update(update as AuthFields);
    await writeAuthFile(await StateAggregator.getInstance(), username);
  });
};

/**
 * Renews the token of a client-credential login when it is due: under a per-org lock (so that
 * parallel sf commands mint one token between them), it re-reads the auth file, asks the org
 * whether the old token is still alive (an idle timeout: use extends it), and only if not mints
 * a new one with the stored client credentials. At most two round trips.
 */
export const renewIfDue = async (username: string, options: RenewalOptions = {}): Promise<RenewalResult> => {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const lockTarget = `${authFilePath(username)}.renewal`;
  return withFileLock(lockTarget, async () => {
    const stored = await readStoredExpiry(username);
    if (!stored) return { status: 'skipped', username };
    if (!isRenewalDue(stored, now(), env)) return { status: 'adopted', username, expiresAt: stored.expiresAt };

    const login = await readLogin(username);
    const introspection = await introspectToken(login.credentials, login.accessToken, options.http);
    if (introspection?.active && introspection.expiresAt !== undefined) {
      const extended = { ...stored, expiresAt: introspection.expiresAt };
      if (!isRenewalDue(extended, now(), env)) {
        await storeFields(username, { [EXPIRY_FIELD]: introspection.expiresAt });
        return { status: 'extended', username, expiresAt: introspection.expiresAt };
      }
    }
    const token = await requestToken(login.credentials, options.http);
    // The app's Run As user (or the org behind the URL) may have changed since the login: a token
    // of another user must not be stored under this username.
    if (!sameId(login.orgId, token.orgId) || !sameId(login.userId, token.userId)) {
      throw messages.createError('error.RunAsUserChanged', [username]);
    }
    const expiresAt = token.issuedAt + (login.lifetimeMs ?? FALLBACK_LIFETIME_MS);
    await storeFields(username, {
      accessToken: token.accessToken,
      instanceUrl: token.instanceUrl,
      [EXPIRY_FIELD]: expiresAt,
    });
    return { status: 'renewed', username, expiresAt };
  });
};

/** The warning shown when renewal fails: names the org and how to log in again. */
export const renewalFailureWarning = (
  target: string,
  username: string,
  reason: string,
  login?: { clientId?: string; instanceUrl?: string; alias?: string }
): string => {
  const name = target === username ? username : `${target} (${username})`;
  const sentence = reason.endsWith('.') ? reason : `${reason}.`;
  const text = messages.getMessage('warning.RenewalFailed', [name, sentence]);
  const action = messages
    .getMessages('warning.RenewalFailed.actions', [
      login?.clientId ?? '<consumer key>',
      login?.instanceUrl ?? '<My Domain URL>',
      login?.alias ? ` --alias ${login.alias}` : '',
    ])
    .map((line) => `\n  ${line}`)
    .join('');
  return `${text}${action}`;
};

import { introspectToken } from '../oauth/introspect.js';
import { requestToken, type ClientCredentials } from '../oauth/tokenExchange.js';
import { EXPIRY_FIELD, LIFETIME_FIELD } from '../preflight/authFields.js';
import { FALLBACK_LIFETIME_MS, isRenewalDue, readStoredExpiry } from '../preflight/renewalCheck.js';
import { renewalLockTarget } from '../preflight/sfFiles.js';
import type { HttpOptions } from '../shared/http.js';
import { loadMessages } from '../shared/messages.js';
import { readAuthFields, updateAuthFile } from '../store/authFile.js';
import { withFileLock } from '../store/files.js';

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
  const fields = (await readAuthFields(username, true, true)) ?? {};
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

/**
 * Renews the token of a client-credential login when it is due: under a per-org lock (so that
 * parallel sf commands mint one token between them), it re-reads the auth file, asks the org
 * whether the old token is still alive (an idle timeout: use extends it), and only if not mints
 * a new one with the stored client credentials. At most two round trips.
 */
export const renewIfDue = async (username: string, options: RenewalOptions = {}): Promise<RenewalResult> => {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  return withFileLock(renewalLockTarget(username), async () => {
    const stored = await readStoredExpiry(username);
    if (!stored) return { status: 'skipped', username };
    if (!isRenewalDue(stored, now(), env)) return { status: 'adopted', username, expiresAt: stored.expiresAt };

    const login = await readLogin(username);
    const introspection = await introspectToken(login.credentials, login.accessToken, options.http);
    if (introspection?.active && introspection.expiresAt !== undefined) {
      const extended = { ...stored, expiresAt: introspection.expiresAt };
      if (!isRenewalDue(extended, now(), env)) {
        await updateAuthFile(username, { [EXPIRY_FIELD]: introspection.expiresAt });
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
    await updateAuthFile(username, {
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
      login?.clientId ?? messages.getMessage('placeholder.ClientId'),
      login?.instanceUrl ?? messages.getMessage('placeholder.InstanceUrl'),
      login?.alias ? ` --alias ${login.alias}` : '',
    ])
    .map((line) => `\n  ${line}`)
    .join('');
  return `${text}${action}`;
};

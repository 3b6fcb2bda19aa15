import { join } from 'node:path';
import { AuthInfo, Config, Global, SfProject, StateAggregator, type AuthFields } from '@salesforce/core';
import { EXPIRY_FIELD, LIFETIME_FIELD } from './authFields.js';
import { readIfExists, restoreFile, withFileLock, writeFileAtomic } from './files.js';
import { loadMessages } from './messages.js';
import type { OrgInfo } from './orgInfo.js';
import type { ClientCredentials, IssuedToken } from './tokenExchange.js';

const messages = loadMessages('registration');

export type RegistrationInput = {
  credentials: ClientCredentials;
  token: IssuedToken;
  org: OrgInfo;
  /** Token expiry, epoch ms. */
  expiresAt: number;
  /** Lifetime of a fresh token, ms, when the org told. */
  lifetimeMs?: number;
  alias?: string;
  setDefault?: boolean;
  setDefaultDevHub?: boolean;
};

export type Registration = {
  /** Auth fields, decrypted: redact before showing. */
  fields: AuthFields;
  alias?: string;
  /** Set when the alias pointed to another username before. */
  previousAliasTarget?: string;
  /** For the user's attention, such as an alias taken from another org. */
  warnings: string[];
  notices: string[];
};

/** Refuses an alias that sf commands could not use without quoting. */
export const validateAlias = (alias: string | undefined): string | undefined => {
  if (alias === undefined) return undefined;
  const trimmed = alias.trim();
  if (/\s/.test(trimmed) || trimmed === '') {
    throw messages.createError('error.AliasHasSpaces', [alias], [trimmed.replace(/\s+/g, '-') || 'my-org']);
  }
  return trimmed;
};

export const aliasFilePath = (): string => join(Global.SFDX_DIR, 'alias.json');

type AliasFile = { orgs: Record<string, string> };

const parseAliases = (raw: string | undefined): AliasFile => {
  if (raw === undefined || raw.trim() === '') return { orgs: {} };
  const parsed = JSON.parse(raw) as Partial<AliasFile>;
  return { ...parsed, orgs: { ...(parsed.orgs ?? {}) } };
};

/** What setAlias changed: the alias's old target, and alias.json's bytes before and after. */
export type AliasChange = { previous?: string; before?: string; after: string };

/** Sets alias -> username in alias.json under sf's lock, written atomically. */
export const setAlias = async (alias: string, username: string): Promise<AliasChange> => {
  const path = aliasFilePath();
  return withFileLock(path, async () => {
    const before = await readIfExists(path);
    const file = parseAliases(before);
    const previous = file.orgs[alias];
    file.orgs[alias] = username;
    const after = JSON.stringify(file, null, 2);
    await writeFileAtomic(path, after, 0o644);
    return { previous, before, after };
  });
};

/**
 * Undoes setAlias. When no other process has changed alias.json since, its old bytes come back;
 * otherwise only this alias is put back (to its previous target, or removed), keeping the
 * aliases that other processes set meanwhile.
 */
export const restoreAlias = async (alias: string, username: string, change: AliasChange): Promise<void> => {
  const path = aliasFilePath();
  await withFileLock(path, async () => {
    const current = await readIfExists(path);
    if (current === change.after && change.before !== undefined) {
      await writeFileAtomic(path, change.before, 0o644);
      return;
    }
    const file = parseAliases(current);
    if (file.orgs[alias] !== username || change.previous === username) return;
    if (change.previous === undefined) delete file.orgs[alias];
    else file.orgs[alias] = change.previous;
    await writeFileAtomic(path, JSON.stringify(file, null, 2), 0o644);
  });
};

/**
 * Creates an empty alias.json, atomically under sf's lock, when there is none. @salesforce/core
 * creates a missing alias.json when it first reads it, without lock and not atomically: run in
 * parallel, that write can wipe an alias another login has just set, or be read half-written.
 */
export const ensureAliasFile = async (): Promise<void> => {
  const path = aliasFilePath();
  if ((await readIfExists(path)) !== undefined) return;
  await withFileLock(path, async () => {
    if ((await readIfExists(path)) === undefined) await writeFileAtomic(path, JSON.stringify({ orgs: {} }), 0o644);
  });
};

/** The config file that --set-default writes: the project's, or the global one outside a project. */
const defaultsConfigPath = async (): Promise<{ path: string; isGlobal: boolean }> => {
  const projectPath = await SfProject.resolveProjectPath().catch(() => undefined);
  return projectPath
    ? { path: join(projectPath, '.sf', 'config.json'), isGlobal: false }
    : { path: join(Global.SF_DIR, 'config.json'), isGlobal: true };
};

/** Sets target-org / target-dev-hub the way sf config set does. */
const setDefaults = async (value: string, isGlobal: boolean, org: boolean, devHub: boolean): Promise<string | undefined> => {
  const config = await Config.create({ isGlobal });
  if (org) config.set('target-org', value);
  if (devHub) config.set('target-dev-hub', value);
  await config.write();
  return isGlobal ? messages.getMessage('info.DefaultSetGlobally', [value]) : undefined;
};

/** The auth fields to store: what a token login stores, plus the credentials renewal needs. */
const buildAuthFields = (input: RegistrationInput): Record<string, unknown> => {
  const { token, org, credentials } = input;
  return {
    accessToken: token.accessToken,
    instanceUrl: token.instanceUrl,
    loginUrl: credentials.instanceUrl,
    username: org.username,
    orgId: org.orgId,
    userId: org.userId,
    isDevHub: org.isDevHub,
    ...org.organization,
    namespacePrefix: org.organization?.namespacePrefix ?? null,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    [EXPIRY_FIELD]: input.expiresAt,
    [LIFETIME_FIELD]: input.lifetimeMs,
  };
};

/**
 * Writes the cached, encrypted auth fields of a username to its auth file, atomically. The caller
 * holds the auth file's lock.
 */
export const writeAuthFile = async (stateAggregator: StateAggregator, username: string): Promise<void> => {
  const encrypted = stateAggregator.orgs.get(username, false) as Record<string, unknown>;
  await writeFileAtomic(stateAggregator.orgs.getPath(username), JSON.stringify(encrypted, null, 2));
};

/** What to undo if a later step fails: a file's bytes before it was first written, or any other step. */
class Rollback {
  private readonly saved = new Map<string, string | undefined>();
  private readonly undos: Array<() => Promise<void>> = [];

  /** Call with the file's lock held, if it has one: restore() takes that lock again. */
  public async before(path: string): Promise<void> {
    if (!this.saved.has(path)) this.saved.set(path, await readIfExists(path));
  }

  public add(undo: () => Promise<void>): void {
    this.undos.push(undo);
  }

  public async restore(): Promise<void> {
    await Promise.all([
      ...[...this.saved].map(([path, bytes]) => withFileLock(path, () => restoreFile(path, bytes)).catch(() => undefined)),
      ...this.undos.map((undo) => undo().catch(() => undefined)),
    ]);
  }
}

/**
 * Registers a verified token in the sf auth store: the auth file (encrypted by @salesforce/core,
 * written atomically under core's lock), the alias, and the defaults. Nothing is written until
 * every network step has succeeded; if a step here fails, the auth file, alias.json and config
 * are put back byte for byte.
 */
export const registerLogin = async (input: RegistrationInput): Promise<Registration> => {
  const alias = validateAlias(input.alias);
  const username = input.org.username;
  await ensureAliasFile();
  // Builds the encrypted contents in memory; with every field supplied, core sends no request.
  // Held under a lock on the key file: the first logins on a machine, run in parallel, would
  // otherwise each create their own encryption key and all but one auth file become unreadable.
  const authInfo = await withFileLock(join(Global.DIR, 'key.json'), () =>
    AuthInfo.create({ accessTokenOptions: buildAuthFields(input) as unknown as AuthFields & { accessToken: string } })
  );
  // A previous login of another kind may have left credentials that would change how sf uses this auth.
  authInfo.update({ refreshToken: undefined, privateKey: undefined, authCode: undefined } as AuthFields);
  const stateAggregator = await StateAggregator.getInstance();
  const authPath = stateAggregator.orgs.getPath(username);
  const rollback = new Rollback();
  const notices: string[] = [];
  const warnings: string[] = [];
  let previousAliasTarget: string | undefined;
  try {
    await withFileLock(authPath, async () => {
      await rollback.before(authPath);
      await writeAuthFile(stateAggregator, username);
    });
    if (alias) {
      const change = await setAlias(alias, username);
      rollback.add(() => restoreAlias(alias, username, change));
      if (change.previous && change.previous !== username) {
        previousAliasTarget = change.previous;
        warnings.push(messages.getMessage('warning.AliasReassigned', [alias, change.previous, username]));
      }
    }
    if (input.setDefault === true || input.setDefaultDevHub === true) {
      const { path, isGlobal } = await defaultsConfigPath();
      await rollback.before(path);
      const notice = await setDefaults(alias ?? username, isGlobal, Boolean(input.setDefault), Boolean(input.setDefaultDevHub));
      if (notice) notices.push(notice);
    }
  } catch (error) {
    await rollback.restore();
    const reason = error instanceof Error ? error.message : String(error);
    throw messages.createError('error.RegistrationFailed', [username, reason]);
  }
  return {
    fields: authInfo.getFields(true),
    alias,
    previousAliasTarget,
    warnings,
    notices,
  };
};

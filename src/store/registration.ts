import { authFilePath, renewalLockTarget } from '../sf/sfFiles.js';
import { loadMessages } from '../shared/messages.js';
import { crashPoint } from '../shared/crashPoint.js';
import { restoreAlias, setAlias } from './aliases.js';
import { writeStoredAuth, type StoredAuth } from './authFile.js';
import { defaultsConfigPath, setDefaults } from './defaults.js';
import { withFileLock } from './files.js';
import { withLock } from './lock.js';
import { removeLeftovers } from './cleanup.js';
import { Rollback } from './rollback.js';

const messages = loadMessages('registration');

/** What a login names its org and makes it the default of, from the command's flags to the store. */
export type AliasAndDefaults = {
  /** Already checked (see login/input.ts). */
  alias?: string;
  setDefault?: boolean;
  setDefaultDevHub?: boolean;
};

export type RegistrationInput = AliasAndDefaults & {
  username: string;
  /** The whole auth file, its secrets encrypted by @salesforce/core (see login/authRecord.ts). */
  stored: StoredAuth;
};

export type Registration = {
  /** For the user's attention, such as an alias taken from another org. */
  warnings: string[];
  notices: string[];
};

/** The longest a login waits for a renewal of the same org in another process to finish. */
const RENEWAL_WAIT_MS = 120_000;

/**
 * Registers a login in the sf auth store: the auth file (written atomically under core's lock, and
 * under the renewal lock of the org, so that a renewal that started before this login cannot write
 * its older token over it), the alias, and the defaults. If a step fails, what this login wrote
 * is undone, as long as no other process has written the same file since. alias.json exists by
 * now: the login made it (ensureAliasFile, in login/authRecord.ts) before core first read its state.
 */
export const registerLogin = async (input: RegistrationInput): Promise<Registration> => {
  const { alias, username } = input;
  await removeLeftovers();
  const authPath = authFilePath(username);
  const rollback = new Rollback();
  const notices: string[] = [];
  const warnings: string[] = [];
  try {
    await withLock(
      renewalLockTarget(username),
      () =>
        withFileLock(authPath, async () => {
          await rollback.before(authPath);
          await writeStoredAuth(username, input.stored, 'auth-file-temporary');
          await rollback.written(authPath);
        }),
      { waitMs: RENEWAL_WAIT_MS }
    );
    crashPoint('auth-file-written');
    if (alias) {
      const change = await setAlias(alias, username);
      rollback.add(() => restoreAlias(alias, username, change));
      if (change.previous && change.previous !== username) {
        warnings.push(messages.getMessage('warning.AliasReassigned', [alias, change.previous, username]));
      }
      crashPoint('alias-written');
    }
    if (input.setDefault === true || input.setDefaultDevHub === true) {
      const { path, isGlobal } = defaultsConfigPath();
      const value = alias ?? username;
      await setDefaults(path, value, { org: Boolean(input.setDefault), devHub: Boolean(input.setDefaultDevHub) }, rollback);
      if (isGlobal) notices.push(messages.getMessage('info.DefaultSetGlobally', [value]));
    }
  } catch (error) {
    await rollback.restore();
    const reason = error instanceof Error ? error.message : String(error);
    throw messages.createError('error.RegistrationFailed', [username, reason], [], error);
  }
  return { warnings, notices };
};

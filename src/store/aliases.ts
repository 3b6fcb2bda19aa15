import { aliasFilePath, readAliases } from '../sf/sfFiles.js';
import { readIfExists, withFileLock, writeFileAtomic } from './files.js';

type AliasFile = { orgs: Record<string, string> };

/** alias.json is readable by everyone, as sf writes it. */
const ALIAS_FILE_MODE = 0o644;

const parseAliases = (raw: string | undefined): AliasFile => {
  if (raw === undefined || raw.trim() === '') return { orgs: {} };
  const parsed = JSON.parse(raw) as Partial<AliasFile>;
  return { ...parsed, orgs: { ...(parsed.orgs ?? {}) } };
};

/** The first alias that names a username in alias.json, as `sf org list` shows it; undefined when none does. */
export const aliasOf = async (username: string): Promise<string | undefined> => {
  const orgs = await readAliases();
  return Object.keys(orgs).find((alias) => orgs[alias] === username);
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
    await writeFileAtomic(path, after, ALIAS_FILE_MODE);
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
      await writeFileAtomic(path, change.before, ALIAS_FILE_MODE);
      return;
    }
    const file = parseAliases(current);
    if (file.orgs[alias] !== username || change.previous === username) return;
    if (change.previous === undefined) delete file.orgs[alias];
    else file.orgs[alias] = change.previous;
    await writeFileAtomic(path, JSON.stringify(file, null, 2), ALIAS_FILE_MODE);
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
    if ((await readIfExists(path)) === undefined) await writeFileAtomic(path, JSON.stringify({ orgs: {} }), ALIAS_FILE_MODE);
  });
};

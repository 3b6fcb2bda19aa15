import { authFilePath, readJsonObject } from '../sf/sfFiles.js';
import type { CrashStep } from '../shared/crashPoint.js';
import { withFileLock, writeFileAtomic } from './files.js';

/** An auth file as stored: the fields that @salesforce/core encrypts are encrypted. */
export type StoredAuth = Record<string, unknown>;

/** Auth files hold an encrypted secret: only their owner may read them, as core writes them. */
const AUTH_FILE_MODE = 0o600;

/** The stored fields of a username's auth file, or undefined when there is none (or it is not JSON). */
export const readStoredAuth = (username: string): Promise<StoredAuth | undefined> => readJsonObject(authFilePath(username));

/** The text of a username's auth file as written: core's format. */
const authFileText = (stored: StoredAuth): string => JSON.stringify(stored, null, 2);

/** Writes a username's auth file, atomically, in core's format and mode. The caller holds core's lock on it. */
export const writeStoredAuth = (username: string, stored: StoredAuth, step?: CrashStep): Promise<void> =>
  writeFileAtomic(authFilePath(username), authFileText(stored), AUTH_FILE_MODE, step);

/**
 * Changes some fields of a username's auth file, atomically, under the lock core takes to write
 * it, if the file as it is then still passes `unchanged` (a check that nobody wrote it since it
 * was read). A field set to undefined is removed. Returns the new contents, or undefined when the
 * file changed or is gone: nothing is written then.
 */
export const patchStoredAuth = async (
  username: string,
  patch: StoredAuth,
  unchanged: (current: StoredAuth) => boolean
): Promise<StoredAuth | undefined> => {
  const path = authFilePath(username);
  return withFileLock(path, async () => {
    const current = await readJsonObject(path);
    if (!current || !unchanged(current)) return undefined;
    const next: StoredAuth = { ...current, ...patch };
    for (const [field, value] of Object.entries(patch)) if (value === undefined) delete next[field];
    await writeStoredAuth(username, next);
    return next;
  });
};

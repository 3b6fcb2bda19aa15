import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * The lock options @salesforce/core uses for its state files (alias.json, auth files,
 * config.json), so that this plugin and every sf command serialize on the same lock.
 */
export const LOCK_OPTIONS = {
  stale: 10_000,
  retries: { retries: 10, maxTimeout: 1000, factor: 2 },
  realpath: false,
} as const;

/** Runs fn while holding @salesforce/core's lock on path (a "<path>.lock" directory). */
export const withFileLock = async <T>(path: string, fn: () => Promise<T>): Promise<T> => {
  await mkdir(dirname(path), { recursive: true });
  const release = await lockfile.lock(path, LOCK_OPTIONS);
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
};

const modeOf = async (path: string): Promise<number | undefined> => {
  try {
    return (await stat(path)).mode & 0o777;
  } catch {
    return undefined;
  }
};

/**
 * Writes a file so that no reader ever sees it half-written: the data goes to a temporary file
 * in the same folder, is flushed, then renamed over the target. An existing file keeps its mode.
 */
export const writeFileAtomic = async (path: string, data: string, newFileMode = 0o600): Promise<void> => {
  await mkdir(dirname(path), { recursive: true });
  const existingMode = await modeOf(path);
  const mode = existingMode ?? newFileMode;
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'w', mode);
  try {
    // open() applies the umask, which would drop group/other write bits of an existing file.
    if (existingMode !== undefined) await handle.chmod(existingMode);
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
};

/** The bytes of a file, or undefined if it does not exist. */
export const readIfExists = async (path: string): Promise<string | undefined> => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

/** Puts a file back as it was: the old bytes, or no file at all. */
export const restoreFile = async (path: string, previous: string | undefined): Promise<void> => {
  if (previous === undefined) await rm(path, { force: true });
  else await writeFileAtomic(path, previous);
};

import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { temporaryFilePath } from '../sf/sfFiles.js';
import { crashPoint, type CrashStep } from '../shared/crashPoint.js';
import { withLock } from './lock.js';

/** Runs fn while holding @salesforce/core's lock on path (the "<path>.lock" folder core itself takes to write it). */
export const withFileLock = <T>(path: string, fn: () => Promise<T>): Promise<T> => withLock(path, fn);

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
export const writeFileAtomic = async (path: string, data: string, newFileMode = 0o600, step?: CrashStep): Promise<void> => {
  await mkdir(dirname(path), { recursive: true });
  const existingMode = await modeOf(path);
  const mode = existingMode ?? newFileMode;
  const temporary = temporaryFilePath(path);
  const handle = await open(temporary, 'w', mode);
  try {
    try {
      // open() applies the umask, which would drop group/other write bits of an existing file.
      if (existingMode !== undefined) await handle.chmod(existingMode);
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (step) crashPoint(step);
    await rename(temporary, path);
  } catch (error) {
    // The temporary file holds what the target was to hold (an encrypted secret, a token): it
    // goes at once, not at the next login or logout.
    await rm(temporary, { force: true }).catch(() => undefined);
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

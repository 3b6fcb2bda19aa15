import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileAgeMs, parseTemporaryFileName, sfdxDir } from '../sf/sfFiles.js';
import { STALE_MS } from './lock.js';

/** A temporary file this old belongs to no write in progress, whoever made it. */
const ABANDONED_MS = 10 * 60 * 1000;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** How old a file is; dated in the future counts as that far in the past (see fileAgeMs). */
const ageOf = async (path: string): Promise<number> => {
  try {
    return fileAgeMs((await stat(path)).mtimeMs);
  } catch {
    return 0;
  }
};

/**
 * Removes what killed processes of this plugin left in ~/.sfdx: temporary files of atomic writes
 * (they hold encrypted secrets and tokens), from processes that are gone or long abandoned, and
 * renewal locks older than the stale time. Never fails the caller.
 */
export const removeLeftovers = async (dir = sfdxDir()): Promise<string[]> => {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  await Promise.all(
    names.map(async (name) => {
      const path = join(dir, name);
      const temporary = parseTemporaryFileName(name);
      try {
        if (temporary && (temporary.pid === process.pid ? false : !isAlive(temporary.pid) || (await ageOf(path)) > ABANDONED_MS)) {
          await rm(path, { force: true });
          removed.push(name);
        } else if (name.endsWith('.renewal.lock') && (await ageOf(path)) > STALE_MS) {
          await rmdir(path);
          removed.push(name);
        }
      } catch {
        // taken care of by another process meanwhile
      }
    })
  );
  return removed;
};

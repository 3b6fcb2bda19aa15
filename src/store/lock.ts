import { rmdirSync } from 'node:fs';
import { mkdir, rmdir, stat, utimes } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileAgeMs } from '../sf/sfFiles.js';
import { loadMessages } from '../shared/messages.js';

const messages = loadMessages('lock');

/**
 * A lock across processes that speaks proper-lockfile's protocol, the one @salesforce/core uses for
 * its files: the lock on <path> is the folder <path>.lock, made with mkdir; its holder touches the
 * folder's mtime every stale/2; a lock older than stale (10 s, as core sets it) is taken over. So
 * this plugin and every sf command exclude each other on the same paths.
 *
 * Unlike proper-lockfile it never throws from a timer: a holder that was suspended past the stale
 * time and lost its lock to another process learns it from compromised(), and release() then
 * leaves the other process's lock alone.
 */

/** core's stale time for its locks (lockRetryOptions.stale). */
export const STALE_MS = 10_000;
/** How long a caller waits for a lock by default: core's own retries give up after about 10 s. */
const DEFAULT_WAIT_MS = 15_000;

export type Lock = {
  /** True when another process took the lock over (this one stalled past the stale time). */
  compromised(): boolean;
  release(): Promise<void>;
};

export type LockOptions = {
  /** How long to wait for a lock held by a live process; default DEFAULT_WAIT_MS. */
  waitMs?: number;
  staleMs?: number;
};

const held = new Set<string>();
let exitHandlerInstalled = false;

/** A killed process cannot clean up, but one that exits normally leaves no lock behind. */
const installExitHandler = (): void => {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.once('exit', () => {
    for (const lockDir of held) {
      try {
        rmdirSync(lockDir);
      } catch {
        // gone already
      }
    }
  });
};

/** A whole second: some file systems keep mtimes to the second only. */
const wholeSecond = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000);

/**
 * Whether the lock folder is stale; undefined when it is gone. Its age is taken as the distance
 * between its mtime and now, either way: a folder dated in the future (a clock set back, a copied
 * or planted folder) would otherwise never be stale, and every command would wait out its whole
 * budget for a holder that does not exist. A live holder touches the folder every stale/2 with
 * this machine's clock, so only a clock that jumps by more than the stale time can make its lock
 * look stale; it then learns so from compromised().
 */
const isStale = async (lockDir: string, staleMs: number): Promise<boolean | undefined> => {
  try {
    return fileAgeMs((await stat(lockDir)).mtimeMs) > staleMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

/** Stale locks removed in one acquireLock before its tries sleep again (someone keeps leaving them). */
const MAX_REMOVALS = 3;

const codeOf = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** The pause before the next try: 25 ms, doubling, at most 500 ms. */
const pauseMs = (attempt: number): number => Math.min(25 * 2 ** Math.min(attempt, 5), 500);

/**
 * Takes the lock on path, waiting while a live process holds it; throws LockBusy after waitMs.
 * Every try sleeps and checks the deadline (but for a few right after removing a stale lock), so
 * no lock can make a command spin or wait forever. A stale lock that cannot be
 * removed (a non-empty folder, a read-only or foreign HOME) ends in LockStuck, which names it.
 */
export const acquireLock = async (path: string, options: LockOptions = {}): Promise<Lock> => {
  const staleMs = options.staleMs ?? STALE_MS;
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const lockDir = `${path}.lock`;
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    throw messages.createError('error.LockUnavailable', [lockDir, codeOf(error), dirname(path)], [dirname(path)], error);
  }
  const giveUpAt = Date.now() + waitMs;
  let removals = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      // eslint-disable-next-line no-await-in-loop
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw messages.createError('error.LockUnavailable', [lockDir, codeOf(error), dirname(path)], [dirname(path)], error);
      }
    }
    // eslint-disable-next-line no-await-in-loop
    const stale = await isStale(lockDir, staleMs);
    if (stale) {
      try {
        // rmdir, never a recursive rm: a lock folder of this protocol is empty; anything else is not one to delete.
        // eslint-disable-next-line no-await-in-loop
        await rmdir(lockDir);
        // Try again at once, a few times: each removal is progress.
        if (removals++ < MAX_REMOVALS) continue;
      } catch (error) {
        // Gone already: another process cleared it first.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
          throw messages.createError('error.LockStuck', [lockDir, String(Math.round(staleMs / 1000)), codeOf(error), lockDir, dirname(path)], [lockDir, dirname(path)], error);
        }
      }
    }
    if (Date.now() >= giveUpAt) throw messages.createError('error.LockBusy', [path, String(Math.round(waitMs / 1000))]);
    // eslint-disable-next-line no-await-in-loop
    await sleep(pauseMs(attempt));
  }

  held.add(lockDir);
  installExitHandler();
  let mtime = wholeSecond(Date.now());
  await utimes(lockDir, mtime, mtime).catch(() => undefined);
  let lost = false;
  let timer: NodeJS.Timeout | undefined;
  const refresh = async (): Promise<void> => {
    try {
      const current = await stat(lockDir);
      if (current.mtime.getTime() !== mtime.getTime()) {
        lost = true;
        return;
      }
      mtime = wholeSecond(Date.now());
      await utimes(lockDir, mtime, mtime);
    } catch {
      lost = true;
      return;
    }
    schedule();
  };
  const schedule = (): void => {
    timer = setTimeout(() => void refresh(), Math.max(1000, staleMs / 2));
    timer.unref();
  };
  schedule();
  return {
    compromised: () => lost,
    release: async (): Promise<void> => {
      if (timer) clearTimeout(timer);
      held.delete(lockDir);
      if (lost) return;
      const current = await stat(lockDir).catch(() => undefined);
      if (current && current.mtime.getTime() === mtime.getTime()) await rmdir(lockDir).catch(() => undefined);
    },
  };
};

/** Runs fn while holding the lock on path. */
export const withLock = async <T>(path: string, fn: (lock: Lock) => Promise<T>, options: LockOptions = {}): Promise<T> => {
  const lock = await acquireLock(path, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
};

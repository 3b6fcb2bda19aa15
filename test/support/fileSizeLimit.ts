import { execFileSync } from 'node:child_process';

/**
 * Limits the size of the files a process may write (RLIMIT_FSIZE, soft limit) until the returned
 * function lifts it: a write past the limit fails with EFBIG (Node ignores SIGXFSZ), as on a full
 * disk or quota, for root too. Child processes started meanwhile keep the limit: set it on this
 * process, start sf, lift it at once (nothing else may write in between). util-linux's prlimit.
 */
export const limitFileSize = (bytes: number, pid = process.pid): (() => void) => {
  execFileSync('prlimit', ['--pid', String(pid), `--fsize=${bytes}:`]);
  return () => {
    execFileSync('prlimit', ['--pid', String(pid), '--fsize=unlimited:']);
  };
};

import type { ChildProcess } from 'node:child_process';

/** How a child process ended, and everything it wrote. */
export type ChildOutput = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/**
 * Collects what a child just spawned (stdout and stderr piped) writes, until it closes. Killed
 * with SIGKILL once it has run timeoutMs, if given. Rejects only when the child could not start;
 * an exit code is the caller's to judge.
 */
export const childOutput = (child: ChildProcess, timeoutMs?: number): Promise<ChildOutput> =>
  new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { closedPort } from './ports.js';
import { makeTempDir, removeTempDir } from './tempHome.js';

export type Tinyproxy = {
  /** http://127.0.0.1:PORT, for HTTPS_PROXY. */
  url: string;
  port: number;
  /** Everything tinyproxy has logged so far (LogLevel Connect: one line per request, with CONNECT targets). */
  log: () => Promise<string>;
  stop: () => Promise<void>;
};

/** Whether the tinyproxy binary (Debian package "tinyproxy") is installed. */
export const tinyproxyInstalled = (): boolean => spawnSync('tinyproxy', ['-v'], { stdio: 'ignore' }).status === 0;

const canConnect = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * Starts a real tinyproxy in the foreground on 127.0.0.1 and a free port, with a generated
 * configuration that allows only loopback clients, and waits until it accepts connections.
 */
export const startTinyproxy = async (): Promise<Tinyproxy> => {
  const dir = await makeTempDir('cc-tinyproxy-');
  const port = await closedPort();
  const logPath = join(dir, 'tinyproxy.log');
  const config = join(dir, 'tinyproxy.conf');
  await writeFile(
    config,
    [
      `Port ${port}`,
      'Listen 127.0.0.1',
      'Timeout 30',
      `LogFile "${logPath}"`,
      'LogLevel Connect',
      'MaxClients 20',
      'Allow 127.0.0.1',
      'DisableViaHeader Yes',
      '',
    ].join('\n')
  );
  const child: ChildProcess = spawn('tinyproxy', ['-d', '-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await removeTempDir(dir);
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    // eslint-disable-next-line no-await-in-loop
    if (await canConnect(port)) {
      return { url: `http://127.0.0.1:${port}`, port, log: () => readFile(logPath, 'utf8').catch(() => ''), stop };
    }
    if (child.exitCode !== null) break;
    // eslint-disable-next-line no-await-in-loop
    await sleep(50);
  }
  await stop();
  throw new Error(`tinyproxy did not start on port ${port}: ${stderr}`);
};

import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import lockfile from 'proper-lockfile';
import { acquireLock, withLock } from '../../src/store/lock.js';
import { rejection } from '../support/rejection.js';
import { useTempDir } from '../support/tempHome.js';

/** The lock speaks proper-lockfile's protocol, the one @salesforce/core takes on its files. */
describe('lock', () => {
  const tempDir = useTempDir();
  let dir: string;
  let target: string;
  beforeEach(() => {
    dir = tempDir();
    target = join(dir, 'user@acme.com.json');
  });

  it('holds the folder <path>.lock while running, and removes it after, also when fn fails', async () => {
    await withLock(target, () => Promise.resolve(expect(existsSync(`${target}.lock`)).to.equal(true)));
    expect(existsSync(`${target}.lock`)).to.equal(false);
    await rejection(withLock(target, () => Promise.reject(new Error('boom'))));
    expect(existsSync(`${target}.lock`)).to.equal(false);
  });

  it("returns fn's value, passes its error on, and creates a missing parent folder", async () => {
    const nested = join(dir, 'sub', 'auth.json');
    expect(await withLock(nested, () => Promise.resolve('value'))).to.equal('value');
    expect(await readdir(join(dir, 'sub'))).to.deep.equal([]);
    expect((await rejection<Error>(withLock(nested, () => Promise.reject(new Error('boom'))))).message).to.equal('boom');
  });

  it('lets one holder in at a time', async () => {
    const events: string[] = [];
    const holder = (name: string) => () =>
      withLock(target, async () => {
        events.push(`${name} in`);
        await sleep(60);
        events.push(`${name} out`);
      });
    await Promise.all([holder('a')(), holder('b')(), holder('c')()]);
    for (let i = 0; i < events.length; i += 2) expect(events[i].split(' ')[0]).to.equal(events[i + 1].split(' ')[0]);
  });

  it('waits for a lock that proper-lockfile holds (as core does), and proper-lockfile waits for ours', async () => {
    const release = await lockfile.lock(target, { stale: 10_000, realpath: false });
    const started = Date.now();
    setTimeout(() => void release(), 300);
    await withLock(target, async () => {
      expect(Date.now() - started).to.be.at.least(250);
      const error = await rejection<NodeJS.ErrnoException>(lockfile.lock(target, { stale: 10_000, realpath: false }));
      expect(error.code).to.equal('ELOCKED');
    });
  });

  it('takes over a lock whose holder died (older than the stale time)', async () => {
    await mkdir(`${target}.lock`);
    const old = new Date(Date.now() - 60_000);
    await utimes(`${target}.lock`, old, old);
    let ran = false;
    await withLock(target, () => {
      ran = true;
      return Promise.resolve();
    });
    expect(ran).to.equal(true);
  });

  it('gives up with LockBusyError after waiting for a live holder', async () => {
    await mkdir(`${target}.lock`);
    const error = await rejection(acquireLock(target, { waitMs: 200 }));
    expect(error.name).to.equal('LockBusyError');
    expect(error.message).to.include(target);
    expect(existsSync(`${target}.lock`), 'the live holder keeps its lock').to.equal(true);
  });

  it('keeps a long-held lock fresh, so that nobody takes it over', async () => {
    const lock = await acquireLock(target, { staleMs: 2000 });
    const first = (await stat(`${target}.lock`)).mtimeMs;
    await sleep(2300);
    expect((await stat(`${target}.lock`)).mtimeMs).to.be.greaterThan(first);
    expect((await rejection(acquireLock(target, { staleMs: 2000, waitMs: 100 }))).name).to.equal('LockBusyError');
    expect(lock.compromised()).to.equal(false);
    await lock.release();
  });

  it('does not throw when another process took the lock over, and leaves that lock alone on release', async () => {
    const lock = await acquireLock(target, { staleMs: 2000 });
    // Another process decided the lock was stale and took it: a new folder, a new mtime.
    await rm(`${target}.lock`, { recursive: true });
    await mkdir(`${target}.lock`);
    const theirs = new Date(Date.now() + 5000);
    await utimes(`${target}.lock`, theirs, theirs);
    await sleep(1300);
    expect(lock.compromised()).to.equal(true);
    await lock.release();
    expect(existsSync(`${target}.lock`)).to.equal(true);
  });

  it('ends a stale lock it cannot remove (a non-empty folder) in LockStuckError, at once, naming the folder and the fix', async () => {
    await mkdir(`${target}.lock`);
    await writeFile(join(`${target}.lock`, 'stray'), '');
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(`${target}.lock`, old, old);
    const started = Date.now();
    const error = await rejection<Error & { actions?: string[] }>(acquireLock(target, { waitMs: 60_000 }));
    expect(error.name).to.equal('LockStuckError');
    expect(Date.now() - started, 'no wait, no spin').to.be.below(2000);
    expect(error.message).to.include(`${target}.lock`).and.include('ENOTEMPTY');
    expect((error.cause as NodeJS.ErrnoException).code, 'the failed removal, kept as the cause').to.equal('ENOTEMPTY');
    expect((error.actions ?? []).join('\n')).to.include(`rm -r "${target}.lock"`).and.include('HOME');
  });

  it('ends in LockUnavailableError, naming the folder, when the lock cannot be made at all', async () => {
    // A file where the folder should be: mkdir fails for root too.
    await writeFile(join(dir, 'sub'), '');
    const error = await rejection<Error & { actions?: string[] }>(acquireLock(join(dir, 'sub', 'alias.json'), { waitMs: 60_000 }));
    expect(error.name).to.equal('LockUnavailableError');
    expect(error.message).to.include(join(dir, 'sub', 'alias.json.lock'));
    expect((error.cause as NodeJS.ErrnoException).code, 'the failed mkdir, kept as the cause').to.be.oneOf(['EEXIST', 'ENOTDIR']);
  });

  it('takes over a lock dated in the future (a clock set back, a planted folder) instead of waiting for it', async () => {
    await mkdir(`${target}.lock`);
    const ahead = new Date(Date.now() + 60 * 60 * 1000);
    await utimes(`${target}.lock`, ahead, ahead);
    const started = Date.now();
    await withLock(target, () => Promise.resolve(), { waitMs: 5000 });
    expect(Date.now() - started).to.be.below(1000);
  });

  it('sleeps between tries while a live holder keeps its lock (no busy loop)', async () => {
    await mkdir(`${target}.lock`);
    const before = process.cpuUsage();
    expect((await rejection(acquireLock(target, { waitMs: 1000 }))).name).to.equal('LockBusyError');
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000, 'CPU ms spent waiting one second').to.be.below(300);
  });
});

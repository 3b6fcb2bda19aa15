import { spawnSync } from 'node:child_process';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { temporaryFilePath } from '../../src/sf/sfFiles.js';
import { removeLeftovers } from '../../src/store/cleanup.js';
import { STALE_MS } from '../../src/store/lock.js';
import { useTempDir } from '../support/tempHome.js';

/** The pid of a process that has exited. */
const deadPid = (): number => {
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(run.stdout);
};

describe('removeLeftovers', () => {
  const dir = useTempDir();
  const ago = async (path: string, ms: number): Promise<void> => {
    const when = new Date(Date.now() - ms);
    await utimes(path, when, when);
  };
  const leftover = async (name: string, pid: number): Promise<string> => {
    const path = temporaryFilePath(join(dir(), name), pid);
    await writeFile(path, '{"accessToken":"enc:token"}');
    return path.slice(dir().length + 1);
  };

  it("removes temporary files of processes that are gone, and keeps those of live processes and this one's", async () => {
    const dead = await leftover('runas@acme.com.json', deadPid());
    const live = await leftover('alias.json', process.ppid);
    const own = await leftover('key.json', process.pid);
    await writeFile(join(dir(), 'runas@acme.com.json'), '{}');

    const removed = await removeLeftovers(dir());

    expect(removed).to.deep.equal([dead]);
    expect(await readdir(dir())).to.have.members([live, own, 'runas@acme.com.json']);
  });

  it('removes a temporary file of a live process once it is long abandoned (ten minutes)', async () => {
    const fresh = await leftover('a@acme.com.json', process.ppid);
    const abandoned = await leftover('b@acme.com.json', process.ppid);
    await ago(join(dir(), abandoned), 11 * 60 * 1000);

    expect(await removeLeftovers(dir())).to.deep.equal([abandoned]);
    expect(await readdir(dir())).to.deep.equal([fresh]);
  });

  it("removes renewal locks older than the lock's stale time, and no other lock", async () => {
    for (const name of ['old@acme.com.json.renewal.lock', 'new@acme.com.json.renewal.lock', 'old@acme.com.json.lock']) await mkdir(join(dir(), name));
    await ago(join(dir(), 'old@acme.com.json.renewal.lock'), STALE_MS + 5000);
    await ago(join(dir(), 'old@acme.com.json.lock'), STALE_MS + 5000);

    expect(await removeLeftovers(dir())).to.deep.equal(['old@acme.com.json.renewal.lock']);
    expect(await readdir(dir())).to.have.members(['new@acme.com.json.renewal.lock', 'old@acme.com.json.lock']);
  });

  it('removes a renewal lock and a temporary file dated in the future (a clock set back), and survives a lock it cannot remove', async () => {
    const ahead = async (path: string): Promise<void> => {
      const when = new Date(Date.now() + 60 * 60 * 1000);
      await utimes(path, when, when);
    };
    const future = await leftover('c@acme.com.json', process.ppid);
    await ahead(join(dir(), future));
    await mkdir(join(dir(), 'ahead@acme.com.json.renewal.lock'));
    await ahead(join(dir(), 'ahead@acme.com.json.renewal.lock'));
    // Not empty: rmdir fails, and removeLeftovers goes on.
    await mkdir(join(dir(), 'full@acme.com.json.renewal.lock', 'inside'), { recursive: true });
    await ago(join(dir(), 'full@acme.com.json.renewal.lock'), STALE_MS + 5000);

    expect(await removeLeftovers(dir())).to.have.members([future, 'ahead@acme.com.json.renewal.lock']);
    expect(await readdir(dir())).to.deep.equal(['full@acme.com.json.renewal.lock']);
  });

  it('does nothing, and does not fail, without the folder', async () => {
    expect(await removeLeftovers(join(dir(), 'missing'))).to.deep.equal([]);
  });
});

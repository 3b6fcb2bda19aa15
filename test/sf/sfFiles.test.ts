import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigFile, Global, StateAggregator } from '@salesforce/core';
import {
  aliasFilePath,
  authFilePath,
  fileAgeMs,
  globalConfigPath,
  isSafeUsername,
  keyFilePath,
  projectConfigPath,
  readJsonObject,
  renewalLockTarget,
  textOf,
} from '../../src/sf/sfFiles.js';
import { useTempHome } from '../support/tempHome.js';

/**
 * The hook-safe map of sf's files must name the very files @salesforce/core reads and writes: the
 * plugin and sf then lock and write the same paths. Checked against core itself, in a temp HOME.
 */
describe('sfFiles', () => {
  const home = useTempHome();

  it('names the auth file of a username as the org accessor of @salesforce/core does', async () => {
    const stateAggregator = await StateAggregator.getInstance();
    expect(authFilePath('ci@acme.com')).to.equal(stateAggregator.orgs.getPath('ci@acme.com'));
    expect(authFilePath('ci@acme.com', '/elsewhere')).to.equal(join('/elsewhere', '.sfdx', 'ci@acme.com.json'));
  });

  it("puts alias.json and key.json in core's state folder, and the global config in ~/.sf", async () => {
    expect(aliasFilePath()).to.equal(join(Global.SFDX_DIR, 'alias.json'));
    expect(keyFilePath()).to.equal(join(Global.DIR, 'key.json'));
    const globalConfig = await ConfigFile.create({ isGlobal: true, isState: true, filename: 'config.json', stateFolder: Global.SF_STATE_FOLDER });
    expect(globalConfigPath()).to.equal(globalConfig.getPath());
    expect(projectConfigPath('/work/project')).to.equal(join('/work/project', '.sf', 'config.json'));
  });

  it('locks renewals on a name of its own beside the auth file, not on the auth file that core locks', () => {
    expect(renewalLockTarget('ci@acme.com')).to.equal(`${authFilePath('ci@acme.com')}.renewal`);
  });

  describe('isSafeUsername', () => {
    it('takes a username of the form of an email address', () => {
      expect(['ci@acme.com', 'a.b+c@x.y.example.org', 'ünï@société.fr'].map((name) => isSafeUsername(name))).to.deep.equal([true, true, true]);
    });

    it('refuses paths, controls and bidirectional controls (a name shown in another order than it is)', () => {
      for (const name of ['x@y/../z.com', 'a@b.com\u001b[31m', 'admin\u202e@moc.evil.com', 'a\u2066b@c.com', 'a@b\u200f.com', 'a\u061c@b.com', 'a@b.c\u202a']) {
        expect(isSafeUsername(name), JSON.stringify(name)).to.equal(false);
      }
    });
  });

  describe('readJsonObject', () => {
    it('never takes a file that another process is rewriting in place, as core writes its files: every read is the whole file', async () => {
      const path = join(home(), 'auth.json');
      const whole = { username: 'ci@acme.com', accessToken: 'x'.repeat(4000) };
      await writeFile(path, JSON.stringify(whole, null, 2));
      // core's ConfigFile.write: fs.promises.writeFile on the file itself (truncate, then write), here as fast as it can.
      const writer = spawn(
        process.execPath,
        ['-e', `const fs=require('fs/promises');const d=process.argv[1];(async()=>{for(;;){await fs.writeFile(${JSON.stringify(path)},d);}})();console.log('ready')`, JSON.stringify(whole, null, 2)],
        { stdio: ['ignore', 'pipe', 'inherit'] }
      );
      try {
        await once(writer.stdout, 'data');
        const reads = [];
        // A writer that never pauses is harsher than core: on a loaded machine a read can keep
        // landing in a rewrite for longer than the default budget, so the budget here is ample.
        // Without the re-reads, about every other read would come back undefined.
        // eslint-disable-next-line no-await-in-loop
        for (let i = 0; i < 200; i++) reads.push(await readJsonObject(path, 10_000));
        expect(reads.filter((read) => read?.accessToken !== whole.accessToken)).to.have.length(0);
      } finally {
        writer.kill();
      }
    });

    it('gives undefined for a missing file, a file that stays broken, and JSON that is not an object', async () => {
      const dir = home();
      expect(await readJsonObject(join(dir, 'none.json'))).to.equal(undefined);
      await writeFile(join(dir, 'broken.json'), '{"username": "ci@acme.com", ');
      expect(await readJsonObject(join(dir, 'broken.json'), 20)).to.equal(undefined);
      // Broken for a minute, and nobody writing it: no waiting for it to heal (a minute allowed
      // here; waiting would run past the test's timeout).
      await writeFile(join(dir, 'old.json'), '');
      await utimes(join(dir, 'old.json'), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      expect(await readJsonObject(join(dir, 'old.json'), 60_000)).to.equal(undefined);
      await writeFile(join(dir, 'list.json'), '[1, 2]');
      expect(await readJsonObject(join(dir, 'list.json'))).to.equal(undefined);
      await writeFile(join(dir, 'object.json'), '{"orgs": {}}');
      expect(await readJsonObject(join(dir, 'object.json'))).to.deep.equal({ orgs: {} });
    });

    it('does not wait on a broken file dated in the future (a clock set back): it is not being written now', async () => {
      const path = join(home(), 'ahead.json');
      await writeFile(path, '{"username": ');
      const ahead = new Date(Date.now() + 60 * 60 * 1000);
      await utimes(path, ahead, ahead);
      const started = Date.now();
      expect(await readJsonObject(path, 2000)).to.equal(undefined);
      expect(Date.now() - started).to.be.below(200);
    });
  });

  describe('fileAgeMs', () => {
    it('is the distance between mtime and now, either way', () => {
      expect(fileAgeMs(1000, 5000)).to.equal(4000);
      expect(fileAgeMs(9000, 5000)).to.equal(4000);
    });
  });

  describe('textOf', () => {
    it('is a string with something in it, and undefined for an empty string or anything else', () => {
      expect(textOf('ci')).to.equal('ci');
      expect(textOf(' ')).to.equal(' ');
      for (const value of ['', undefined, null, 42, true, ['ci'], { ci: 1 }]) expect(textOf(value), String(value)).to.equal(undefined);
    });
  });
});

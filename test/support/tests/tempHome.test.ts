import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { useTempHome } from '../tempHome.js';

/** Every test that touches HOME or SF_* variables relies on this helper to leave nothing behind. */
describe('useTempHome', () => {
  const outside = { home: process.env.HOME, preset: 'preset-value' };
  const seen: { homes: string[] } = { homes: [] };

  before(() => {
    process.env.CC_TEMP_HOME_CLEARED = outside.preset;
    process.env.CC_TEMP_HOME_OVERRIDDEN = outside.preset;
    delete process.env.CC_TEMP_HOME_ADDED;
  });
  after(() => {
    delete process.env.CC_TEMP_HOME_CLEARED;
    delete process.env.CC_TEMP_HOME_OVERRIDDEN;
    delete process.env.CC_TEMP_HOME_ADDED;
  });

  describe('during a test', () => {
    const home = useTempHome({ CC_TEMP_HOME_CLEARED: undefined, CC_TEMP_HOME_OVERRIDDEN: 'for the test' });

    it('gives an empty HOME of its own, with the variables set and cleared', async () => {
      expect(process.env.HOME).to.equal(home());
      expect(homedir()).to.equal(home());
      expect(home().startsWith(tmpdir())).to.equal(true);
      expect(await readdir(home())).to.deep.equal([]);
      expect(process.env.CC_TEMP_HOME_CLEARED).to.equal(undefined);
      expect(process.env.CC_TEMP_HOME_OVERRIDDEN).to.equal('for the test');
      seen.homes.push(home());
      // What a test changes on its own is put back too.
      await writeFile(join(home(), 'left-over'), 'x');
      process.env.CC_TEMP_HOME_ADDED = 'added by the test';
      process.env.CC_TEMP_HOME_OVERRIDDEN = 'changed by the test';
    });

    it('gives the next test another fresh HOME, with the variables as declared again', async () => {
      expect(home()).to.not.equal(seen.homes[0]);
      expect(await readdir(home())).to.deep.equal([]);
      expect(process.env.CC_TEMP_HOME_ADDED).to.equal(undefined);
      expect(process.env.CC_TEMP_HOME_OVERRIDDEN).to.equal('for the test');
      seen.homes.push(home());
    });
  });

  describe('after the tests', () => {
    it('has put HOME and every variable back, and removed the temporary HOMEs', () => {
      expect(seen.homes).to.have.length(2);
      expect(process.env.HOME).to.equal(outside.home);
      expect(process.env.CC_TEMP_HOME_CLEARED).to.equal(outside.preset);
      expect(process.env.CC_TEMP_HOME_OVERRIDDEN).to.equal(outside.preset);
      expect('CC_TEMP_HOME_ADDED' in process.env).to.equal(false);
      expect(seen.homes.filter((home) => existsSync(home))).to.deep.equal([]);
    });
  });
});

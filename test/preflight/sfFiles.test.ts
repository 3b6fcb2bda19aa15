import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigFile, Global, StateAggregator } from '@salesforce/core';
import {
  aliasFilePath,
  authFilePath,
  globalConfigPath,
  keyFilePath,
  projectConfigPath,
  renewalLockTarget,
} from '../../src/preflight/sfFiles.js';
import { useTempHome } from '../support/tempHome.js';

/**
 * The hook-safe map of sf's files must name the very files @salesforce/core reads and writes: the
 * plugin and sf then lock and write the same paths. Checked against core itself, in a temp HOME.
 */
describe('sfFiles', () => {
  useTempHome();

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
});

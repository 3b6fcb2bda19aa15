import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Hook } from '@oclif/core';
import { expect } from 'chai';
import sinon from 'sinon';
import hook from '../../src/hooks/prerun.js';
import type { CoreAuthInfo, CoreModule } from '../../src/extension/coreExtension.js';
import { decryptedFields, makeDue, requestPaths, USERNAME, useRenewalFixture } from '../support/renewalFixture.js';
import { writeFakeCorePackage } from '../support/fakeCore.js';
import { REPO_ROOT } from '../support/sfSandbox.js';
import { useTempDir } from '../support/tempHome.js';

type HookOptions = Parameters<typeof hook>[0];
const EXTENDED = Symbol.for('sf-plugin-client-credentials.extendedGetConnectionOptions');
type ExtendedCore = CoreModule & { AuthInfo: { [EXTENDED]?: true } };

/**
 * Runs the hook the way oclif does before a command: `this` is the hook context, options name the
 * command class (its id and plugin), its argv, and the CLI's config. Returns the context's spies.
 */
const runHookAs = async (command: { id?: string; plugin?: { root: string; name?: string } }, cliRoot: string): Promise<{ warn: sinon.SinonSpy; debug: sinon.SinonSpy }> => {
  const warn = sinon.spy();
  const debug = sinon.spy();
  const context = { warn, log: sinon.spy(), error: sinon.spy(), exit: sinon.spy(), debug, config: { root: cliRoot } };
  const options = { Command: command, argv: [], config: { root: cliRoot }, context };
  await hook.call(context as unknown as Hook.Context, options as unknown as HookOptions);
  return { warn, debug };
};

describe('prerun hook', () => {
  const tempDir = useTempDir();
  const fixture = useRenewalFixture();

  /**
   * A plugin folder whose code resolves a @salesforce/core of this version, loaded: the real core of
   * this checkout with an AuthInfo of its own (a subclass), so that what the hook changes stays in
   * this folder's copy.
   */
  const pluginWithCore = async (version: string): Promise<{ root: string; core: ExtendedCore }> => {
    const root = tempDir();
    const realCore = createRequire(join(REPO_ROOT, 'package.json')).resolve('@salesforce/core');
    await writeFakeCorePackage(
      root,
      version,
      `const real = require(${JSON.stringify(realCore)});\nclass AuthInfo extends real.AuthInfo {}\nmodule.exports = { ...real, AuthInfo };\n`,
      { name: 'some-plugin' }
    );
    return { root, core: createRequire(join(root, 'package.json'))('@salesforce/core') as ExtendedCore };
  };

  it("extends the copy of core the command's plugin has loaded: an org whose stored expiry is due is renewed when core opens it", async () => {
    const { root, core } = await pluginWithCore('9.9.0');
    await makeDue(fixture());
    fixture().org.expireAllTokens();
    const { warn } = await runHookAs({ id: 'data:query', plugin: { root } }, tempDir());
    expect(core.AuthInfo[EXTENDED]).to.equal(true);
    expect(fixture().org.requests, 'the hook itself sends nothing').to.deep.equal([]);

    const authInfo: CoreAuthInfo = await core.AuthInfo.create({ username: USERNAME });

    expect(warn.called).to.equal(false);
    expect(fixture().org.tokenRequests()).to.equal(1);
    const renewed = fixture().org.issuedTokens[1];
    expect((await decryptedFields(USERNAME)).accessToken).to.equal(renewed);
    expect(authInfo.getFields(true).accessToken, 'the command goes on with the new token').to.equal(renewed);
  });

  it('before sf org logout: extends the core but renews nothing when it opens the org, and removes what killed processes left', async () => {
    const { root, core } = await pluginWithCore('8.30.3');
    const { org, home } = fixture();
    await makeDue(fixture());
    const leftover = join(home, '.sfdx', `.${USERNAME}.json.999999.0badf00d.tmp`);
    await writeFile(leftover, '{}');
    await runHookAs({ id: 'org:logout', plugin: { root } }, tempDir());
    await core.AuthInfo.create({ username: USERNAME });
    expect(core.AuthInfo[EXTENDED]).to.equal(true);
    expect(requestPaths(org)).to.deep.equal([]);
    expect(existsSync(leftover)).to.equal(false);
  });

  it('leaves a core of another major version alone, and says so at debug level', async () => {
    const { root, core } = await pluginWithCore('10.0.0');
    const { debug } = await runHookAs({ id: 'data:query', plugin: { root } }, tempDir());
    expect(core.AuthInfo[EXTENDED]).to.equal(undefined);
    expect(debug.args.flat().join('\n')).to.include('was not extended').and.include('10.0.0');
  });

  it('does nothing with SF_CLIENT_CREDENTIALS_RENEWAL=false', async () => {
    for (const value of ['false', 'FALSE', '0', 'off', 'no']) {
      process.env.SF_CLIENT_CREDENTIALS_RENEWAL = value;
      // eslint-disable-next-line no-await-in-loop
      const { root, core } = await pluginWithCore('9.9.0');
      // eslint-disable-next-line no-await-in-loop
      await runHookAs({ id: 'data:query', plugin: { root } }, tempDir());
      expect(core.AuthInfo[EXTENDED], value).to.equal(undefined);
    }
    expect(requestPaths(fixture().org)).to.deep.equal([]);
  });

  it("never stops a command, nor loads a core: a core that isn't loaded is left alone", async () => {
    const { org, authPath } = fixture();
    const before = await readFile(authPath, 'utf8');
    const unloaded = tempDir();
    await writeFakeCorePackage(unloaded, '9.1.0', 'throw new Error("loaded by the hook!")');
    const { debug } = await runHookAs({ id: 'data:query', plugin: { root: unloaded } }, tempDir());
    expect(debug.args.flat().join('\n')).to.include('is not loaded');
    expect(requestPaths(org)).to.deep.equal([]);
    expect(await readFile(authPath, 'utf8')).to.equal(before);
  });
});

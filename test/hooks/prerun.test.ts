import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hook } from '@oclif/core';
import { expect } from 'chai';
import sinon from 'sinon';
import hook from '../../src/hooks/prerun.js';
import { PLUGIN_FIELDS } from '../../src/preflight/authFields.js';
import {
  CLIENT_ID,
  decryptedFields,
  makeDue,
  patchAuthFile,
  requestPaths,
  USERNAME,
  useRenewalFixture,
} from '../support/renewalFixture.js';
import { writeFakeCorePackage } from '../support/fakeCore.js';
import { useTempDir } from '../support/tempHome.js';

type HookOptions = Parameters<typeof hook>[0];

/**
 * A CLI root without @salesforce/core: the hook then finds no core of the command's to extend (the
 * test process's own copy is left alone) and renews through this plugin's copy, as it does when
 * the command's core has an unexpected shape.
 */
const NO_CORE_ROOT = tmpdir();

/**
 * Runs the hook the way oclif does before a command: `this` is the hook context, options name the
 * command class (its id, flags and plugin), its argv, and the CLI's config. Returns the context's spies.
 */
const runHookAs = async (
  command: { id?: string; flags?: Record<string, unknown>; plugin?: { root: string } },
  argv: string[]
): Promise<{ warn: sinon.SinonSpy; debug: sinon.SinonSpy }> => {
  const warn = sinon.spy();
  const debug = sinon.spy();
  const context = { warn, log: sinon.spy(), error: sinon.spy(), exit: sinon.spy(), debug, config: { root: NO_CORE_ROOT } };
  const options = { Command: command, argv, config: { root: NO_CORE_ROOT }, context };
  await hook.call(context as unknown as Hook.Context, options as unknown as HookOptions);
  return { warn, debug };
};

const runHook = async (flags: Record<string, unknown> | undefined, argv: string[]): Promise<sinon.SinonSpy> =>
  (await runHookAs({ id: 'data:query', flags }, argv)).warn;

const TARGET_ORG_FLAGS = { 'target-org': {}, json: {} };

describe('prerun hook', () => {
  const fixture = useRenewalFixture();
  const savedCwd = process.cwd();

  before(() => {
    // Outside any project, so that only the test's flags, variables and ~/.sf/config.json count.
    process.chdir(tmpdir());
  });
  after(() => {
    process.chdir(savedCwd);
  });

  /** Makes the login due and its token dead at the org: the hook has to mint a new one. */
  const expireLogin = async (): Promise<void> => {
    await makeDue(fixture());
    fixture().org.expireAllTokens();
  };

  /** Checks that the hook minted exactly one token and stored it. */
  const expectRenewed = async (): Promise<void> => {
    const { org } = fixture();
    expect(org.tokenRequests()).to.equal(1);
    expect((await decryptedFields(USERNAME)).accessToken).to.equal(org.issuedTokens[1]);
  };

  it('renews a due login named by --target-org, without a warning', async () => {
    await expireLogin();
    const warn = await runHook(TARGET_ORG_FLAGS, ['--query', 'SELECT Id FROM Account', '--target-org', 'ci']);
    expect(warn.called).to.equal(false);
    await expectRenewed();
  });

  it('renews a due login named by -v for a command with --target-dev-hub', async () => {
    await expireLogin();
    const warn = await runHook({ 'target-dev-hub': {} }, ['-v', USERNAME]);
    expect(warn.called).to.equal(false);
    await expectRenewed();
  });

  it('renews the org of SF_TARGET_ORG when the command line names none', async () => {
    await expireLogin();
    process.env.SF_TARGET_ORG = 'ci';
    await runHook(TARGET_ORG_FLAGS, ['--json']);
    await expectRenewed();
  });

  it('renews the target-org of the global config', async () => {
    await expireLogin();
    await mkdir(join(fixture().home, '.sf'), { recursive: true });
    await writeFile(join(fixture().home, '.sf', 'config.json'), JSON.stringify({ 'target-org': 'ci' }));
    await runHook(TARGET_ORG_FLAGS, []);
    await expectRenewed();
  });

  it('renews once, and warns once, when both flags name the same org', async () => {
    await expireLogin();
    const flags = { 'target-org': {}, 'target-dev-hub': {} };
    expect((await runHook(flags, ['-o', 'ci', '-v', 'ci'])).called).to.equal(false);
    await expectRenewed();

    const { org } = fixture();
    await expireLogin();
    org.setClient({ clientId: CLIENT_ID, clientSecret: 'rotated-secret', runAsUsername: USERNAME });
    org.resetRequests();
    const warn = await runHook(flags, ['--target-org=ci', '--target-dev-hub=ci']);
    expect(warn.callCount).to.equal(1);
    expect(requestPaths(org)).to.deep.equal(['/services/oauth2/introspect', '/services/oauth2/token']);
  });

  it('renews and warns once when the alias and the username name the same org', async () => {
    const { org } = fixture();
    await expireLogin();
    org.setClient({ clientId: CLIENT_ID, clientSecret: 'rotated-secret', runAsUsername: USERNAME });
    org.resetRequests();
    const warn = await runHook({ 'target-org': {}, 'target-dev-hub': {} }, ['-o', 'ci', '-v', USERNAME]);
    expect(warn.callCount).to.equal(1);
    expect(requestPaths(org)).to.deep.equal(['/services/oauth2/introspect', '/services/oauth2/token']);
  });

  it('renews within SF_CLIENT_CREDENTIALS_RENEWAL_MARGIN of the expiry', async () => {
    // A fresh two-hour token is due with a margin of three hours.
    process.env.SF_CLIENT_CREDENTIALS_RENEWAL_MARGIN = String(3 * 60 * 60);
    await runHook(TARGET_ORG_FLAGS, ['-o', 'ci']);
    await expectRenewed();
  });

  it('does nothing for a command without --target-org or --target-dev-hub', async () => {
    const { org, authPath } = fixture();
    await expireLogin();
    process.env.SF_TARGET_ORG = 'ci';
    const before = await readFile(authPath, 'utf8');

    const warns = [await runHook({ json: {}, 'api-version': {} }, ['--target-org', 'ci']), await runHook(undefined, ['-o', 'ci'])];

    expect(warns.map((warn) => warn.called)).to.deep.equal([false, false]);
    expect(requestPaths(org)).to.deep.equal([]);
    expect(await readFile(authPath, 'utf8')).to.equal(before);
  });

  it('sends nothing when the token is not due', async () => {
    const { org, authPath } = fixture();
    const before = await readFile(authPath, 'utf8');
    const warn = await runHook(TARGET_ORG_FLAGS, ['-o', 'ci']);
    expect(warn.called).to.equal(false);
    expect(requestPaths(org)).to.deep.equal([]);
    expect(await readFile(authPath, 'utf8')).to.equal(before);
  });

  it('sends nothing for a login of another kind, or an org without an auth file', async () => {
    const { org, authPath } = fixture();
    await expireLogin();
    await patchAuthFile(authPath, Object.fromEntries(PLUGIN_FIELDS.map((field) => [field, undefined])));
    const before = await readFile(authPath, 'utf8');

    const warns = [await runHook(TARGET_ORG_FLAGS, ['-o', 'ci']), await runHook(TARGET_ORG_FLAGS, ['-o', 'nobody@example.com'])];

    expect(warns.map((warn) => warn.called)).to.deep.equal([false, false]);
    expect(requestPaths(org)).to.deep.equal([]);
    expect(await readFile(authPath, 'utf8')).to.equal(before);
  });

  it('turns a failed renewal into one warning and lets the command run', async () => {
    // The warning's text is renewal/failure.test.ts's, the untouched auth file renewal/renewDue.test.ts's.
    const { org } = fixture();
    await expireLogin();
    org.setClient({ clientId: CLIENT_ID, clientSecret: 'rotated-secret', runAsUsername: USERNAME });

    // Resolves: the command runs.
    const warn = await runHook(TARGET_ORG_FLAGS, ['-o', 'ci']);

    expect(warn.callCount).to.equal(1);
    expect(warn.firstCall.args[0]).to.be.a('string').that.matches(new RegExp(`^Could not renew the access token of ci \\(${USERNAME}\\)`));
  });

  it('does nothing with SF_CLIENT_CREDENTIALS_RENEWAL=false', async () => {
    const { org, authPath } = fixture();
    await expireLogin();
    // A renewal would fail and warn.
    org.setClient({ clientId: CLIENT_ID, clientSecret: 'rotated-secret', runAsUsername: USERNAME });
    const before = await readFile(authPath, 'utf8');

    for (const value of ['false', 'FALSE', '0', 'off', 'no']) {
      process.env.SF_CLIENT_CREDENTIALS_RENEWAL = value;
      const warn = await runHook(TARGET_ORG_FLAGS, ['-o', 'ci']);
      expect(warn.called, value).to.equal(false);
    }

    expect(requestPaths(org)).to.deep.equal([]);
    expect(await readFile(authPath, 'utf8')).to.equal(before);
  });

  it('cleans up, asking the org nothing, after another login replaced this one (sf org login access-token)', async () => {
    const { org, authPath } = fixture();
    await patchAuthFile(authPath, { accessToken: 'the-token-of-another-login' });
    const warn = await runHook(TARGET_ORG_FLAGS, ['-o', 'ci']);
    expect(warn.called).to.equal(false);
    const stored = JSON.parse(await readFile(authPath, 'utf8')) as Record<string, unknown>;
    for (const field of PLUGIN_FIELDS) expect(stored, field).not.to.have.property(field);
    expect(stored.accessToken).to.equal('the-token-of-another-login');
    expect(requestPaths(org)).to.deep.equal([]);
  });

  it('mints nothing before sf org logout, and removes what killed processes left', async () => {
    const { org, home } = fixture();
    await expireLogin();
    const leftover = join(home, '.sfdx', `.${USERNAME}.json.999999.0badf00d.tmp`);
    await writeFile(leftover, '{}');
    const { warn } = await runHookAs({ id: 'org:logout', flags: TARGET_ORG_FLAGS }, ['--target-org', 'ci', '--no-prompt']);
    expect(warn.called).to.equal(false);
    expect(requestPaths(org)).to.deep.equal([]);
    expect(existsSync(leftover)).to.equal(false);
  });

  it('has a scratch org of a client-credentials Dev Hub sign up through PlatformCLI, unless the user chose an app', async () => {
    await runHookAs({ id: 'org:create:scratch', flags: { 'target-dev-hub': {} } }, ['-v', 'ci', '-f', 'def.json']);
    expect(process.env.SF_SCRATCH_SIGNUP_CONNECTED_APP).to.equal('PlatformCLI');
    process.env.SF_SCRATCH_SIGNUP_CONNECTED_APP = 'MyApp';
    await runHookAs({ id: 'org:create:scratch', flags: { 'target-dev-hub': {} } }, ['-v', 'ci']);
    expect(process.env.SF_SCRATCH_SIGNUP_CONNECTED_APP).to.equal('MyApp');
    delete process.env.SF_SCRATCH_SIGNUP_CONNECTED_APP;
    await runHookAs({ id: 'org:create:scratch', flags: { 'target-dev-hub': {} } }, ['-v', 'ci', '--client-id', 'MyApp']);
    expect(process.env.SF_SCRATCH_SIGNUP_CONNECTED_APP).to.equal(undefined);
    await runHookAs({ id: 'org:create:scratch', flags: { 'target-dev-hub': {} } }, ['-v', 'someone-else@example.com']);
    expect(process.env.SF_SCRATCH_SIGNUP_CONNECTED_APP, 'a hub of another kind keeps its own app').to.equal(undefined);
    await runHookAs({ id: 'data:query', flags: { 'target-org': {} } }, ['-o', 'ci']);
    expect(process.env.SF_SCRATCH_SIGNUP_CONNECTED_APP).to.equal(undefined);
  });

  describe("extending the command's @salesforce/core", () => {
    const tempDir = useTempDir();
    let pluginRoot: string;
    const extended = Symbol.for('sf-plugin-client-credentials.extendedGetConnectionOptions');

    /** A plugin folder whose code resolves a @salesforce/core of the given version, loaded or not. */
    const pluginWithCore = async (version: string, load: boolean): Promise<{ AuthInfo: { prototype: Record<symbol, unknown> } } | undefined> => {
      pluginRoot = tempDir();
      await writeFakeCorePackage(
        pluginRoot,
        version,
        'class AuthInfo { static create() {} getConnectionOptions() { return {}; } getFields() { return {}; } getUsername() {} update() {} }\nmodule.exports = { AuthInfo };\n',
        { name: 'some-plugin' }
      );
      return load ? (createRequire(join(pluginRoot, 'package.json'))('@salesforce/core') as { AuthInfo: { prototype: Record<symbol, unknown> } }) : undefined;
    };
    it("extends the copy the command's plugin has loaded", async () => {
      const core = await pluginWithCore('9.9.0', true);
      await runHookAs({ id: 'data:query', flags: {}, plugin: { root: pluginRoot } }, []);
      expect(core?.AuthInfo.prototype[extended]).to.equal(true);
    });

    it('leaves a core of another major version alone, and says so at debug level', async () => {
      const core = await pluginWithCore('10.0.0', true);
      const { debug } = await runHookAs({ id: 'data:query', flags: {}, plugin: { root: pluginRoot } }, []);
      expect(core?.AuthInfo.prototype[extended]).to.equal(undefined);
      expect(debug.args.flat().join('\n')).to.include('was not extended').and.include('10.0.0');
    });
  });
});

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { BUILT_IN_APP_ID, DEFAULT_CLIENT, DEFAULT_USER, FakeOrg } from '../fake-org/server.js';
import { copySampleProject, SfSandbox, type SfResult } from '../support/sfSandbox.js';
import { makeDue } from '../compat/due.js';
import { DEFINITION_FILE, scratchUsername, tokenForms } from '../support/scratchOrgs.js';

const HUB_USER = { userId: '005FK0000000001', username: 'hub-admin@example.com' };
/** The hub login's app: a classic connected app, which core would use as the signup app and whose secret it would copy. */
const HUB_APP = { clientId: 'hub-connected-app', clientSecret: 'hub-client-secret-61e0d4', runAsUsername: HUB_USER.username, kind: 'connectedApp' as const };
/** See devhub.nut.ts: core logs each polled ScratchOrgInfo, AuthCode included, to sf's log at debug level. */
const LOGGED_BY_CORE = /^\.sf\/sf-[\d-]+\.log contains secret #\d+$/;

/** Writes an sfdx-config.json (the old config file core still reads) into `folder`/.sfdx. */
const writeSfdxConfig = async (folder: string, config: Record<string, string>): Promise<void> => {
  await mkdir(join(folder, '.sfdx'), { recursive: true });
  await writeFile(join(folder, '.sfdx', 'sfdx-config.json'), JSON.stringify(config));
};

/**
 * End to end with the newest sf (the pinned 2.150.6) and the packed plugin: the plugin follows the
 * Dev Hub and the target org that sf itself resolves, wherever sf reads them — the project's and
 * HOME's .sfdx/sfdx-config.json, grouped short flags, the deprecated environment names — and not
 * only the places it reads itself: the scratch org signs up through sf's built-in app and its auth
 * holds no key or secret of the hub; a due token of the default org is renewed before the command.
 */
describe('the Dev Hub and target org sf resolves, from every place sf reads them, end to end', function () {
  this.timeout(600_000);
  let hub: FakeOrg;
  let org: FakeOrg;
  let sf: SfSandbox;
  const projects: string[] = [];
  /** A fresh copy of the sample project, removed after the tests. */
  const project = async (): Promise<string> => {
    const folder = await copySampleProject();
    projects.push(folder);
    return folder;
  };

  const ok = (result: SfResult): void => {
    expect(result.code, result.stdout + result.stderr).to.equal(0);
  };

  before(async () => {
    hub = await FakeOrg.start({ isDevHub: true, users: [HUB_USER], clients: [HUB_APP] });
    org = await FakeOrg.start();
    sf = await SfSandbox.create({}, { plugin: 'installed' });
    // No --set-default-dev-hub, no --set-default: each test names the org in one place only.
    ok(await sf.run(['org', 'login', 'client-credentials', '--client-id', HUB_APP.clientId, '--instance-url', hub.url, '--alias', 'hub'], { env: { SALESFORCE_CLIENT_SECRET: HUB_APP.clientSecret } }));
    ok(await sf.run(['org', 'login', 'client-credentials', '--client-id', DEFAULT_CLIENT.clientId, '--instance-url', org.url, '--alias', 'ci'], { env: { SALESFORCE_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret } }));
  });

  after(async () => {
    const files = await sf.files();
    const leaks = await sf.findLeaks([HUB_APP.clientSecret, DEFAULT_CLIENT.clientSecret, ...hub.allIssuedTokens(), ...org.issuedTokens], files);
    const codeLeaks = await sf.findLeaks(hub.allIssuedAuthCodes(), files);
    await hub.stop();
    await org.stop();
    await sf.cleanup();
    await Promise.all(projects.map((folder) => rm(folder, { recursive: true, force: true })));
    expect(leaks, 'a secret or token in clear text in an output or a file under HOME').to.deep.equal([]);
    expect(codeLeaks.filter((hit) => !LOGGED_BY_CORE.test(hit)), 'an authorization code in clear text').to.deep.equal([]);
  });

  /** The newest signup went through sf's built-in app, and the scratch org's auth holds no key or secret of the hub. */
  const expectPlatformCliSignup = async (created: SfResult): Promise<void> => {
    ok(created);
    const username = scratchUsername(created);
    expect(hub.signups.at(-1), 'the signup app').to.include({ status: 'Active', consumerKey: BUILT_IN_APP_ID, signupUsername: username });
    const [exchange] = tokenForms(hub.scratchOrgs.at(-1) as FakeOrg, 'authorization_code');
    expect([exchange.get('client_id'), exchange.has('client_secret')], 'the code exchange').to.deep.equal([BUILT_IN_APP_ID, false]);
    const raw = await readFile(sf.authFilePath(username), 'utf8');
    const fields = JSON.parse(raw) as Record<string, unknown>;
    const hubSecret = String((await sf.readAuthFile(HUB_USER.username)).clientSecret);
    expect(fields, "the scratch org's auth").to.include({ clientId: BUILT_IN_APP_ID, devHubUsername: HUB_USER.username });
    expect(fields).to.not.have.property('clientSecret');
    expect(raw).to.not.include(HUB_APP.clientSecret);
    expect(raw).to.not.include(hubSecret);
  };

  const createScratch = async (alias: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<SfResult> =>
    sf.run(['org', 'create', 'scratch', ...args, '--definition-file', DEFINITION_FILE, '--alias', alias, '--wait', '5', '--json'], {
      cwd: options.cwd ?? (await project()),
      env: options.env,
    });

  it("the hub named in the project's .sfdx/sfdx-config.json (defaultdevhubusername)", async () => {
    const cwd = await project();
    await writeSfdxConfig(cwd, { defaultdevhubusername: 'hub' });
    await expectPlatformCliSignup(await createScratch('fromproject', [], { cwd }));
  });

  it('the hub given in grouped short flags: sf org create scratch -dv hub', async () => {
    await expectPlatformCliSignup(await createScratch('grouped', ['-dv', 'hub']));
  });

  it("the hub named in HOME's .sfdx/sfdx-config.json (defaultdevhubusername)", async () => {
    await writeSfdxConfig(sf.home, { defaultdevhubusername: 'hub' });
    try {
      await expectPlatformCliSignup(await createScratch('fromhome', []));
    } finally {
      await writeSfdxConfig(sf.home, {});
    }
  });

  it('the hub named by SFDX_DEFAULTDEVHUBUSERNAME', async () => {
    await expectPlatformCliSignup(await createScratch('fromenv', [], { env: { SFDX_DEFAULTDEVHUBUSERNAME: 'hub' } }));
  });

  /** Makes the token of `ci` due (its stored expiry passed, its session dead), runs a query without a target flag, and checks that the token was renewed first. */
  const expectRenewedBefore = async (options: { cwd?: string; env?: Record<string, string> }): Promise<void> => {
    await makeDue(sf.authFilePath(DEFAULT_USER.username), org);
    org.resetRequests();
    const before = org.tokenRequests();
    const query = await sf.run(['data', 'query', '--query', 'SELECT Id, Name FROM Account', '--json'], options);
    ok(query);
    expect(org.requests.filter((request) => request.status === 401).map((request) => request.path), 'requests sent with the expired token').to.deep.equal([]);
    expect(org.tokenRequests() - before, 'tokens minted').to.equal(1);
  };

  it("a due token of the org named in the project's .sfdx/sfdx-config.json (defaultusername) is renewed before the command", async () => {
    const cwd = await project();
    await writeSfdxConfig(cwd, { defaultusername: 'ci' });
    await expectRenewedBefore({ cwd });
  });

  it("a due token of the org named in HOME's .sfdx/sfdx-config.json (defaultusername) is renewed before the command", async () => {
    await writeSfdxConfig(sf.home, { defaultusername: 'ci' });
    try {
      await expectRenewedBefore({});
    } finally {
      await writeSfdxConfig(sf.home, {});
    }
  });

  it('a due token of the org named by SFDX_DEFAULTUSERNAME is renewed before the command', async () => {
    await expectRenewedBefore({ env: { SFDX_DEFAULTUSERNAME: DEFAULT_USER.username } });
  });
});

import { expect } from 'chai';
import { BUILT_IN_APP_ID, DEFAULT_CALLBACK_URL, FakeOrg } from '../fake-org/server.js';
import { copySampleProject, SfSandbox } from '../support/sfSandbox.js';
import { createScratchArgs, orgListContext, orgListRows, scratchUsername, tokenForms } from '../support/scratchOrgs.js';

const HUB_USER = { userId: '005FK0000000001', username: 'eca-hub-admin@example.com' };
/** The hub login's app: an External Client App with the client credentials flow (the default kind of app since Spring '26). */
const HUB_APP = { clientId: 'hub-external-client-app', clientSecret: 'eca-client-secret-2c9d0b', runAsUsername: HUB_USER.username, kind: 'externalClientApp' as const };
/** See devhub.nut.ts: core logs each polled ScratchOrgInfo, AuthCode included, to sf's log at debug level. */
const LOGGED_BY_CORE = /^\.sf\/sf-[\d-]+\.log contains secret #\d+$/;

/**
 * End to end with the real sf: a Dev Hub logged in with this plugin through an External Client
 * App. The signup goes through sf's built-in app, so it works; naming the External Client App as
 * signup app fails at signup with C-1016, as at Salesforce. Also `sf org resume scratch`. Over https.
 */
describe('a Dev Hub logged in with client credentials (External Client App): sf org create/resume/delete scratch, end to end', function () {
  this.timeout(300_000);
  let hub: FakeOrg;
  let sf: SfSandbox;
  let project: string;

  before(async () => {
    // Over https, as at Salesforce: the hub and its scratch orgs share one CA, which sf is given; they are named
    // https://localhost:PORT (the plugin refuses IP addresses over https, and an instance URL on another host).
    hub = await FakeOrg.start({ isDevHub: true, https: true, host: 'localhost', users: [HUB_USER], clients: [HUB_APP] });
    sf = await SfSandbox.create({ NODE_EXTRA_CA_CERTS: String(hub.caCertPath) });
    project = await copySampleProject();
  });

  after(async () => {
    const files = await sf.files();
    const leaks = await sf.findLeaks([HUB_APP.clientSecret, ...hub.allIssuedTokens()], files);
    const codeLeaks = await sf.findLeaks(hub.allIssuedAuthCodes(), files);
    await hub.stop();
    await sf.cleanup();
    expect(leaks, 'a secret or token in clear text in an output or a file under HOME').to.deep.equal([]);
    expect(codeLeaks.filter((hit) => !LOGGED_BY_CORE.test(hit)), 'an authorization code in clear text').to.deep.equal([]);
  });

  it('logs in to the Dev Hub with --set-default-dev-hub; sf org create scratch succeeds, signed up through sf\'s built-in app', async () => {
    const login = await sf.run(['org', 'login', 'client-credentials', '--client-id', HUB_APP.clientId, '--instance-url', hub.url, '--alias', 'hub', '--set-default-dev-hub'], {
      cwd: project,
      env: { SALESFORCE_CLIENT_SECRET: HUB_APP.clientSecret },
    });
    expect(login.code, login.stdout + login.stderr).to.equal(0);
    const created = await sf.run([...createScratchArgs('so'), '--json'], { cwd: project });
    expect(created.code, created.stdout + created.stderr).to.equal(0);
    expect(hub.signups[0]).to.include({ status: 'Active', consumerKey: BUILT_IN_APP_ID });
    expect(hub.signups[0].loginUrl).to.match(/^https:\/\/localhost:\d+$/);
    const fields = await sf.readAuthFile(scratchUsername(created));
    expect(fields).to.include({ clientId: BUILT_IN_APP_ID, devHubUsername: HUB_USER.username });
    expect(JSON.stringify(fields)).to.not.include(HUB_APP.clientSecret);
  });

  it('the External Client App as signup app (SF_SCRATCH_SIGNUP_CONNECTED_APP) fails with C-1016 and core\'s advice', async () => {
    const created = await sf.run([...createScratchArgs('eca'), '--json'], {
      cwd: project,
      env: { SF_SCRATCH_SIGNUP_CONNECTED_APP: HUB_APP.clientId, SF_SCRATCH_SIGNUP_CALLBACK_URL: DEFAULT_CALLBACK_URL },
    });
    expect(created.code, created.stdout + created.stderr).to.equal(1);
    expect(created.json).to.include({ name: 'RemoteOrgSignupFailed' });
    expect(created.json?.message).to.include('We encountered a problem while attempting to configure and approve the Connected App for your org.');
    expect(created.json?.actions?.join('\n')).to.include('SF_SCRATCH_SIGNUP_CONNECTED_APP=PlatformCLI');
    expect(hub.signups[1]).to.include({ status: 'Error', errorCode: 'C-1016', consumerKey: HUB_APP.clientId });
    expect(hub.scratchOrgs, 'no second scratch org').to.have.length(1);
  });

  it('sf org create scratch --async, then sf org resume scratch --job-id, authorizes the scratch org', async () => {
    const started = await sf.run([...createScratchArgs('later', ['--async']), '--json'], { cwd: project });
    expect(started.code, started.stdout + started.stderr).to.equal(0);
    const jobId = String((started.json?.result?.scratchOrgInfo as { Id: string }).Id);
    expect(hub.signups[2]).to.include({ id: jobId, status: 'New' });
    const resumed = await sf.run(['org', 'resume', 'scratch', '--job-id', jobId, '--json'], { cwd: project });
    expect(resumed.code, resumed.stdout + resumed.stderr).to.equal(0);
    expect(hub.signups[2].status).to.equal('Active');
    const [exchange] = tokenForms(hub.scratchOrgs[1], 'authorization_code');
    expect([exchange.get('client_id'), exchange.has('client_secret')]).to.deep.equal([BUILT_IN_APP_ID, false]);
    expect((await sf.readAliases()).later).to.equal(scratchUsername(resumed));
  });

  it("with every token killed, sf org list and sf org delete scratch still work: the hub's token is renewed inside each", async () => {
    hub.expireAllTokens({ scratchOrgs: true });
    const before = hub.tokenRequests();
    // As a pipeline runs it: with CI set, sf prints its tables without borders.
    const list = await sf.run(['org', 'list'], { cwd: project, env: { CI: 'true' } });
    expect(list.code, list.stdout + list.stderr).to.equal(0);
    const why = await orgListContext(sf, list, hub, ['so', 'later']);
    expect(orgListRows(list.stdout).filter((row) => row.type === 'Scratch').map((row) => [row.alias, row.status]), why).to.have.deep.members([['so', 'Active'], ['later', 'Active']]);
    hub.expireAllTokens({ scratchOrgs: true });
    const deleted = await sf.run(['org', 'delete', 'scratch', '-o', 'later', '--no-prompt', '--json'], { cwd: project });
    expect(deleted.code, deleted.stdout + deleted.stderr).to.equal(0);
    expect(hub.signups[2].status).to.equal('Deleted');
    expect(hub.tokenRequests(), 'one new token for the hub in each command').to.equal(before + 2);
  });
});

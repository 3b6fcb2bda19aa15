import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_CLIENT, DEFAULT_USER, FakeOrg } from '../fake-org/server.js';
import { loginArgs } from '../support/failedLogin.js';
import { copySampleProject, flatten, SfSandbox } from '../support/sfSandbox.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;
const { username: USERNAME } = DEFAULT_USER;
const OTHER_CLIENT = 'other-client-id';
const OTHER_USERNAME = 'other-user@example.com';
const secretEnv = { env: { SALESFORCE_CLIENT_SECRET: SECRET } };

/** End to end: the real sf CLI, this plugin linked, an isolated HOME, the project's fake org. */
describe('sf org login client-credentials, end to end', function () {
  this.timeout(300_000);
  let org: FakeOrg;
  let sf: SfSandbox;

  const login = (extra: string[] = [], env: Record<string, string> = { SALESFORCE_CLIENT_SECRET: SECRET }) =>
    sf.run(['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', org.url, ...extra], { env });

  before(async () => {
    org = await FakeOrg.start({
      users: [
        { userId: '005FK0000000001', username: USERNAME },
        { userId: '005FK0000000002', username: OTHER_USERNAME },
      ],
      clients: [
        { clientId: CLIENT_ID, clientSecret: SECRET, runAsUsername: USERNAME },
        { clientId: OTHER_CLIENT, clientSecret: SECRET, runAsUsername: OTHER_USERNAME },
      ],
    });
    sf = await SfSandbox.create({}, { log: 'trace' });
  });

  after(async () => {
    const leaks = await sf.findLeaks([SECRET, ...org.issuedTokens]);
    await org.stop();
    await sf.cleanup();
    expect(leaks, 'secret or token in clear text in an output or a file under HOME').to.deep.equal([]);
  });

  it('logs in with --alias and sf org display shows the org', async () => {
    const result = await login(['--alias', 'ci', '--json']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.json?.result).to.include({ username: USERNAME, orgId: org.orgId, alias: 'ci', accessToken: '[REDACTED]' });
    expect(result.json?.result).to.not.have.property('clientSecret');

    const display = await sf.run(['org', 'display', '--target-org', 'ci', '--json']);
    expect(display.code, display.stderr).to.equal(0);
    expect(display.json?.result).to.include({ username: USERNAME, id: org.orgId, connectedStatus: 'Connected', alias: 'ci' });
    expect(String(display.json?.result?.instanceUrl).replace(/\/$/, '')).to.equal(org.url);
  });

  it('prints one success line naming the username, org ID and alias', async () => {
    const result = await login(['--alias', 'ci']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout.trim()).to.equal(`Logged in to org ${org.orgId} as ${USERNAME}, alias ci.`);
  });

  it('sf data query returns the Account rows, without asking for the API versions or rewriting the auth file', async () => {
    const before = await readFile(sf.authFilePath(USERNAME), 'utf8');
    org.resetRequests();
    const result = await sf.run(['data', 'query', '--query', 'SELECT Id, Name FROM Account', '--target-org', 'ci', '--json']);
    expect(result.code, result.stderr).to.equal(0);
    const records = (result.json?.result as { records: Array<{ Name: string }> }).records;
    expect(records.map((record) => record.Name)).to.deep.equal(['Acme Corporation', 'Global Media']);
    // The login stored core's API version cache: sf used it, and had nothing to write back.
    expect(org.requests.map((request) => request.path)).to.not.include('/services/data');
    expect(await readFile(sf.authFilePath(USERNAME), 'utf8')).to.equal(before);
  });

  it('sf org list lists the org under its alias', async () => {
    const result = await sf.run(['org', 'list', '--json']);
    expect(result.code, result.stderr).to.equal(0);
    const all = Object.values(result.json?.result as Record<string, Array<{ username: string; alias?: string }>>).flat();
    expect(all.find((entry) => entry.username === USERNAME)).to.include({ alias: 'ci' });
  });

  it('sf project deploy start deploys a small project', async () => {
    const project = await copySampleProject();
    const result = await sf.run(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', 'ci', '--json'], {
      cwd: project,
    });
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.json?.result).to.include({ status: 'Succeeded', success: true });
  });

  it('--set-default makes the org the target of commands without --target-org', async () => {
    const project = await copySampleProject();
    const result = await sf.run(
      ['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', org.url, '--alias', 'dflt', '--set-default'],
      { cwd: project, env: { SALESFORCE_CLIENT_SECRET: SECRET } }
    );
    expect(result.code, result.stderr).to.equal(0);
    const config = JSON.parse(await readFile(join(project, '.sf', 'config.json'), 'utf8')) as Record<string, string>;
    expect(config['target-org']).to.equal('dflt');
    const display = await sf.run(['org', 'display', '--json'], { cwd: project });
    expect(display.code, display.stderr).to.equal(0);
    expect(display.json?.result).to.include({ username: USERNAME, alias: 'dflt' });
  });

  it('a second login replaces the token and the alias still works', async () => {
    const before = await sf.readAuthFile(USERNAME);
    const tokensBefore = org.issuedTokens.length;
    const result = await login(['--alias', 'ci']);
    expect(result.code, result.stderr).to.equal(0);
    expect(org.issuedTokens.length).to.equal(tokensBefore + 1);
    const after = await sf.readAuthFile(USERNAME);
    expect(after.accessToken).to.not.equal(before.accessToken);
    const query = await sf.run(['data', 'query', '--query', 'SELECT Id, Name FROM Account', '--target-org', 'ci', '--json']);
    expect(query.code, query.stderr).to.equal(0);
    expect(org.isTokenActive(org.issuedTokens.at(-1) as string)).to.equal(true);
  });

  it('keeps the secret and the token encrypted in the auth file', async () => {
    const raw = await readFile(sf.authFilePath(USERNAME), 'utf8');
    expect(raw).to.not.include(SECRET);
    for (const token of org.issuedTokens) expect(raw).to.not.include(token);
    const fields = JSON.parse(raw) as Record<string, unknown>;
    expect(fields.clientId).to.equal(CLIENT_ID);
    expect(fields.clientSecret).to.be.a('string').and.match(/^[0-9a-f]+:[0-9a-f]+$/);
    expect(fields.clientCredentialsExpiry).to.be.a('number');
  });

  it("an alias of another org is taken over, with a warning that names the old target (sf's own logins say nothing)", async () => {
    const aliases = await sf.readAliases();
    expect(aliases.ci).to.equal(USERNAME);
    const result = await sf.run(loginArgs(OTHER_CLIENT, org.url, ['--alias', 'ci']), secretEnv);
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.json?.warnings).to.deep.equal([`The alias "ci" pointed to ${USERNAME}; it now points to ${OTHER_USERNAME}.`]);
    expect(await sf.readAliases()).to.deep.equal({ ...aliases, ci: OTHER_USERNAME });
    const human = await login(['--alias', 'ci']);
    expect(human.code).to.equal(0);
    expect(flatten(human.stderr)).to.include(`Warning: The alias "ci" pointed to ${OTHER_USERNAME}; it now points to ${USERNAME}.`);
  });

  it('--set-default outside a project sets the global default and says so', async () => {
    // The sandbox's working folder is its HOME, which is not in an sf project.
    const result = await login(['--alias', 'global-ci', '--set-default']);
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(flatten(result.stderr + result.stdout)).to.include('This folder is not in an sf project, so global-ci was set as the global default');
    const config = JSON.parse(await readFile(join(sf.home, '.sf', 'config.json'), 'utf8')) as Record<string, string>;
    expect(config['target-org']).to.equal('global-ci');
    const display = await sf.run(['org', 'display', '--json']);
    expect(display.code, display.stdout + display.stderr).to.equal(0);
    expect(display.json?.result).to.include({ username: USERNAME });
  });
});

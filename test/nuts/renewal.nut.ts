import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { DEFAULT_CLIENT, DEFAULT_USER, FakeOrg } from '../fake-org/server.js';
import { mint } from '../support/orgClient.js';
import { copySampleProject, flatten, SfSandbox, type SfResult } from '../support/sfSandbox.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;
const { username: USERNAME } = DEFAULT_USER;
/** Session timeout of the fake org in these tests: tokens die this long after their last use. */
const TIMEOUT_S = 3;

/** Renewal of expired client-credential tokens by the prerun hook, with the real sf CLI. */
describe('token renewal, end to end', function () {
  this.timeout(600_000);
  let org: FakeOrg;
  let sf: SfSandbox;

  const login = (alias = 'ci', extra: string[] = [], cwd?: string): Promise<SfResult> =>
    sf.run(['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', org.url, '--alias', alias, ...extra], {
      env: { SALESFORCE_CLIENT_SECRET: SECRET },
      cwd,
    });
  const query = (args: string[] = ['--target-org', 'ci'], env: Record<string, string> = {}, cwd?: string): Promise<SfResult> =>
    sf.run(['data', 'query', '--query', 'SELECT Id, Name FROM Account', '--json', ...args], { env, cwd });
  /** Lets every token the fake org issued die of old age (and the stored expiry pass). */
  const expire = async (): Promise<void> => {
    await sleep((TIMEOUT_S + 1) * 1000);
    org.expireAllTokens();
  };

  beforeEach(async () => {
    org = await FakeOrg.start({ sessionTimeoutSeconds: TIMEOUT_S });
    sf = await SfSandbox.create();
  });

  afterEach(async () => {
    const leaks = await sf.findLeaks([SECRET, 'rotated-secret', ...org.issuedTokens]);
    await org.stop();
    await sf.cleanup();
    expect(leaks).to.deep.equal([]);
  });

  it('renews an expired token before sf data query, and stores the new one', async () => {
    expect((await login()).code).to.equal(0);
    const before = await sf.readAuthFile(USERNAME);
    await expire();
    const result = await query();
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect((result.json?.result as { totalSize: number }).totalSize).to.equal(2);
    expect(org.tokenRequests()).to.equal(2);
    const after = await sf.readAuthFile(USERNAME);
    expect(after.accessToken).to.not.equal(before.accessToken);
    expect(after.clientCredentialsExpiry as number).to.be.greaterThan(Date.now());
    expect(org.isTokenActive(org.issuedTokens[1])).to.equal(true);
  });

  it('renews for the default target org (no flag) and for SF_TARGET_ORG', async () => {
    const project = await copySampleProject();
    expect((await login('dflt', ['--set-default'], project)).code).to.equal(0);
    await expire();
    const byDefault = await query([], {}, project);
    expect(byDefault.code, byDefault.stdout + byDefault.stderr).to.equal(0);
    await expire();
    const byEnv = await query([], { SF_TARGET_ORG: 'dflt' });
    expect(byEnv.code, byEnv.stdout + byEnv.stderr).to.equal(0);
    expect(org.tokenRequests()).to.equal(3);
  });

  it('renews before sf project deploy start', async () => {
    expect((await login()).code).to.equal(0);
    await expire();
    const result = await sf.run(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', 'ci', '--json'], {
      cwd: await copySampleProject(),
    });
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.json?.result).to.include({ status: 'Succeeded' });
  });

  it('warns once when the secret was rotated, leaves the auth intact, and a new login fixes it', async () => {
    expect((await login()).code).to.equal(0);
    const before = await sf.readAuthFile(USERNAME);
    org.setClient({ clientId: CLIENT_ID, clientSecret: 'rotated-secret', runAsUsername: USERNAME });
    await expire();
    const result = await query();
    expect(result.code).to.equal(1);
    const stderr = flatten(result.stderr);
    expect(stderr).to.include('Could not renew the access token of ci (ci-user@example.com)');
    expect(stderr).to.include('refused the client secret');
    expect(stderr).to.include(`sf org login client-credentials --client-id fake-client-id --instance-url ${org.url} --alias ci`);
    expect(stderr.match(/Could not renew/g)).to.have.length(1);
    expect(result.json?.name).to.equal('INVALID_SESSION_ID');
    // sf data query itself adds instanceApiVersion to the file; what renewal owns is untouched.
    const after = await sf.readAuthFile(USERNAME);
    for (const field of ['accessToken', 'clientSecret', 'clientId', 'clientCredentialsExpiry', 'instanceUrl']) {
      expect(after[field], field).to.equal(before[field]);
    }

    const again = await sf.run(['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', org.url, '--alias', 'ci'], {
      env: { SALESFORCE_CLIENT_SECRET: 'rotated-secret' },
    });
    expect(again.code, again.stderr).to.equal(0);
    expect((await query()).code).to.equal(0);
  });

  it('never touches an org logged in with sf org login access-token', async () => {
    org.setSessionTimeout(3600);
    const { access_token: token } = await mint(org);
    const stored = await sf.run(['org', 'login', 'access-token', '--instance-url', org.url, '--alias', 'plain', '--no-prompt'], {
      env: { SF_ACCESS_TOKEN: token },
    });
    expect(stored.code, stored.stderr).to.equal(0);
    const requests = org.tokenRequests();
    org.expireAllTokens();
    const result = await query(['--target-org', 'plain']);
    expect(result.code).to.equal(1);
    expect(result.json?.name).to.equal('INVALID_SESSION_ID');
    expect(result.stderr).to.not.include('Could not renew');
    expect(org.tokenRequests()).to.equal(requests);
  });

  it('10 parallel sf data query runs on an expired org all succeed, minting few tokens', async () => {
    expect((await login()).code).to.equal(0);
    await expire();
    const results = await Promise.all(Array.from({ length: 10 }, () => query()));
    results.forEach((result) => expect(result.code, result.stdout + result.stderr).to.equal(0));
    const minted = org.tokenRequests() - 1;
    expect(minted).to.be.within(1, 2);
    const fields = await sf.readAuthFile(USERNAME);
    expect(fields.username).to.equal(USERNAME);
  });

  it('with SF_CLIENT_CREDENTIALS_RENEWAL=false the expired token fails as before', async () => {
    expect((await login()).code).to.equal(0);
    await expire();
    const result = await query(['--target-org', 'ci'], { SF_CLIENT_CREDENTIALS_RENEWAL: 'false' });
    expect(result.code).to.equal(1);
    expect(result.json?.name).to.equal('INVALID_SESSION_ID');
    expect(org.tokenRequests()).to.equal(1);
  });

  it('sf org logout leaves no client secret behind in HOME', async () => {
    expect((await login()).code).to.equal(0);
    const encryptedSecret = (await sf.readAuthFile(USERNAME)).clientSecret as string;
    const logout = await sf.run(['org', 'logout', '--target-org', 'ci', '--no-prompt']);
    expect(logout.code, logout.stderr).to.equal(0);
    const files = await sf.files();
    expect(files.map((file) => file.path)).to.not.include(join('.sfdx', `${USERNAME}.json`));
    expect(files.filter((file) => file.text.includes(encryptedSecret) || file.text.includes(SECRET)).map((f) => f.path)).to.deep.equal([]);
  });
});

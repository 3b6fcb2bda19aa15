import { mkdir, rm, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_CLIENT, DEFAULT_USER, FakeOrg } from '../fake-org/server.js';
import { expectFailedLogin, loginArgs } from '../support/failedLogin.js';
import { patchAuthFile } from '../support/renewalFixture.js';
import { SfSandbox, type SfResult } from '../support/sfSandbox.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;
const { username: USERNAME } = DEFAULT_USER;
const ENV = { env: { SALESFORCE_CLIENT_SECRET: SECRET } };
const HOUR = 60 * 60 * 1000;
/** Bidirectional controls: they make a terminal show text in another order than it is. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * The files and the clock around the user, end to end with the real sf: a stale lock that cannot
 * be removed, a lock dated in the future, an auth file of the first release that another login took over, a clock ahead of the org's, a server that echoes the
 * secret with a control character inside, bidirectional controls in names, and a secret after `--`.
 */
describe('trust: files, locks and clocks around the user, end to end', function () {
  this.timeout(600_000);
  let org: FakeOrg;
  let sf: SfSandbox;
  const sfdx = (...names: string[]): string => join(sf.home, '.sfdx', ...names);

  const login = (): Promise<SfResult> => sf.run(loginArgs(CLIENT_ID, org.url, ['--alias', 'ci']), ENV);
  const query = (timeoutMs?: number): Promise<SfResult> =>
    sf.run(['data', 'query', '--query', 'SELECT Id FROM Account', '--target-org', 'ci', '--json'], { timeoutMs });
  const ok = (result: SfResult): void => {
    expect(result.code, result.stdout + result.stderr).to.equal(0);
  };
  const dated = async (path: string, msFromNow: number): Promise<void> => {
    const when = new Date(Date.now() + msFromNow);
    await utimes(path, when, when);
  };

  before(async () => {
    org = await FakeOrg.start();
    sf = await SfSandbox.create({}, { log: 'trace' });
  });
  afterEach(() => {
    org.clearFaults();
  });
  after(async () => {
    // Not the secret given after --: sf itself logs its command line at trace level, before the plugin runs (see the README).
    const leaks = await sf.findLeaks([SECRET, ...org.issuedTokens]);
    await org.stop();
    await sf.cleanup();
    expect(leaks, 'secret or token in clear text in an output or a file under HOME or its temp folder').to.deep.equal([]);
  });

  it('a two-hour-old renewal lock that cannot be removed (not empty): the command ends at once, naming the lock and what to do', async () => {
    ok(await login());
    const lock = sfdx(`${USERNAME}.json.renewal.lock`);
    await mkdir(join(lock, 'left-behind'), { recursive: true });
    await dated(lock, -2 * HOUR);
    org.expireAllTokens();
    const started = Date.now();
    const result = await query(90_000);
    const output = result.stdout + result.stderr;
    expect(result.code, output).to.equal(1);
    expect(Date.now() - started, 'no hang, no wait for the renewal budget').to.be.below(45_000);
    expect(output).to.include(lock).and.include('could not be removed (ENOTEMPTY)').and.include(`rm -r \\"${lock}\\"`);
    // Removed by hand, as the message says: the next command renews.
    await rm(lock, { recursive: true });
    ok(await query());
  });

  it('an alias.json lock that cannot be removed: the login fails naming it and the fix, and changes nothing', async () => {
    const lock = sfdx('alias.json.lock');
    await mkdir(join(lock, 'left-behind'), { recursive: true });
    await dated(lock, -2 * HOUR);
    try {
      await expectFailedLogin(sf, loginArgs(CLIENT_ID, org.url, ['--alias', 'ci']), ENV, {
        name: 'RegistrationFailedError',
        message: new RegExp(`${lock.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} .*could not be removed \\(ENOTEMPTY\\)\\. Remove it by hand .*rm -r`),
      });
    } finally {
      await rm(lock, { recursive: true });
    }
  });

  it('a renewal lock dated an hour in the future: taken over, not waited on', async () => {
    ok(await login());
    const lock = sfdx(`${USERNAME}.json.renewal.lock`);
    await mkdir(lock);
    await dated(lock, HOUR);
    org.expireAllTokens();
    const started = Date.now();
    ok(await query(90_000));
    expect(Date.now() - started, 'less than the renewal budget').to.be.below(30_000);
  });

  it('an auth file of the first release (no stamps) that a web login took over: not renewed with that login\u2019s client ID', async () => {
    ok(await login());
    // What core leaves when it merges a web login over a 0.1 file: the old expiry, a new token,
    // refresh token and consumer key, no stamps (0.1 wrote none).
    await patchAuthFile(sf.authFilePath(USERNAME), {
      clientCredentialsStamp: undefined,
      clientCredentialsKeyStamp: undefined,
      clientCredentialsConsumerKey: undefined,
      clientCredentialsStoredAt: undefined,
      clientCredentialsExpiry: Date.now() - HOUR,
      clientId: 'PlatformCLI',
    });
    org.expireAllTokens();
    const requests = org.tokenRequests();
    await query();
    expect(org.tokenRequests(), 'no token request').to.equal(requests);
    expect(await sf.readAuthFile(USERNAME)).to.not.have.property('clientCredentialsExpiry');
  });

  it('a clock ahead of the org\u2019s by more than a token lifetime (every expiry in the past): no renewal before every command', async () => {
    ok(await login());
    const requests = org.tokenRequests();
    // What such a clock sees right after the login: an expiry an hour gone.
    await patchAuthFile(sf.authFilePath(USERNAME), { clientCredentialsExpiry: Date.now() - HOUR });
    for (let i = 0; i < 3; i++) ok(await query()); // eslint-disable-line no-await-in-loop
    expect(org.tokenRequests(), 'no token request before the commands').to.equal(requests);
  });

  it('a server that echoes the secret with a control character inside it: the secret is redacted, not joined back', async () => {
    const strewn = `${SECRET.slice(0, 5)}\u0007${SECRET.slice(5)}`;
    org.setFault('token', { kind: 'oauthError', error: 'weird_error', description: `you sent ${strewn}` });
    const result = await expectFailedLogin(sf, loginArgs(CLIENT_ID, org.url), ENV, { name: 'OAuthError' });
    expect(result.json?.message).to.include('you sent [REDACTED]');
  });

  it('a username with a bidirectional override: UnsafeUsernameError, shown without the control', async () => {
    org.setFault('userinfo', { kind: 'setField', field: 'preferred_username', value: 'admin\u202e@moc.evil.com' });
    const result = await expectFailedLogin(sf, loginArgs(CLIENT_ID, org.url), ENV, { name: 'UnsafeUsernameError' });
    expect(BIDI.test(result.stdout + result.stderr)).to.equal(false);
  });

  it('an org name with bidirectional controls is stored and shown without them', async () => {
    const named = await FakeOrg.start({ organization: { Name: 'Acme\u202e Corp\u2066\u2069' } });
    try {
      const result = await sf.run(loginArgs(CLIENT_ID, named.url, ['--alias', 'named']), ENV);
      expect(result.code, result.stdout + result.stderr).to.equal(0);
      expect(result.json?.result).to.include({ name: 'Acme Corp' });
      const list = await sf.run(['org', 'list', '--json']);
      expect(BIDI.test(list.stdout)).to.equal(false);
    } finally {
      await named.stop();
    }
  });

  it('--client-secret after --: a parse error that names neither the flag\u2019s value nor the secret', async () => {
    const afterDash = 'AfterDashSecret-5e1b77';
    for (const json of [[], ['--json']]) {
      // eslint-disable-next-line no-await-in-loop
      const result = await sf.run(['org', 'login', 'client-credentials', '-i', CLIENT_ID, '-r', org.url, ...json, '--', '--client-secret', afterDash]);
      expect(result.code).to.equal(2);
      expect(result.stdout + result.stderr).to.include('Unexpected argument').and.not.include(afterDash);
    }
  });
});

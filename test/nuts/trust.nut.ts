import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_CLIENT, FakeOrg } from '../fake-org/server.js';
import { startConnectProxy } from '../support/connectProxy.js';
import { expectFailedLogin, loginArgs } from '../support/failedLogin.js';
import { SfSandbox } from '../support/sfSandbox.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;
const ENV = { env: { SALESFORCE_CLIENT_SECRET: SECRET } };
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/**
 * A hostile org server, a stray argument: every case ends in a named error, exit code 1, nothing
 * changed anywhere under HOME (logs and caches aside), and no secret or token in any output.
 */
describe('trust: hostile servers and stray arguments, end to end', function () {
  this.timeout(600_000);
  let org: FakeOrg;
  let https: FakeOrg;
  let sf: SfSandbox;

  before(async () => {
    [org, https] = await Promise.all([FakeOrg.start(), FakeOrg.start({ https: true, host: 'localhost' })]);
    sf = await SfSandbox.create({ NODE_EXTRA_CA_CERTS: https.caCertPath as string }, { log: 'trace' });
  });
  afterEach(() => {
    org.clearFaults();
    https.clearFaults();
  });
  after(async () => {
    const leaks = await sf.findLeaks([SECRET, ...org.issuedTokens, ...https.issuedTokens]);
    await Promise.all([org.stop(), https.stop()]);
    await sf.cleanup();
    expect(leaks, 'secret or token in clear text in an output or a file under HOME or its temp folder').to.deep.equal([]);
  });

  for (const [what, username] of [
    ['a path', 'x@y/../../victim/settings'],
    ['the name of sf\u2019s key file', 'key'],
    ['the name of sf\u2019s alias file', 'alias'],
    ['a name with an escape sequence', 'a@b.com\u001b[31m'],
  ]) {
    it(`a username that is ${what}: UnsafeUsernameError, no file anywhere`, async () => {
      org.setFault('userinfo', { kind: 'setField', field: 'preferred_username', value: username });
      const result = await expectFailedLogin(sf, loginArgs(CLIENT_ID, org.url), ENV, { name: 'UnsafeUsernameError', message: /not a Salesforce username/ });
      expect(existsSync(join(sf.home, 'victim'))).to.equal(false);
      expect(CONTROL.test(result.stdout + result.stderr)).to.equal(false);
    });
  }

  it('an instance_url over plain http to another host: InsecureInstanceUrlError, and the token goes nowhere', async () => {
    org.setFault('token', { kind: 'setField', field: 'instance_url', value: 'http://evil.example.com' });
    // Every request goes through a proxy that records where: only the token request may go out, to the org.
    const recording = await startConnectProxy();
    try {
      await expectFailedLogin(sf, loginArgs(CLIENT_ID, org.url), { env: { ...ENV.env, HTTP_PROXY: recording.url } }, {
        name: 'InsecureInstanceUrlError',
        message: /plain http/,
      });
      expect(recording.connects.map((connect) => connect.target)).to.deep.equal([new URL(org.url).host]);
    } finally {
      await recording.close();
    }
  });

  it('an instance_url over https to a host that is not Salesforce: UntrustedInstanceUrlError', async () => {
    https.setFault('token', { kind: 'setField', field: 'instance_url', value: 'https://evil.example.com' });
    await expectFailedLogin(sf, loginArgs(CLIENT_ID, https.url), ENV, { name: 'UntrustedInstanceUrlError', message: /evil\.example\.com/ });
  });

  it('an answer that trickles (headers, three bytes, then nothing): TimeoutError within HTTP_TIMEOUT', async () => {
    org.setFault('token', { kind: 'trickle' });
    const started = Date.now();
    await expectFailedLogin(sf, loginArgs(CLIENT_ID, org.url), { env: { ...ENV.env, HTTP_TIMEOUT: '2000' } }, { name: 'TimeoutError' });
    expect(Date.now() - started).to.be.below(20_000);
  });

  it('an oversized answer: ResponseTooLargeError, no crash', async () => {
    org.setFault('userinfo', { kind: 'huge', bytes: 8 * 1024 * 1024 });
    await expectFailedLogin(sf, loginArgs(CLIENT_ID, org.url), ENV, { name: 'ResponseTooLargeError' });
  });

  it('escape sequences in an error description reach no output', async () => {
    org.setFault('token', { kind: 'oauthError', error: 'weird_error', description: 'bad \u001b]0;pwned\u0007 \u001b[2J things' });
    const result = await expectFailedLogin(sf, loginArgs(CLIENT_ID, org.url), ENV, { name: 'OAuthError' });
    expect(CONTROL.test(result.stdout + result.stderr)).to.equal(false);
    expect(result.json?.message).to.match(/bad +things/);
  });

  it('a flag parse error never repeats --client-secret, in either spelling, on stderr or in --json', async () => {
    // Its own secret: sf itself logs the command line at trace level, before the plugin runs (see the README).
    const flagSecret = 'FlagOnlySecret-7f3a9c21';
    for (const secretArgs of [['--client-secret', flagSecret], [`--client-secret=${flagSecret}`]]) {
      for (const json of [[], ['--json']]) {
        // eslint-disable-next-line no-await-in-loop
        const result = await sf.run(['org', 'login', 'client-credentials', '-i', CLIENT_ID, '-r', org.url, ...secretArgs, 'stray-arg', ...json]);
        expect(result.code).to.equal(2);
        expect(result.stdout + result.stderr).to.include('stray-arg').and.not.include(flagSecret);
      }
    }
  });

  it('a project sfdcLoginUrl that sf refuses: ProjectLoginUrlRefusedError saying why', async () => {
    const project = join(sf.home, 'project');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sfdcLoginUrl: 'https://evil.example.com' }));
    await expectFailedLogin(sf, loginArgs(CLIENT_ID, undefined), { ...ENV, cwd: project }, {
      name: 'ProjectLoginUrlRefusedError',
      message: /evil\.example\.com.*not a valid Salesforce domain/,
    });
  });

  it('an org name with escape sequences is stored and shown without them', async () => {
    const named = await FakeOrg.start({ organization: { Name: 'Acme\u001b[31m Corp\u0007' } });
    try {
      const login = await sf.run(loginArgs(CLIENT_ID, named.url, ['--alias', 'named']), ENV);
      expect(login.code, login.stdout + login.stderr).to.equal(0);
      expect(login.json?.result).to.include({ name: 'Acme Corp' });
      const list = await sf.run(['org', 'list', '--json']);
      expect(CONTROL.test(list.stdout)).to.equal(false);
      expect(list.stdout).to.include('Acme Corp');
    } finally {
      await named.stop();
    }
  });
});

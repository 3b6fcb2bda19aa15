import { expect } from 'chai';
import { DEFAULT_CLIENT, DEFAULT_USER, FakeOrg } from '../fake-org/server.js';
import { closedPort } from '../support/ports.js';
import { expectFailedLogin, loginArgs } from '../support/failedLogin.js';
import { SfSandbox, type SfResult } from '../support/sfSandbox.js';
import { startTinyproxy, tinyproxyInstalled, type Tinyproxy } from '../support/tinyproxy.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;
const { username: USERNAME } = DEFAULT_USER;

/**
 * How many tunnels tinyproxy opened to a port, whatever the host name.
 */
const connectLines = (log: string, hostAndPort: string): number => {
  const port = hostAndPort.split(':').at(-1) as string;
  return log.split('\n').filter((line) => new RegExp(`CONNECT [^ ]+:${port} HTTP/1\\.1`).test(line)).length;
};

/**
 * A login through a real HTTP proxy (tinyproxy on loopback). The token request goes through
 * jsforce's transport like every sf command, so HTTPS_PROXY works, and so does
 * NODE_EXTRA_CA_CERTS for the org's certificate at the end of the tunnel. jsforce sends every
 * request through the proxy and does not read NO_PROXY, loopback targets included, so the
 * requests here really cross the proxy: its log must show them.
 */
describe('login through an HTTP proxy (tinyproxy), end to end', function () {
  this.timeout(300_000);
  let proxy: Tinyproxy;
  let org: FakeOrg;
  let sf: SfSandbox;
  let target: string;

  const login = (instanceUrl: string, env: Record<string, string> = {}): Promise<SfResult> =>
    sf.run(loginArgs(CLIENT_ID, instanceUrl, ['--alias', 'proxied']), { env: { SALESFORCE_CLIENT_SECRET: SECRET, ...env } });

  before(async () => {
    if (!tinyproxyInstalled()) {
      throw new Error('tinyproxy is not installed: apt-get update && apt-get install -y tinyproxy (.ci/run installs it)');
    }
    proxy = await startTinyproxy();
    // https://localhost:PORT: the plugin refuses IP addresses over https.
    org = await FakeOrg.start({ https: true, host: 'localhost' });
    target = new URL(org.url).host;
    sf = await SfSandbox.create({ NODE_EXTRA_CA_CERTS: org.caCertPath as string, HTTPS_PROXY: proxy.url }, { log: 'trace' });
  });

  after(async () => {
    const leaks = sf ? await sf.findLeaks([SECRET, ...(org?.issuedTokens ?? [])]) : [];
    await org?.stop();
    await proxy?.stop();
    await sf?.cleanup();
    expect(leaks, 'secret or token in an output or a file under HOME').to.deep.equal([]);
  });

  it('logs in over https through HTTPS_PROXY: the proxy tunnels the token request', async () => {
    const before = connectLines(await proxy.log(), target);
    const result = await login(`https://${target}`);
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.json?.result).to.include({ username: USERNAME, alias: 'proxied' });
    // Token, then userinfo, introspection and the org look-ups: each its own tunnel or a reused one.
    const log = await proxy.log();
    expect(connectLines(log, target) - before).to.be.greaterThan(0);
    // Only the token and introspection requests go to the host name given as instance URL.
    expect(log).to.include(`CONNECT ${target} HTTP/1.1`);
    expect(org.tokenRequests()).to.equal(1);
  });

  it('sf org display reaches the org through the same proxy with the stored token', async () => {
    const before = connectLines(await proxy.log(), target);
    const display = await sf.run(['org', 'display', '--target-org', 'proxied', '--json']);
    expect(display.code, display.stdout + display.stderr).to.equal(0);
    expect(display.json?.result).to.include({ username: USERNAME, connectedStatus: 'Connected' });
    expect(connectLines(await proxy.log(), target) - before).to.be.greaterThan(0);
  });

  it('NO_PROXY does not bypass the proxy: jsforce, like every sf command, does not read it', async () => {
    const before = connectLines(await proxy.log(), target);
    const result = await login(`https://${target}`, { NO_PROXY: 'localhost,127.0.0.1', no_proxy: 'localhost,127.0.0.1' });
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(connectLines(await proxy.log(), target) - before).to.be.greaterThan(0);
  });

  it('a proxy that cannot reach the org: ProxyTunnelFailedError naming both, old login kept', async () => {
    const unreachable = `localhost:${await closedPort()}`;
    await expectFailedLogin(sf, loginArgs(CLIENT_ID, `https://${unreachable}`, ['--alias', 'proxied']), { env: { SALESFORCE_CLIENT_SECRET: SECRET } }, {
      name: 'ProxyTunnelFailedError',
      message: new RegExp(`^The proxy ${proxy.url}, set by HTTPS_PROXY, did not open a connection to ${unreachable}: it answered HTTP 5\\d\\d\\.$`),
      actions: /My Domain/,
    });
    expect(connectLines(await proxy.log(), unreachable)).to.equal(1);
  });

  it('a proxy that is not running: ProxyUnreachableError naming the proxy, old login kept', async () => {
    const deadProxy = `http://127.0.0.1:${await closedPort()}`;
    const tokens = org.tokenRequests();
    await expectFailedLogin(sf, loginArgs(CLIENT_ID, `https://${target}`, ['--alias', 'proxied']), {
      env: { SALESFORCE_CLIENT_SECRET: SECRET, HTTPS_PROXY: deadProxy },
    }, {
      name: 'ProxyUnreachableError',
      message: new RegExp(`^Could not reach the proxy ${deadProxy}, set by HTTPS_PROXY \\(ECONNREFUSED\\)`),
      actions: /NO_PROXY/,
    });
    expect(org.tokenRequests()).to.equal(tokens);
  });
});

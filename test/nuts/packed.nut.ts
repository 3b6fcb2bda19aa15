import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { packPlugin } from '../../scripts/pack.mjs';
import { DEFAULT_CLIENT, DEFAULT_USER, FakeOrg } from '../fake-org/server.js';
import { SfSandbox } from '../support/sfSandbox.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;
const { username: USERNAME } = DEFAULT_USER;
const TIMEOUT_S = 3;

/**
 * The plugin as it ships (scripts/pack.mjs: the esbuild bundle, the manifest), installed with
 * `sf plugins install` instead of linked: every other NUT runs src/ through tsx. One case per part
 * of the bundle: the command's success and error paths, sf-plugins-core's own messages, and the
 * prerun hook's renewal.
 */
describe('the packed plugin, installed with sf plugins install, end to end', function () {
  this.timeout(600_000);
  let org: FakeOrg;
  let sf: SfSandbox;
  let packed: string;

  const login = (extra: string[] = []) =>
    sf.run(['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', org.url, ...extra], {
      env: { SALESFORCE_CLIENT_SECRET: SECRET },
    });

  before(async () => {
    org = await FakeOrg.start({ sessionTimeoutSeconds: TIMEOUT_S });
    sf = await SfSandbox.create();
    // No linked plugin: this HOME gets the tarball.
    const dataDir = join(sf.home, '.local', 'share', 'sf');
    await writeFile(join(dataDir, 'package.json'), JSON.stringify({ name: '@salesforce/cli', private: true, dependencies: {}, oclif: { schema: 1, plugins: [] } }));
    packed = await mkdtemp(join(tmpdir(), 'sf-cc-packed-'));
    const tarball = await packPlugin(packed);
    await mkdir(join(sf.home, '.config', 'sf'), { recursive: true });
    await writeFile(join(sf.home, '.config', 'sf', 'unsignedPluginAllowList.json'), JSON.stringify(['sf-plugin-client-credentials', `file:${tarball}`]));
    // npm fetches @salesforce/core's tree: through this machine's TLS set-up, which the sandbox leaves out.
    const install = await sf.run(['plugins', 'install', `file:${tarball}`], {
      timeoutMs: 600_000,
      env: { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS },
    });
    expect(install.code, install.stdout + install.stderr).to.equal(0);
  });

  after(async () => {
    const leaks = await sf.findLeaks([SECRET, ...org.issuedTokens]);
    await org.stop();
    await sf.cleanup();
    await rm(packed, { recursive: true, force: true });
    expect(leaks, 'secret or token in clear text in an output or a file under HOME').to.deep.equal([]);
  });

  it('is installed as a user plugin from the bundle, with @salesforce/core its only dependency', async () => {
    const plugins = await sf.run(['plugins', '--json']);
    const entry = (plugins.json as unknown as Array<{ name: string; type: string; root: string }>).find((p) => p.name === 'sf-plugin-client-credentials');
    expect(entry?.type).to.equal('user');
    const manifest = JSON.parse(await readFile(join(entry?.root ?? '', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).to.deep.equal(['@salesforce/core']);
  });

  it('logs in, and sf org display shows the org', async () => {
    const result = await login(['--alias', 'ci', '--json']);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.json?.result).to.include({ username: USERNAME, orgId: org.orgId, alias: 'ci', accessToken: '[REDACTED]' });
    const display = await sf.run(['org', 'display', '--target-org', 'ci', '--json']);
    expect(display.code, display.stderr).to.equal(0);
    expect(display.json?.result).to.include({ username: USERNAME, connectedStatus: 'Connected' });
  });

  it('refuses bad input with its named error and the command as context, before any request', async () => {
    org.resetRequests();
    const result = await sf.run(['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', 'https://login.salesforce.com', '--json'], {
      env: { SALESFORCE_CLIENT_SECRET: SECRET },
    });
    expect(result.code).to.equal(1);
    expect(result.json).to.include({ name: 'GenericLoginHostError', context: 'LoginClientCredentials' });
    expect(org.requests).to.deep.equal([]);
  });

  it("words warnings and errors with sf-plugins-core's bundled messages", async () => {
    // sf logs its command line at trace level: a wrong secret here, refused by the org, after the warning.
    const warned = await sf.run(['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', org.url, '--client-secret', 'not-the-secret']);
    expect(warned.stderr).to.match(/^Warning: The client secret was given with --client-secret/);
    expect(warned.code).to.equal(1);
    const refused = await sf.run(['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--no-such-flag']);
    expect(refused.code).to.equal(2);
    expect(refused.stderr).to.match(/Error \(2\): Nonexistent flag: --no-such-flag/);
  });

  it('renews the expired token before sf data query (the bundled prerun hook)', async () => {
    expect((await login(['--alias', 'ci'])).code).to.equal(0);
    const tokens = org.tokenRequests();
    await sleep((TIMEOUT_S + 1) * 1000);
    org.expireAllTokens();
    const query = await sf.run(['data', 'query', '--query', 'SELECT Id, Name FROM Account', '--target-org', 'ci', '--json']);
    expect(query.code, query.stdout + query.stderr).to.equal(0);
    expect(org.tokenRequests()).to.equal(tokens + 1);
  });
});

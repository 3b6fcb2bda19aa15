import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_CLIENT, DEFAULT_USER, FakeOrg } from '../fake-org/server.js';
import { copySampleProject, SfSandbox } from '../support/sfSandbox.js';
import { removeTempDir } from '../support/tempHome.js';
import { startConnectProxy } from '../support/connectProxy.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;
const { username: USERNAME } = DEFAULT_USER;

/**
 * The plugin as it ships (scripts/pack.mjs: the esbuild bundle, the manifest), installed with
 * `sf plugins install`, as every NUT runs it. Here one case per part of the command's bundle: its
 * success and error paths, and sf-plugins-core's own messages; then the one smoke test of the
 * development loop, the plugin linked from this checkout.
 */
describe('the packed plugin, installed with sf plugins install, end to end', function () {
  this.timeout(600_000);
  let org: FakeOrg;
  let sf: SfSandbox;

  const login = (extra: string[] = []) =>
    sf.run(['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', org.url, ...extra], {
      env: { SALESFORCE_CLIENT_SECRET: SECRET },
    });

  before(async () => {
    org = await FakeOrg.start();
    // The tarball of scripts/pack.mjs, installed with sf plugins install once per test run (support/installedPlugin.ts).
    sf = await SfSandbox.create({}, { log: 'trace' });
  });

  after(async () => {
    const leaks = await sf.findLeaks([SECRET, ...org.issuedTokens]);
    await org.stop();
    await sf.cleanup();
    expect(leaks, 'secret or token in clear text in an output or a file under HOME').to.deep.equal([]);
  });

  it("is installed as a user plugin from the bundle, with no dependency: it runs on sf's own @salesforce/core", async () => {
    const plugins = await sf.run(['plugins', '--json']);
    const entry = (plugins.json as unknown as Array<{ name: string; type: string; root: string }>).find((p) => p.name === 'sf-plugin-client-credentials');
    expect(entry?.type).to.equal('user');
    const manifest = JSON.parse(await readFile(join(entry?.root ?? '', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(manifest.dependencies ?? {}).to.deep.equal({});
    expect(existsSync(join(entry?.root ?? '', 'node_modules')), 'npm installed nothing beside the plugin').to.equal(false);
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

  it("logs in from a project's sfdcLoginUrl (core's project module, loaded late), and outside a project asks for --instance-url", async () => {
    // sf accepts only a Salesforce domain as a project's login URL: a My Domain that a proxy routes to a fake org.
    const myDomain = await FakeOrg.start({ https: true, certHost: 'acme.my.salesforce.com', publicUrl: 'https://acme.my.salesforce.com' });
    const port = Number(new URL(myDomain.url).port);
    const proxy = await startConnectProxy(200, (target) => (target === 'acme.my.salesforce.com:443' ? { host: '127.0.0.1', port } : { host: '127.0.0.1', port: 9 }));
    const project = await copySampleProject();
    try {
      const file = join(project, 'sfdx-project.json');
      await writeFile(file, JSON.stringify({ ...(JSON.parse(await readFile(file, 'utf8')) as object), sfdcLoginUrl: 'https://acme.my.salesforce.com' }));
      const inside = await sf.run(['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--alias', 'from-project', '--json'], {
        env: { SALESFORCE_CLIENT_SECRET: SECRET, HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: String(myDomain.caCertPath) },
        cwd: project,
      });
      expect(inside.code, inside.stdout + inside.stderr).to.equal(0);
      expect(inside.json?.result).to.include({ username: USERNAME, instanceUrl: 'https://acme.my.salesforce.com' });
      expect(myDomain.requests.map((request) => request.path)).to.include('/services/oauth2/token');
    } finally {
      await removeTempDir(project);
      await proxy.close();
      await myDomain.stop();
    }
    org.resetRequests();
    const outside = await sf.run(['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--json'], { env: { SALESFORCE_CLIENT_SECRET: SECRET } });
    expect(outside.code).to.equal(1);
    expect(outside.json).to.include({ name: 'MissingInstanceUrlError' });
    expect(JSON.stringify(outside.json)).to.include('--instance-url https://acme.my.salesforce.com').and.not.match(/unreadable|could not read/i);
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
});

/** The development loop: the tsc build linked into sf (what `sf plugins link .` makes) logs in and renews. */
describe('the plugin linked from this checkout (the development loop), end to end', function () {
  this.timeout(600_000);
  let org: FakeOrg;
  let sf: SfSandbox;

  before(async () => {
    org = await FakeOrg.start();
    sf = await SfSandbox.create({}, { plugin: 'linked' });
  });

  after(async () => {
    await org.stop();
    await sf.cleanup();
  });

  it('logs in, and a query on a killed token renews it', async () => {
    const login = await sf.run(['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', org.url, '--alias', 'ci'], {
      env: { SALESFORCE_CLIENT_SECRET: SECRET },
    });
    expect(login.code, login.stderr).to.equal(0);
    const plugins = await sf.run(['plugins', '--json']);
    const entry = (plugins.json as unknown as Array<{ name: string; type: string }>).find((p) => p.name === 'sf-plugin-client-credentials');
    expect(entry?.type).to.equal('link');
    org.expireAllTokens();
    const query = await sf.run(['data', 'query', '--query', 'SELECT Id FROM Account', '--target-org', 'ci', '--json']);
    expect(query.code, query.stdout + query.stderr).to.equal(0);
    expect(org.issuedTokens).to.have.length(2);
  });
});

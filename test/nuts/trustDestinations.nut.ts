import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_CLIENT, DEFAULT_USER, FakeOrg } from '../fake-org/server.js';
import { startConnectProxy } from '../support/connectProxy.js';
import { expectFailedLogin, loginArgs } from '../support/failedLogin.js';
import { SfSandbox, type SfResult } from '../support/sfSandbox.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;
const { username: USERNAME } = DEFAULT_USER;
const ENV = { SALESFORCE_CLIENT_SECRET: SECRET };
const COLLECTOR = 'https://collector.example.net';

/**
 * Where the secret may go, end to end with the real sf CLI: a cloned project, an edited auth file
 * or a name under .localhost cannot choose the host the client secret is sent to; a renewal needs
 * the org and user IDs it checks a new token against; and NODE_TLS_REJECT_UNAUTHORIZED=0 is named
 * before the secret goes out. A recording proxy shows that no request left for another host.
 */
describe('trust: where the secret goes, end to end', function () {
  this.timeout(600_000);
  let org: FakeOrg;
  let sf: SfSandbox;

  const ok = (result: SfResult): void => {
    expect(result.code, result.stdout + result.stderr).to.equal(0);
  };
  const login = (env: Record<string, string> = {}): Promise<SfResult> =>
    sf.run(loginArgs(CLIENT_ID, org.url, ['--alias', 'ci']), { env: { ...ENV, ...env } });
  const query = (env: Record<string, string> = {}): Promise<SfResult> =>
    sf.run(['data', 'query', '--query', 'SELECT Id FROM Account', '--target-org', 'ci', '--json'], { env });
  /** Edits the auth file as someone who can write ~/.sfdx (but not read the key) could. */
  const editAuthFile = async (patch: Record<string, unknown>): Promise<void> => {
    const fields = await sf.readAuthFile(USERNAME);
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) delete fields[key];
      else fields[key] = value;
    }
    await writeFile(sf.authFilePath(USERNAME), JSON.stringify(fields, null, 2));
  };
  /** A project as a clone brings it: sfdx-project.json, and maybe sf's own .sf/config.json. */
  const clonedProject = async (name: string, sfdcLoginUrl: string, config?: Record<string, unknown>): Promise<string> => {
    const root = join(sf.home, name);
    await mkdir(join(root, 'force-app'), { recursive: true });
    await writeFile(join(root, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sfdcLoginUrl }));
    if (config) {
      await mkdir(join(root, '.sf'));
      await writeFile(join(root, '.sf', 'config.json'), JSON.stringify(config));
    }
    return root;
  };

  before(async () => {
    org = await FakeOrg.start();
    sf = await SfSandbox.create({}, { log: 'trace' });
  });
  afterEach(() => org.clearFaults());
  after(async () => {
    const leaks = await sf.findLeaks([SECRET, ...org.allIssuedTokens()]);
    await org.stop();
    await sf.cleanup();
    expect(leaks, 'secret or token in clear text in an output or a file under HOME or its temp folder').to.deep.equal([]);
  });

  describe('a cloned project', () => {
    for (const [what, sfdcLoginUrl, config, env, where] of [
      ['a .sf/config.json that makes sf check login.salesforce.com', 'https://attacker.example', { sfdcLoginUrl: 'https://login.salesforce.com' }, {}, /\.sf\/config\.json/],
      ['FORCE_SFDC_LOGIN_URL set to another URL', 'https://acme.my.salesforce.com', undefined, { FORCE_SFDC_LOGIN_URL: 'https://login.salesforce.com' }, /FORCE_SFDC_LOGIN_URL/],
    ] as const) {
      it(`with ${what}: ProjectLoginUrlOverriddenError naming it, and no request leaves`, async () => {
        const project = await clonedProject(`project-${Object.keys(env).length}`, sfdcLoginUrl, config);
        // Every request would go through this proxy, which records where it was asked to go and opens nothing.
        const recording = await startConnectProxy(403);
        try {
          const result = await expectFailedLogin(sf, loginArgs(CLIENT_ID, undefined), { cwd: project, env: { ...ENV, ...env, HTTPS_PROXY: recording.url } }, {
            name: 'ProjectLoginUrlOverriddenError',
            message: where,
            actions: /--instance-url/,
          });
          expect(result.json?.message).to.include(sfdcLoginUrl);
          expect(recording.connects.map((connect) => connect.target)).to.deep.equal([]);
        } finally {
          await recording.close();
        }
      });
    }

    it('with a Salesforce host that is not a My Domain: ProjectLoginUrlNotMyDomainError naming sfdx-project.json', async () => {
      const project = await clonedProject('project-na1', 'https://na1.salesforce.com');
      await expectFailedLogin(sf, loginArgs(CLIENT_ID, undefined), { cwd: project, env: ENV }, {
        name: 'ProjectLoginUrlNotMyDomainError',
        message: /na1\.salesforce\.com.*sfdx-project\.json/,
      });
    });
  });

  it('a name under .localhost is not this machine: InsecureHttpError, nothing sent', async () => {
    const { port } = new URL(org.url);
    const before = org.requests.length;
    await expectFailedLogin(sf, loginArgs(CLIENT_ID, `http://fake.localhost:${port}`), { env: ENV }, { name: 'InsecureHttpError' });
    expect(org.requests.length).to.equal(before);
  });

  describe('renewal, after a login to the fake org', () => {
    beforeEach(async () => {
      ok(await login());
      org.resetRequests();
    });

    it('an auth file edited to name another login URL: the renewal fails naming the file, the secret goes nowhere', async () => {
      await editAuthFile({ loginUrl: COLLECTOR });
      org.expireAllTokens();
      const result = await query();
      expect(result.code, result.stdout + result.stderr).to.equal(1);
      const shown = result.stdout + result.stderr;
      expect(shown).to.include(sf.authFilePath(USERNAME)).and.include('neither a My Domain host');
      expect(shown, 'the login command it suggests').to.not.include(`--instance-url ${COLLECTOR}`);
      expect(org.tokenRequests(), 'no token request anywhere').to.equal(0);
    });

    it('an auth file without the org ID: the renewal refuses any token instead of accepting one of another org', async () => {
      await editAuthFile({ orgId: undefined });
      org.expireAllTokens();
      const result = await query();
      expect(result.code, result.stdout + result.stderr).to.equal(1);
      expect(result.stdout + result.stderr).to.include('does not name the org and user');
      expect(org.tokenRequests()).to.equal(0);
    });

    it('NODE_TLS_REJECT_UNAUTHORIZED=0: the renewal says so once, on stderr, and still renews', async () => {
      org.expireAllTokens();
      const result = await query({ NODE_TLS_REJECT_UNAUTHORIZED: '0' });
      ok(result);
      expect(result.stderr.match(/Warning: NODE_TLS_REJECT_UNAUTHORIZED=0 turns off/g)).to.have.length(1);
      expect(org.tokenRequests()).to.equal(1);
    });
  });

  it('NODE_TLS_REJECT_UNAUTHORIZED=0 at login: a warning naming it, and the login goes on', async () => {
    const result = await login({ NODE_TLS_REJECT_UNAUTHORIZED: '0' });
    ok(result);
    expect(JSON.stringify(result.json?.warnings)).to.include('NODE_TLS_REJECT_UNAUTHORIZED');
    const plain = await login();
    ok(plain);
    expect(JSON.stringify(plain.json?.warnings ?? [])).to.not.include('NODE_TLS_REJECT_UNAUTHORIZED');
  });
});

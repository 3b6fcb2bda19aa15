import { expect } from 'chai';
import { DEFAULT_CLIENT, DEFAULT_USER, FakeOrg } from '../fake-org/server.js';
import { copySampleProject, SfSandbox, type PluginMode, type SfResult } from '../support/sfSandbox.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;
const { username: USERNAME } = DEFAULT_USER;

/**
 * Tokens that never die, with the real sf CLI: whatever kills the session (here the fake org, long
 * before the stored expiry), the next request of any sf command renews it, inside the command's
 * own @salesforce/core. Run with the plugin linked (sf and the plugin share one core) and
 * installed from its tarball (the plugin has its own core, and extends sf's).
 */
for (const mode of ['installed', 'linked'] as PluginMode[]) {
  describe(`tokens that never die, end to end (plugin ${mode})`, function () {
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
    const ok = (result: SfResult): void => {
      expect(result.code, result.stdout + result.stderr).to.equal(0);
    };
    /** The token the auth file holds now, decrypted, is alive at the org. */
    const expectLiveStoredToken = async (): Promise<void> => {
      const stored = (await sf.decryptedAuthFile(USERNAME)).accessToken as string;
      expect(org.isTokenActive(stored), 'the auth file holds a live token').to.equal(true);
    };

    beforeEach(async () => {
      // A two-hour session: the stored expiry is far away, as in real life when an admin ends a session.
      org = await FakeOrg.start();
      sf = await SfSandbox.create({}, { plugin: mode });
      ok(await login());
    });

    afterEach(async () => {
      const leaks = await sf.findLeaks([SECRET, 'rotated-secret', ...org.issuedTokens]);
      await org.stop();
      await sf.cleanup();
      expect(leaks, 'secret or token in clear text in an output or a file under HOME').to.deep.equal([]);
    });

    it('every token killed long before its stored expiry: data query, org display and deploy on the alias all work', async () => {
      org.expireAllTokens();
      const result = await query();
      ok(result);
      expect((result.json?.result as { totalSize: number }).totalSize).to.equal(2);
      await expectLiveStoredToken();
      org.expireAllTokens();
      const display = await sf.run(['org', 'display', '--target-org', 'ci', '--json']);
      ok(display);
      expect(display.json?.result).to.include({ connectedStatus: 'Connected' });
      org.expireAllTokens();
      const deploy = await sf.run(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', 'ci', '--json'], {
        cwd: await copySampleProject(),
      });
      ok(deploy);
      expect(deploy.json?.result).to.include({ status: 'Succeeded' });
      expect(org.tokenRequests(), 'the login and one renewal per killing').to.equal(4);
      await expectLiveStoredToken();
    });

    it('the default target org (no flag) and SF_TARGET_ORG are renewed the same way', async () => {
      const project = await copySampleProject();
      ok(await login('dflt', ['--set-default'], project));
      org.expireAllTokens();
      ok(await query([], {}, project));
      org.expireAllTokens();
      ok(await query([], { SF_TARGET_ORG: 'dflt' }));
    });

    it('a token that dies in the middle of sf project deploy start, at a status poll: the deploy succeeds', async () => {
      // The first SOAP request queues the deploy; the next one, a checkDeployStatus, finds every token dead.
      org.setFault('soap', { kind: 'expireTokens' }, 1, 1);
      const deploy = await sf.run(['project', 'deploy', 'start', '--source-dir', 'force-app', '--target-org', 'ci', '--json'], {
        cwd: await copySampleProject(),
      });
      ok(deploy);
      expect(deploy.json?.result).to.include({ status: 'Succeeded', success: true });
      expect(org.tokenRequests()).to.equal(2);
    });

    it('sf org list, which names no org, shows the org Connected', async () => {
      org.expireAllTokens();
      const list = await sf.run(['org', 'list', '--json']);
      ok(list);
      const all = Object.values(list.json?.result as Record<string, Array<{ username: string; connectedStatus?: string }>>).flat();
      expect(all.find((entry) => entry.username === USERNAME)).to.include({ connectedStatus: 'Connected' });
    });

    it('10 parallel sf data query runs on a dead token all succeed, and mint at most two tokens', async () => {
      org.expireAllTokens();
      const results = await Promise.all(Array.from({ length: 10 }, () => query()));
      results.forEach(ok);
      const minted = org.tokenRequests() - 1;
      process.stdout.write(`      (tokens minted by 10 parallel commands: ${minted})\n`);
      expect(minted).to.be.within(1, 2);
      await expectLiveStoredToken();
    });
  });
}

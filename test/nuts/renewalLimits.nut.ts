import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { DEFAULT_CLIENT, DEFAULT_USER, FakeOrg } from '../fake-org/server.js';
import { makeDue } from '../compat/due.js';
import { mint } from '../support/orgClient.js';
import { flatten, SfSandbox, type PluginMode, type SfResult } from '../support/sfSandbox.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;
const { username: USERNAME } = DEFAULT_USER;
/** A second connected app with the same Run As user: the "new login with another secret". */
const OTHER_APP = { clientId: 'second-app-id', clientSecret: 'second-app-secret', runAsUsername: USERNAME };

/**
 * Where renewal stops, with the real sf CLI: a rotated secret, a login of another kind, a login
 * that lands during a renewal, renewal turned off, logout; and the renewal before a command when
 * the stored expiry has passed.
 */
for (const mode of ['installed', 'linked'] as PluginMode[]) {
  describe(`renewal at its limits, end to end (plugin ${mode})`, function () {
    this.timeout(600_000);
    let org: FakeOrg;
    let sf: SfSandbox;

    const login = (app: { clientId: string; clientSecret: string } = DEFAULT_CLIENT, alias = 'ci'): Promise<SfResult> =>
      sf.run(['org', 'login', 'client-credentials', '--client-id', app.clientId, '--instance-url', org.url, '--alias', alias], {
        env: { SALESFORCE_CLIENT_SECRET: app.clientSecret },
      });
    const query = (env: Record<string, string> = {}): Promise<SfResult> =>
      sf.run(['data', 'query', '--query', 'SELECT Id, Name FROM Account', '--target-org', 'ci', '--json'], { env });
    const ok = (result: SfResult): void => {
      expect(result.code, result.stdout + result.stderr).to.equal(0);
    };

    beforeEach(async () => {
      org = await FakeOrg.start({ sessionTimeoutSeconds: 3 });
      org.setClient(OTHER_APP);
      sf = await SfSandbox.create({}, { plugin: mode });
      ok(await login());
    });

    afterEach(async () => {
      const leaks = await sf.findLeaks([SECRET, OTHER_APP.clientSecret, 'rotated-secret', ...org.issuedTokens]);
      await org.stop();
      await sf.cleanup();
      expect(leaks, 'secret or token in clear text in an output or a file under HOME').to.deep.equal([]);
    });

    it('renews before the command when the stored expiry has passed: one rejected request saved', async () => {
      // Hours of idling: the stored expiry passed (the token was stored long enough ago), the session died at the org.
      await makeDue(sf.authFilePath(USERNAME), org);
      org.resetRequests();
      ok(await query());
      expect(org.requests.filter((request) => request.status === 401), 'no request was refused').to.deep.equal([]);
      expect(org.tokenRequests()).to.equal(1);
    });

    it('a rotated secret and a dead token: the command fails naming the org, the cause and the login command; a new login fixes it', async () => {
      const before = await sf.readAuthFile(USERNAME);
      org.setClient({ clientId: CLIENT_ID, clientSecret: 'rotated-secret', runAsUsername: USERNAME });
      org.expireAllTokens();
      const result = await query();
      expect(result.code).to.equal(1);
      const message = flatten(String(result.json?.message));
      expect(message).to.include('Could not renew the access token of ci (ci-user@example.com)');
      expect(message).to.include('refused the client secret');
      expect(message).to.include(`sf org login client-credentials --client-id ${CLIENT_ID} --instance-url ${org.url} --alias ci`);
      expect(result.json?.name).to.not.equal('INVALID_SESSION_ID');
      const after = await sf.readAuthFile(USERNAME);
      for (const field of ['accessToken', 'clientSecret', 'clientId', 'clientCredentialsExpiry', 'clientCredentialsStamp']) {
        expect(after[field], field).to.equal(before[field]);
      }
      ok(await login({ clientId: CLIENT_ID, clientSecret: 'rotated-secret' }));
      ok(await query());
    });

    it('after sf org login access-token of the same user, the plugin never renews that auth, and leaves no client secret in it', async () => {
      org.setSessionTimeout(3600);
      const { access_token: token } = await mint(org);
      ok(await sf.run(['org', 'login', 'access-token', '--instance-url', org.url, '--no-prompt'], { env: { SF_ACCESS_TOKEN: token } }));
      // The first command on the org cleans up what core merged into the file from this plugin's login.
      ok(await sf.run(['org', 'display', '--target-org', 'ci', '--json']));
      const file = await sf.readAuthFile(USERNAME);
      for (const field of ['clientSecret', 'clientId', 'clientCredentialsExpiry', 'clientCredentialsStamp']) expect(file, field).to.not.have.property(field);
      const tokens = org.tokenRequests();
      org.expireAllTokens();
      const result = await query();
      expect(result.code).to.equal(1);
      expect(result.json?.name).to.equal('INVALID_SESSION_ID');
      expect(org.tokenRequests()).to.equal(tokens);
    });

    it('a renewal still in flight when a new login (another app) lands: the new login stays', async () => {
      org.setSessionTimeout(3600);
      org.expireAllTokens();
      // The renewal's token request is slow; the new login comes in meanwhile.
      org.setFault('token', { kind: 'delay', ms: 2500 }, 1);
      const renewing = query();
      await sleep(1200);
      ok(await login(OTHER_APP));
      ok(await renewing);
      const file = await sf.decryptedAuthFile(USERNAME);
      expect(file).to.include({ clientId: OTHER_APP.clientId, clientSecret: OTHER_APP.clientSecret });
      expect(org.isTokenActive(file.accessToken as string)).to.equal(true);
      ok(await query());
    });

    it('with SF_CLIENT_CREDENTIALS_RENEWAL=false a dead token fails as without the plugin', async () => {
      org.expireAllTokens();
      const result = await query({ SF_CLIENT_CREDENTIALS_RENEWAL: 'false' });
      expect(result.code).to.equal(1);
      expect(result.json?.name).to.equal('INVALID_SESSION_ID');
      expect(org.tokenRequests()).to.equal(1);
    });

    it('sf org logout mints nothing, even with the stored expiry passed, and leaves nothing of the org in HOME', async () => {
      await makeDue(sf.authFilePath(USERNAME), org);
      const encryptedSecret = (await sf.readAuthFile(USERNAME)).clientSecret as string;
      const tokens = org.tokenRequests();
      ok(await sf.run(['org', 'logout', '--target-org', 'ci', '--no-prompt']));
      expect(org.tokenRequests()).to.equal(tokens);
      const files = await sf.files();
      expect(files.map((file) => file.path).filter((path) => path.startsWith(join('.sfdx', '')) && path.includes(USERNAME))).to.deep.equal([]);
      expect(await sf.filesHolding([encryptedSecret, SECRET], files)).to.deep.equal([]);
    });
  });
}

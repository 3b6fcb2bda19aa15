import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_CLIENT, DEFAULT_USER, FakeOrg } from '../fake-org/server.js';
import { SfSandbox, type SfResult } from '../support/sfSandbox.js';
import { SF_STATE_FOLDERS } from '../support/sfState.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;
const { username: USERNAME } = DEFAULT_USER;
/** The crash seam of src/shared/crashPoint.ts: the process kills itself with SIGKILL at that step. */
const CRASH = 'SF_CLIENT_CREDENTIALS_TEST_CRASH';

/**
 * Logins and renewals killed with SIGKILL at each step that writes a file: afterwards every sf
 * file parses, the aliases are right, the next command works, and after sf org logout nothing
 * under HOME holds the org's secret or token.
 */
describe('crash safety, end to end', function () {
  this.timeout(600_000);
  let org: FakeOrg;
  let sf: SfSandbox;

  const login = (alias: string, env: Record<string, string> = {}): Promise<SfResult> =>
    sf.run(['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', org.url, '--alias', alias, '--set-default'], {
      env: { SALESFORCE_CLIENT_SECRET: SECRET, ...env },
      cwd: sf.home,
    });
  const query = (env: Record<string, string> = {}): Promise<SfResult> =>
    sf.run(['data', 'query', '--query', 'SELECT Id FROM Account', '--target-org', 'ci', '--json'], { env });

  /** Every JSON file of sf's state folders parses. */
  const expectSfFilesWhole = async (): Promise<void> => {
    for (const folder of SF_STATE_FOLDERS) {
      const names = await readdir(join(sf.home, folder)).catch(() => [] as string[]);
      for (const name of names.filter((file) => file.endsWith('.json'))) {
        const text = await readFile(join(sf.home, folder, name), 'utf8');
        expect(() => JSON.parse(text) as unknown, `${folder}/${name}`).to.not.throw();
      }
    }
  };

  /** After logout, no file under HOME holds the secret, any token, or the auth file's encrypted secret. */
  const expectNothingLeftAfterLogout = async (encryptedSecret: string): Promise<void> => {
    const logout = await sf.run(['org', 'logout', '--target-org', 'ci', '--no-prompt']);
    expect(logout.code, logout.stderr).to.equal(0);
    expect(await sf.filesHolding([SECRET, encryptedSecret, ...org.issuedTokens])).to.deep.equal([]);
  };

  beforeEach(async () => {
    org = await FakeOrg.start();
    sf = await SfSandbox.create({}, { plugin: 'linked' });
  });
  afterEach(async () => {
    await org.stop();
    await sf.cleanup();
  });

  for (const step of ['auth-file-temporary', 'auth-file-written', 'alias-written']) {
    it(`a login killed at ${step}, over an earlier login: files whole, aliases right, the next login and logout clean`, async () => {
      expect((await login('ci')).code).to.equal(0);
      const killed = await login('second', { [CRASH]: step });
      expect(killed.code, 'killed by SIGKILL').to.not.equal(0);
      await expectSfFilesWhole();
      const aliases = await sf.readAliases();
      expect(aliases.ci).to.equal(USERNAME);
      if (aliases.second !== undefined) expect(aliases.second).to.equal(USERNAME);
      expect((await query()).code, 'the earlier login (or the new one) still works').to.equal(0);
      expect((await login('ci')).code).to.equal(0);
      await expectNothingLeftAfterLogout((await sf.readAuthFile(USERNAME)).clientSecret as string);
    });
  }

  for (const step of ['renewal-minted', 'renewal-written']) {
    it(`a renewal killed at ${step}: files whole, the next command renews, logout leaves nothing`, async () => {
      expect((await login('ci')).code).to.equal(0);
      org.expireAllTokens();
      const killed = await query({ [CRASH]: step });
      expect(killed.code, 'killed by SIGKILL').to.not.equal(0);
      await expectSfFilesWhole();
      const again = await query();
      expect(again.code, again.stdout + again.stderr).to.equal(0);
      await expectNothingLeftAfterLogout((await sf.readAuthFile(USERNAME)).clientSecret as string);
    });
  }
});

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { FakeOrg } from '../fake-org/server.js';
import { expectFailedLogin, loginArgs } from '../support/failedLogin.js';
import { flatten, SfSandbox } from '../support/sfSandbox.js';

const CLIENT_ID = 'fake-client-id';
const SECRET = 'fake-client-secret';
const USERNAME = 'ci-user@example.com';
const OTHER_CLIENT = 'other-client-id';
const OTHER_USERNAME = 'other-user@example.com';

/**
 * Bad input through the real sf CLI: one end-to-end proof per kind (the many variants are unit
 * tests in test/commands and test/login). Failures exit 1 with sf's JSON error shape and leave the
 * existing login byte for byte; cleaned-up input works.
 */
describe('bad input, end to end', function () {
  this.timeout(300_000);
  let org: FakeOrg;
  let sf: SfSandbox;

  before(async () => {
    org = await FakeOrg.start({
      users: [
        { userId: '005FK0000000001', username: USERNAME },
        { userId: '005FK0000000002', username: OTHER_USERNAME },
      ],
      clients: [
        { clientId: CLIENT_ID, clientSecret: SECRET, runAsUsername: USERNAME },
        { clientId: OTHER_CLIENT, clientSecret: SECRET, runAsUsername: OTHER_USERNAME },
      ],
    });
    sf = await SfSandbox.create();
    const first = await sf.run(loginArgs(CLIENT_ID, org.url, ['--alias', 'ci']), { env: { SALESFORCE_CLIENT_SECRET: SECRET } });
    expect(first.code, first.stdout + first.stderr).to.equal(0);
  });

  after(async () => {
    const leaks = await sf.findLeaks([SECRET, ...org.issuedTokens]);
    await org.stop();
    await sf.cleanup();
    expect(leaks, 'secret or token in an output or a file under HOME').to.deep.equal([]);
  });

  const secretEnv = { env: { SALESFORCE_CLIENT_SECRET: SECRET } };

  it('a blank client ID: EmptyClientIdError, nothing sent', async () => {
    const tokens = org.tokenRequests();
    await expectFailedLogin(sf, loginArgs('  ', org.url), secretEnv, { name: 'EmptyClientIdError', actions: /--client-id/ });
    expect(org.tokenRequests()).to.equal(tokens);
  });

  it('login.salesforce.com: GenericLoginHostError that asks for the My Domain URL, nothing sent', async () => {
    await expectFailedLogin(sf, loginArgs(CLIENT_ID, 'https://login.salesforce.com'), secretEnv, {
      name: 'GenericLoginHostError',
      message: /^login\.salesforce\.com does not serve the client credentials flow/,
      actions: /<MyDomainName>\.my\.salesforce\.com/,
    });
  });

  it('an alias with spaces: AliasHasSpacesError, even before the secret is read', async () => {
    // Standard input stays open: had the command waited for a secret, it would time out instead.
    await expectFailedLogin(sf, loginArgs(CLIENT_ID, org.url, ['--alias', 'my ci org']), { holdStdin: true }, {
      name: 'AliasHasSpacesError',
      message: /^The alias "my ci org" contains white space\.$/,
      actions: /"my-ci-org"/,
    });
  });

  it('an empty SALESFORCE_CLIENT_SECRET: EmptySecretError that points at CI secrets', async () => {
    await expectFailedLogin(sf, loginArgs(CLIENT_ID, org.url), { env: { SALESFORCE_CLIENT_SECRET: '' } }, {
      name: 'EmptySecretError',
      actions: /forks/,
    });
  });

  it('standard input that never closes: StdinTimeoutError after SF_CLIENT_CREDENTIALS_STDIN_TIMEOUT seconds, no hang', async () => {
    const started = Date.now();
    await expectFailedLogin(sf, loginArgs(CLIENT_ID, org.url), { holdStdin: true, env: { SF_CLIENT_CREDENTIALS_STDIN_TIMEOUT: '1' } }, {
      name: 'StdinTimeoutError',
      message: /^Waited 1 seconds for the client secret on standard input/,
      actions: /SF_CLIENT_CREDENTIALS_STDIN_TIMEOUT/,
    });
    expect(Date.now() - started).to.be.lessThan(20_000);
  });

  it('--no-prompt with no secret anywhere: NoSecretError', async () => {
    await expectFailedLogin(sf, loginArgs(CLIENT_ID, org.url, ['--no-prompt']), {}, { name: 'NoSecretError', actions: /SALESFORCE_CLIENT_SECRET/ });
  });

  it('the failures above left the login usable', async () => {
    const display = await sf.run(['org', 'display', '--target-org', 'ci', '--json']);
    expect(display.json?.result).to.include({ username: USERNAME, connectedStatus: 'Connected' });
  });

  it('a client ID with a trailing newline and a secret with spaces around it are trimmed, then work', async () => {
    const result = await sf.run(loginArgs(`${CLIENT_ID}\n`, org.url, ['--alias', 'ci']), { input: `  ${SECRET}  \n` });
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.json?.result).to.include({ username: USERNAME, clientId: CLIENT_ID });
  });

  it("an alias of another org is taken over, with a warning that names the old target (sf's own logins say nothing)", async () => {
    const result = await sf.run(loginArgs(OTHER_CLIENT, org.url, ['--alias', 'ci']), secretEnv);
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.json?.warnings).to.deep.equal([`The alias "ci" pointed to ${USERNAME}; it now points to ${OTHER_USERNAME}.`]);
    expect(await sf.readAliases()).to.deep.equal({ ci: OTHER_USERNAME });
    const human = await sf.run(loginArgs(CLIENT_ID, org.url, ['--alias', 'ci']).filter((arg) => arg !== '--json'), secretEnv);
    expect(human.code).to.equal(0);
    expect(flatten(human.stderr)).to.include(`Warning: The alias "ci" pointed to ${OTHER_USERNAME}; it now points to ${USERNAME}.`);
  });

  it('--set-default outside a project sets the global default and says so', async () => {
    // The sandbox's working folder is its HOME, which is not in an sf project.
    const result = await sf.run(loginArgs(CLIENT_ID, org.url, ['--alias', 'global-ci', '--set-default']).filter((arg) => arg !== '--json'), secretEnv);
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(flatten(result.stderr + result.stdout)).to.include('This folder is not in an sf project, so global-ci was set as the global default');
    const config = JSON.parse(await readFile(join(sf.home, '.sf', 'config.json'), 'utf8')) as Record<string, string>;
    expect(config['target-org']).to.equal('global-ci');
    const display = await sf.run(['org', 'display', '--json']);
    expect(display.code, display.stdout + display.stderr).to.equal(0);
    expect(display.json?.result).to.include({ username: USERNAME });
  });
});

import { expect } from 'chai';
import { DEFAULT_CLIENT, DEFAULT_USER, FakeOrg } from '../fake-org/server.js';
import { expectFailedLogin, loginArgs } from '../support/failedLogin.js';
import { SfSandbox } from '../support/sfSandbox.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;
const { username: USERNAME } = DEFAULT_USER;

/**
 * Bad input through the real sf CLI: one end-to-end proof per kind (the variants are unit tests in
 * test/login, one command-level case per kind in test/commands). Failures exit 1 with sf's JSON
 * error shape and leave the existing login byte for byte.
 */
describe('bad input, end to end', function () {
  this.timeout(300_000);
  let org: FakeOrg;
  let sf: SfSandbox;

  before(async () => {
    org = await FakeOrg.start();
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

  it('--no-prompt with no secret anywhere: NoSecretError that says how to give one, nothing sent', async () => {
    const tokens = org.tokenRequests();
    await expectFailedLogin(sf, loginArgs(CLIENT_ID, org.url, ['--no-prompt']), {}, {
      name: 'NoSecretError',
      message: /No client secret was given/,
      actions: /SALESFORCE_CLIENT_SECRET/,
    });
    expect(org.tokenRequests()).to.equal(tokens);
  });

  it('the failures above left the login usable', async () => {
    const display = await sf.run(['org', 'display', '--target-org', 'ci', '--json']);
    expect(display.json?.result).to.include({ username: USERNAME, connectedStatus: 'Connected' });
  });
});

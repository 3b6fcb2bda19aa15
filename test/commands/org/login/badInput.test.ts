import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import type { SfError } from '@salesforce/core/sfError';
import { TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import LoginClientCredentials from '../../../../src/commands/org/login/client-credentials.js';
import { FakeOrg } from '../../../fake-org/server.js';
import { rejection } from '../../../support/rejection.js';
import { useTempHome } from '../../../support/tempHome.js';

const CLIENT_ID = 'fake-client-id';
const SECRET = 'fake-client-secret';
const USERNAME = 'ci-user@example.com';

/**
 * Hostile and mistaken input to the command, in process against the fake org: each refused with
 * a named error that says what to do, before any request and before anything is written; or
 * cleaned up (trimmed) and then working.
 */
describe('org login client-credentials: bad input', () => {
  const $$ = new TestContext();
  const home = useTempHome({ SALESFORCE_CLIENT_SECRET: SECRET, SF_CLIENT_SECRET: undefined, SF_CLIENT_CREDENTIALS_STDIN_TIMEOUT: undefined });
  let ux: ReturnType<typeof stubSfCommandUx>;
  let org: FakeOrg;

  const maxListeners = process.getMaxListeners();
  before(async () => {
    org = await FakeOrg.start();
    // Every in-process run of an SfCommand adds signal listeners; dozens of runs are expected here.
    process.setMaxListeners(100);
  });
  after(async () => {
    process.setMaxListeners(maxListeners);
    await org.stop();
  });

  beforeEach(() => {
    ux = stubSfCommandUx($$.SANDBOX);
    org.resetRequests();
  });

  /** Runs the command, expects the named error, no request to the org and nothing under HOME. */
  const refused = async (args: string[], name: string): Promise<SfError> => {
    const prompt = $$.SANDBOX.stub(LoginClientCredentials.prototype, 'secretPrompt').rejects(new Error('must not prompt'));
    const error = await rejection(LoginClientCredentials.run(args));
    expect(error.name, error.message).to.equal(name);
    expect(error.exitCode).to.equal(1);
    expect(error.actions, 'says what to do next').to.be.an('array').with.length.greaterThan(0);
    expect(org.requests, 'requests sent to the org').to.deep.equal([]);
    expect(await readdir(home()), 'files written under HOME').to.deep.equal([]);
    expect(prompt.called).to.equal(false);
    return error;
  };

  for (const clientId of ['', '   ', '\n', '\t \r\n']) {
    it(`refuses the client ID ${JSON.stringify(clientId)} with EmptyClientIdError`, async () => {
      const error = await refused(['--client-id', clientId, '--instance-url', org.url], 'EmptyClientIdError');
      expect(error.actions?.[0]).to.include('--client-id');
    });
  }

  it('trims a client ID with a trailing newline and a secret with surrounding white space, then logs in', async () => {
    process.env.SALESFORCE_CLIENT_SECRET = `  ${SECRET} \n`;
    const result = await LoginClientCredentials.run(['--client-id', ` ${CLIENT_ID}\n`, '--instance-url', `  ${org.url}/ \n`]);
    // The fake org answers invalid_client_id / invalid_client to anything but the exact values.
    expect(result).to.include({ username: USERNAME, clientId: CLIENT_ID });
  });

  for (const value of ['', '   ', '\n']) {
    it(`refuses an empty secret ${JSON.stringify(value)} in SALESFORCE_CLIENT_SECRET with EmptySecretError`, async () => {
      process.env.SALESFORCE_CLIENT_SECRET = value;
      const error = await refused(['--client-id', CLIENT_ID, '--instance-url', org.url], 'EmptySecretError');
      expect(error.message).to.equal('The client secret from SALESFORCE_CLIENT_SECRET is empty.');
    });
  }

  const badUrls: Array<[string, string, RegExp]> = [
    ['acme', 'InvalidInstanceUrlError', /My Domain URL/],
    ['https://exa mple.my.salesforce.com', 'InvalidInstanceUrlError', /My Domain URL/],
    ['ftp://globex.my.salesforce.com/x', 'UnsupportedProtocolError', /Use https:\/\/globex\.my\.salesforce\.com instead/],
    ['https://admin:hunter2pass@acme.my.salesforce.com', 'CredentialsInUrlError', /Remove the "user:password@" part/],
    ['http://acme.my.salesforce.com', 'InsecureHttpError', /Use https:\/\/acme\.my\.salesforce\.com instead/],
    ['login.salesforce.com', 'GenericLoginHostError', /My Domain/],
    ['https://login.salesforce.com/services/oauth2/token', 'GenericLoginHostError', /My Domain/],
    ['https://test.salesforce.com/', 'GenericLoginHostError', /--<SandboxName>\.sandbox\.my\.salesforce\.com/],
    ['https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home', 'SetupHostError', /Use https:\/\/acme\.my\.salesforce\.com instead/],
    ['https://acme--c.vf.force.com/apex/Report', 'VisualforceHostError', /probably https:\/\/acme\.my\.salesforce\.com/],
    ['https://acme--uat--c.sandbox.vf.force.com/apex/Report', 'VisualforceHostError', /https:\/\/acme--uat\.sandbox\.my\.salesforce\.com/],
    ['https://10.0.0.5', 'IpAddressHostError', /My Domain host name/],
    ['https://127.0.0.1:8443', 'IpAddressHostError', /My Domain host name/],
  ];
  for (const [url, name, actions] of badUrls) {
    it(`refuses the instance URL ${url} with ${name}`, async () => {
      const error = await refused(['--client-id', CLIENT_ID, '--instance-url', url], name);
      expect(error.actions?.join('\n')).to.match(actions);
      expect([error.message, error.stack, ...(error.actions ?? [])].join('\n')).not.to.include('hunter2pass');
    });
  }

  it('refuses an alias with spaces with AliasHasSpacesError, before reading the secret', async () => {
    delete process.env.SALESFORCE_CLIENT_SECRET;
    const error = await refused(['--client-id', CLIENT_ID, '--instance-url', org.url, '--alias', 'my ci org'], 'AliasHasSpacesError');
    expect(error.actions?.[0]).to.include('"my-ci-org"');
  });

  it('takes an alias from another org, with a warning that names both', async () => {
    await mkdir(join(home(), '.sfdx'));
    await writeFile(join(home(), '.sfdx', 'alias.json'), JSON.stringify({ orgs: { ci: 'someone@other-org.com', keep: 'k@x.com' } }));
    const result = await LoginClientCredentials.run(['--client-id', CLIENT_ID, '--instance-url', org.url, '--alias', 'ci']);
    expect(result.alias).to.equal('ci');
    expect(ux.warn.args.flat()).to.deep.equal([`The alias "ci" pointed to someone@other-org.com; it now points to ${USERNAME}.`]);
    expect(JSON.parse(await readFile(join(home(), '.sfdx', 'alias.json'), 'utf8'))).to.deep.equal({
      orgs: { ci: USERNAME, keep: 'k@x.com' },
    });
  });
});

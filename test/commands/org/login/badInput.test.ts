import { readdir } from 'node:fs/promises';
import { expect } from 'chai';
import type { SfError } from '@salesforce/core/sfError';
import LoginClientCredentials from '../../../../src/commands/org/login/client-credentials.js';
import { DEFAULT_CLIENT } from '../../../fake-org/server.js';
import { useLoginCommand } from '../../../support/loginCommand.js';
import { rejection } from '../../../support/rejection.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;

/**
 * How the command surfaces each kind of bad input, in process against the fake org: a named error
 * with exit code 1 that says what to do, before any request, before anything is written and
 * without asking for the secret. One case per kind: the variants of each rule are unit tests of
 * the module that owns it (test/login/input, instanceUrl, secret); the end-to-end cases are in
 * test/nuts/badInput.nut.ts.
 */
describe('org login client-credentials: bad input', () => {
  const command = useLoginCommand();

  beforeEach(() => {
    process.env.SALESFORCE_CLIENT_SECRET = SECRET;
  });

  /** Runs the command, expects the named error, no request to the org, nothing under HOME and no prompt. */
  const refused = async (args: string[], name: string): Promise<SfError> => {
    const prompt = command.$$.SANDBOX.stub(LoginClientCredentials.prototype, 'secretPrompt').rejects(new Error('must not prompt'));
    const error = await rejection<SfError>(command.run(args));
    expect(error.name, error.message).to.equal(name);
    expect(error.exitCode).to.equal(1);
    expect(error.actions, 'says what to do next').to.be.an('array').with.length.greaterThan(0);
    expect(command.org().requests, 'requests sent to the org').to.deep.equal([]);
    expect(await readdir(command.home()), 'files written under HOME').to.deep.equal([]);
    expect(prompt.called).to.equal(false);
    return error;
  };

  it('refuses a blank client ID with EmptyClientIdError', async () => {
    const error = await refused(['--client-id', '\t \r\n', '--instance-url', command.org().url], 'EmptyClientIdError');
    expect(error.actions?.[0]).to.include('--client-id');
  });

  it('refuses an instance URL with credentials in it with CredentialsInUrlError, never repeating the password', async () => {
    const error = await refused(['--client-id', CLIENT_ID, '--instance-url', 'https://admin:hunter2pass@acme.my.salesforce.com'], 'CredentialsInUrlError');
    expect(error.actions?.join('\n')).to.match(/Remove the "user:password@" part/);
    expect([error.message, error.stack, ...(error.actions ?? []), command.output()].join('\n')).not.to.include('hunter2pass');
  });

  it('refuses an alias with spaces with AliasHasSpacesError, before reading the secret', async () => {
    delete process.env.SALESFORCE_CLIENT_SECRET;
    const error = await refused(['--client-id', CLIENT_ID, '--instance-url', command.org().url, '--alias', 'my ci org'], 'AliasHasSpacesError');
    expect(error.actions?.[0]).to.include('"my-ci-org"');
  });

  it('refuses an empty SALESFORCE_CLIENT_SECRET with EmptySecretError', async () => {
    process.env.SALESFORCE_CLIENT_SECRET = ' \n';
    const error = await refused(['--client-id', CLIENT_ID, '--instance-url', command.org().url], 'EmptySecretError');
    expect(error.message).to.equal('The client secret from SALESFORCE_CLIENT_SECRET is empty.');
  });

  it('fails with NoSecretError on a terminal with --no-prompt and no secret, without prompting', async () => {
    delete process.env.SALESFORCE_CLIENT_SECRET;
    const stdin = process.stdin as typeof process.stdin & { isTTY?: boolean };
    const hadOwn = Object.prototype.hasOwnProperty.call(stdin, 'isTTY');
    const previous = stdin.isTTY;
    stdin.isTTY = true;
    try {
      const error = await refused(['--client-id', CLIENT_ID, '--instance-url', command.org().url, '--no-prompt'], 'NoSecretError');
      expect(error.message).to.include('--no-prompt');
    } finally {
      if (hadOwn) stdin.isTTY = previous;
      else Reflect.deleteProperty(stdin, 'isTTY');
    }
  });
});

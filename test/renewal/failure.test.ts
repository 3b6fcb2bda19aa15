import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { expect } from 'chai';
import { renewalFailure } from '../../src/renewal/failure.js';
import { useTempHome } from '../support/tempHome.js';

const STORED = { loginUrl: 'https://acme.my.salesforce.com/', clientId: '3MVG9key' };

/** What the user is told when a renewal fails: the org, the cause, the login command. */
describe('renewal failure', () => {
  const home = useTempHome();

  it('names the alias and the username, the cause, and the login command with the alias', async () => {
    const warning = (await renewalFailure('ci@acme.com', 'ci', new Error('The org refused the client secret'), STORED, [])).warning;
    expect(warning.message).to.equal(
      'Could not renew the access token of ci (ci@acme.com): The org refused the client secret. The command goes on with the old token, which the org may refuse.'
    );
    expect(warning.actions[0]).to.include('sf org login client-credentials --client-id 3MVG9key --instance-url https://acme.my.salesforce.com --alias ci');
  });

  it('finds the alias of a username target in alias.json; without one, the command has no --alias', async () => {
    await mkdir(join(home(), '.sfdx'));
    await writeFile(join(home(), '.sfdx', 'alias.json'), JSON.stringify({ orgs: { prod: 'ci@acme.com' } }));
    const error = (await renewalFailure('ci@acme.com', 'ci@acme.com', new Error('Refused.'), STORED, [])).error;
    expect(error.name).to.equal('RenewalFailedError');
    expect(error.message).to.include('of prod (ci@acme.com): Refused. Log in again');
    expect(error.message).to.include('--alias prod');
    const bare = (await renewalFailure('other@acme.com', undefined, new Error('x'), STORED, [])).error;
    expect(bare.message).to.include('of other@acme.com: x.').and.not.include('--alias');
  });

  it('shows placeholders when the auth file could not tell the consumer key and URL, and never a secret', async () => {
    const error = (await renewalFailure('ci@acme.com', undefined, new Error('echoed S3cretValue back'), undefined, ['S3cretValue'])).error;
    expect(error.message).to.include('--client-id <consumer key> --instance-url <My Domain URL>');
    expect(error.message).to.include('echoed [REDACTED] back');
  });

  it('keeps what failed as the cause of the error, with every secret of the renewal taken out of it', async () => {
    const cause = Object.assign(new Error('echoed S3cretValue back'), { token: '00Dtoken!S3cretToken' });
    const error = (await renewalFailure('ci@acme.com', undefined, cause, STORED, ['S3cretValue', '00Dtoken!S3cretToken'])).error;
    expect(error.cause).to.equal(cause);
    const printed = inspect(error, { depth: 10 });
    expect(printed).to.include('echoed [REDACTED] back');
    expect(printed).to.not.include('S3cretValue').and.not.include('S3cretToken');
  });
});

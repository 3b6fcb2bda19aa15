import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_CLIENT, DEFAULT_USER } from '../../../fake-org/server.js';
import { useLoginCommand } from '../../../support/loginCommand.js';
import { rejection } from '../../../support/rejection.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;
const { username: USERNAME } = DEFAULT_USER;
/** The fake org's session timeout here, so that the login's expiry is the org's and not a default. */
const TIMEOUT_S = 900;

/** The command in process against the fake org: the login, its output and files, and how it surfaces the org's refusals. */
describe('org login client-credentials', () => {
  const command = useLoginCommand({ sessionTimeoutSeconds: TIMEOUT_S });

  it('logs in with the secret from SALESFORCE_CLIENT_SECRET and returns a redacted result', async () => {
    const { org, ux, output, home } = command;
    process.env.SALESFORCE_CLIENT_SECRET = SECRET;
    const before = Date.now();
    const result = await command.login(['--alias', 'ci-org']);
    const token = org().issuedTokens[0];

    expect(result).to.include({ username: USERNAME, orgId: org().orgId, alias: 'ci-org', accessToken: '[REDACTED]', instanceUrl: org().url });
    // The expiry the org gave at introspection (whole seconds), not a guess.
    expect(Date.parse(result.expiresAt)).to.be.within(before + TIMEOUT_S * 1000 - 1000, Date.now() + TIMEOUT_S * 1000);
    expect((result as Record<string, unknown>).clientSecret).to.equal(undefined);
    expect(JSON.stringify(result)).not.to.include(SECRET).and.not.to.include(token);
    expect(ux().warn.called).to.equal(false);
    expect(ux().logSuccess.args.flat().join('\n')).to.include(org().orgId).and.include(USERNAME).and.include('ci-org');
    expect(output()).not.to.include(SECRET).and.not.include(token);

    expect(org().requests.find((request) => request.route === 'token')?.form).to.equal(
      `grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=REDACTED`
    );
    const sfdx = join(home(), '.sfdx');
    expect(await readdir(sfdx)).to.have.members([`${USERNAME}.json`, 'alias.json']);
    expect(await readFile(join(sfdx, `${USERNAME}.json`), 'utf8')).not.to.include(SECRET).and.not.to.include(token);
    expect(JSON.parse(await readFile(join(sfdx, 'alias.json'), 'utf8'))).to.deep.equal({ orgs: { 'ci-org': USERNAME } });
  });

  it('warns about --client-secret without printing the secret', async () => {
    const result = await command.login(['--client-secret', SECRET]);
    expect(result.username).to.equal(USERNAME);
    expect(result.alias).to.equal(undefined);
    expect(command.ux().warn.args.flat().join('\n')).to.include('process list');
    expect(command.output()).not.to.include(SECRET);
  });

  it('warns, naming the variable, when NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate checks, and only then', async () => {
    process.env.SALESFORCE_CLIENT_SECRET = SECRET;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';
    await command.login();
    expect(command.ux().warn.called).to.equal(false);
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    await command.login();
    const warned = JSON.stringify(command.ux().warn.args);
    expect(warned).to.include('NODE_TLS_REJECT_UNAUTHORIZED').and.include('NODE_EXTRA_CA_CERTS');
    expect(command.ux().warn.callCount).to.equal(1);
  });

  it('trims a client ID with a trailing newline and a secret with surrounding white space, then logs in', async () => {
    process.env.SALESFORCE_CLIENT_SECRET = `  ${SECRET} \n`;
    const result = await command.run(['--client-id', ` ${CLIENT_ID}\n`, '--instance-url', `  ${command.org().url}/ \n`]);
    // The fake org answers invalid_client_id / invalid_client to anything but the exact values.
    expect(result).to.include({ username: USERNAME, clientId: CLIENT_ID });
  });

  it('takes an alias from another org, with a warning that names both', async () => {
    const sfdx = join(command.home(), '.sfdx');
    await mkdir(sfdx);
    await writeFile(join(sfdx, 'alias.json'), JSON.stringify({ orgs: { ci: 'someone@other-org.com', keep: 'k@x.com' } }));
    process.env.SALESFORCE_CLIENT_SECRET = SECRET;
    const result = await command.login(['--alias', 'ci']);
    expect(result.alias).to.equal('ci');
    expect(command.ux().warn.args.flat()).to.deep.equal([`The alias "ci" pointed to someone@other-org.com; it now points to ${USERNAME}.`]);
    expect(JSON.parse(await readFile(join(sfdx, 'alias.json'), 'utf8'))).to.deep.equal({ orgs: { ci: USERNAME, keep: 'k@x.com' } });
  });

  it('fails without --client-id, before sending anything', async () => {
    process.env.SALESFORCE_CLIENT_SECRET = SECRET;
    const error = await rejection(command.run(['--instance-url', command.org().url]));
    expect(error.message).to.include('Missing required flag client-id');
    expect(error.exitCode).to.equal(2);
    expect(command.org().requests).to.have.length(0);
  });

  describe('when the org refuses the login', () => {
    it('names a refused secret, writes nothing and never shows the secret', async () => {
      const { org, output, home } = command;
      org().setClient({ ...DEFAULT_CLIENT, clientSecret: 'rotated-secret-0123456789' });
      process.env.SALESFORCE_CLIENT_SECRET = SECRET;
      const error = await rejection(command.login(['--alias', 'ci-org']));
      expect(error.name).to.equal('InvalidClientError');
      expect(error.exitCode).to.equal(1);
      expect(error.message).to.include(CLIENT_ID);
      expect([error.message, error.stack, ...(error.actions ?? [])].join('\n')).not.to.include(SECRET);
      expect(output()).not.to.include(SECRET);
      expect(await readdir(home())).not.to.include('.sfdx');
    });

    it('redacts the secret when the org echoes it in an error', async () => {
      command.org().setFault('token', { kind: 'oauthError', error: 'odd_error', description: `got ${SECRET}` });
      const error = await rejection(command.login(['--client-secret', SECRET]));
      expect(error.name).to.equal('OAuthError');
      expect(error.message).to.include('got [REDACTED]');
      expect([error.message, error.stack, ...(error.actions ?? [])].join('\n')).not.to.include(SECRET);
      expect(command.output()).not.to.include(SECRET);
    });
  });
});

import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { StateAggregator } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import LoginClientCredentials from '../../../../src/commands/org/login/client-credentials.js';
import { sendJson, startServer, type Handler, type LocalServer } from '../../../support/localServer.js';
import { rejection } from '../../../support/rejection.js';

const SECRET = 'CommandSecret-ZYXWVU987654321';
const CLIENT_ID = '3MVG9CommandTestClientId';
const TOKEN = '00DXX0000000001!AQ4AQCommandToken';
const USERNAME = 'ci-runas@acme.com';
const ORG_ID = '00DXX0000000001EAA';
const USER_ID = '005XX000001abcdEAA';
const IDENTITY = `https://login.salesforce.com/id/${ORG_ID}/${USER_ID}`;
const ISSUED_AT = '1700000000000';
const EXP_SECONDS = 1_700_007_200;
const SECRET_ENV = ['SALESFORCE_CLIENT_SECRET', 'SF_CLIENT_SECRET', 'SF_CLIENT_CREDENTIALS_STDIN_TIMEOUT'];

/** A fake org: token, userinfo, introspect, the Dev Hub check and the Organization query. */
const fakeOrg =
  (baseUrl: () => string, overrides: { token?: Handler } = {}): Handler =>
  (req, res) => {
    const path = req.url.split('?')[0];
    const soql = new URL(req.url, 'http://x').searchParams.get('q') ?? '';
    if (path === '/services/oauth2/token') {
      if (overrides.token) return overrides.token(req, res);
      return sendJson(res, 200, {
        access_token: TOKEN,
        signature: createHmac('sha256', SECRET).update(IDENTITY + ISSUED_AT).digest('base64'),
        token_format: 'opaque',
        instance_url: baseUrl(),
        id: IDENTITY,
        token_type: 'Bearer',
        issued_at: ISSUED_AT,
        scope: 'api',
      });
    }
    if (path === '/services/oauth2/userinfo') {
      return sendJson(res, 200, { user_id: USER_ID, organization_id: ORG_ID, preferred_username: USERNAME });
    }
    if (path === '/services/oauth2/introspect') return sendJson(res, 200, { active: true, exp: EXP_SECONDS });
    if (soql.includes('ScratchOrgInfo')) return sendJson(res, 200, { totalSize: 0, done: true, records: [] });
    if (soql.includes('FROM Organization')) {
      return sendJson(res, 200, {
        records: [{ Name: 'Acme', InstanceName: 'NA1', IsSandbox: false, TrialExpirationDate: null, NamespacePrefix: null, OrganizationType: 'Developer Edition' }],
      });
    }
    sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: 'not found' }]);
  };

describe('org login client-credentials', () => {
  const $$ = new TestContext();
  const savedEnv: Record<string, string | undefined> = {};
  const originalHome = process.env.HOME;
  let ux: ReturnType<typeof stubSfCommandUx>;
  let server: LocalServer;
  let home: string;

  /** Everything the command printed, as one text. */
  const output = (): string =>
    Object.values(ux)
      .flatMap((stub) => stub.args.flat())
      .map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg)))
      .join('\n');

  const serve = async (overrides: { token?: Handler } = {}): Promise<void> => {
    server = await startServer(fakeOrg(() => server.url, overrides));
  };

  beforeEach(async () => {
    for (const name of SECRET_ENV) {
      savedEnv[name] = process.env[name];
      delete process.env[name];
    }
    home = await mkdtemp(join(tmpdir(), 'cc-command-'));
    process.env.HOME = home;
    ux = stubSfCommandUx($$.SANDBOX);
    await serve();
  });

  afterEach(async () => {
    await server.close();
    StateAggregator.clearInstance();
    process.env.HOME = originalHome;
    for (const name of SECRET_ENV) {
      if (savedEnv[name] === undefined) delete process.env[name];
      else process.env[name] = savedEnv[name];
    }
    await rm(home, { recursive: true, force: true });
  });

  it('logs in with the secret from SALESFORCE_CLIENT_SECRET and returns a redacted result', async () => {
    process.env.SALESFORCE_CLIENT_SECRET = SECRET;
    const result = await LoginClientCredentials.run(['--client-id', CLIENT_ID, '--instance-url', server.url, '--alias', 'ci-org']);
    expect(result).to.include({ username: USERNAME, orgId: ORG_ID, alias: 'ci-org', accessToken: '[REDACTED]' });
    expect(result.instanceUrl).to.equal(server.url);
    expect(result.expiresAt).to.equal(new Date(EXP_SECONDS * 1000).toISOString());
    expect((result as Record<string, unknown>).clientSecret).to.equal(undefined);
    expect(JSON.stringify(result)).not.to.include(SECRET).and.not.to.include(TOKEN);
    expect(ux.warn.called).to.equal(false);
    expect(ux.logSuccess.args.flat().join('\n')).to.include(ORG_ID).and.include(USERNAME).and.include('ci-org');
    expect(output()).not.to.include(SECRET);

    const token = server.requests.find((r) => r.url === '/services/oauth2/token');
    expect(Object.fromEntries(new URLSearchParams(token?.body))).to.include({ client_id: CLIENT_ID, client_secret: SECRET });
    const sfdx = join(home, '.sfdx');
    expect(await readdir(sfdx)).to.have.members([`${USERNAME}.json`, 'alias.json']);
    expect(await readFile(join(sfdx, `${USERNAME}.json`), 'utf8')).not.to.include(SECRET).and.not.to.include(TOKEN);
    expect(JSON.parse(await readFile(join(sfdx, 'alias.json'), 'utf8'))).to.deep.equal({ orgs: { 'ci-org': USERNAME } });
  });

  it('warns about --client-secret without printing the secret', async () => {
    const result = await LoginClientCredentials.run(['--client-id', CLIENT_ID, '--instance-url', server.url, '--client-secret', SECRET]);
    expect(result.username).to.equal(USERNAME);
    expect(result.alias).to.equal(undefined);
    expect(ux.warn.args.flat().join('\n')).to.include('process list');
    expect(output()).not.to.include(SECRET);
  });

  it('fails without --client-id, before sending anything', async () => {
    process.env.SALESFORCE_CLIENT_SECRET = SECRET;
    const error = await rejection(LoginClientCredentials.run(['--instance-url', server.url]));
    expect(error.message).to.include('Missing required flag client-id');
    expect(error.exitCode).to.equal(2);
    expect(server.requests).to.have.length(0);
  });

  it('fails with NoSecretError on a terminal with --no-prompt and no secret, without prompting', async () => {
    const stdin = process.stdin as typeof process.stdin & { isTTY?: boolean };
    const hadOwn = Object.prototype.hasOwnProperty.call(stdin, 'isTTY');
    const previous = stdin.isTTY;
    const prompt = $$.SANDBOX.stub(LoginClientCredentials.prototype, 'secretPrompt').rejects(new Error('prompted'));
    stdin.isTTY = true;
    try {
      const error = await rejection(LoginClientCredentials.run(['--client-id', CLIENT_ID, '--instance-url', server.url, '--no-prompt']));
      expect(error.name).to.equal('NoSecretError');
      expect(error.message).to.include('--no-prompt');
    } finally {
      if (hadOwn) stdin.isTTY = previous;
      else Reflect.deleteProperty(stdin, 'isTTY');
    }
    expect(prompt.called).to.equal(false);
    expect(server.requests).to.have.length(0);
  });

  it('refuses login.salesforce.com before sending anything', async () => {
    process.env.SALESFORCE_CLIENT_SECRET = SECRET;
    const error = await rejection(
      LoginClientCredentials.run(['--client-id', CLIENT_ID, '--instance-url', 'https://login.salesforce.com'])
    );
    expect(error.name).to.equal('GenericLoginHostError');
    expect(server.requests).to.have.length(0);
  });

  it('maps a refused secret, writes nothing and never shows the secret', async () => {
    await server.close();
    await serve({ token: (_req, res) => sendJson(res, 400, { error: 'invalid_client', error_description: 'invalid client credentials' }) });
    process.env.SALESFORCE_CLIENT_SECRET = SECRET;
    const error = await rejection(
      LoginClientCredentials.run(['--client-id', CLIENT_ID, '--instance-url', server.url, '--alias', 'ci-org'])
    );
    expect(error.name).to.equal('InvalidClientError');
    expect(error.message).to.include(CLIENT_ID);
    expect([error.message, error.stack, ...(error.actions ?? [])].join('\n')).not.to.include(SECRET);
    expect(output()).not.to.include(SECRET);
    expect(await readdir(home)).not.to.include('.sfdx');
  });

  it('redacts the secret when the org echoes it in an error', async () => {
    await server.close();
    await serve({ token: (_req, res) => sendJson(res, 400, { error: 'odd_error', error_description: `got ${SECRET}` }) });
    const error = await rejection(
      LoginClientCredentials.run(['--client-id', CLIENT_ID, '--instance-url', server.url, '--client-secret', SECRET])
    );
    expect(error.name).to.equal('OAuthError');
    expect(error.message).to.include('got [REDACTED]');
    expect([error.message, error.stack, ...(error.actions ?? [])].join('\n')).not.to.include(SECRET);
    expect(output()).not.to.include(SECRET);
  });
});

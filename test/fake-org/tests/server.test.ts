/** The server around the routes: https with the generated CA, the admin API, and the command-line entry. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { FakeOrg } from '../server.js';
import { call, mint } from '../../support/orgClient.js';

describe('FakeOrg server: https, admin API and CLI', () => {
  let org: FakeOrg;
  beforeEach(async () => {
    org = await FakeOrg.start();
  });
  afterEach(async () => {
    await org.stop();
  });

  it('logs each request: route, status, whether a credential was accepted, form fields and Authorization scheme, never a secret', async () => {
    const t = await mint(org);
    await call(org, 'GET', `/services/data/v65.0?access_token=${t.access_token}`, { token: t.access_token });
    await call(org, 'POST', '/services/oauth2/introspect', {
      form: { token: t.access_token, token_type_hint: 'access_token', client_id: 'fake-client-id', client_secret: 'fake-client-secret' },
    });
    const basic = Buffer.from('fake-client-id:fake-client-secret').toString('base64');
    await call(org, 'POST', '/services/oauth2/token', { form: { grant_type: 'client_credentials' }, headers: { Authorization: `Basic ${basic}` } });
    await call(org, 'GET', '/services/oauth2/userinfo', { token: 'not-a-token' });
    await call(org, 'POST', '/services/oauth2/revoke', { form: { token: t.access_token } });

    expect(org.requests.map(({ method, path, route, status, authorized, authScheme }) => ({ method, path, route, status, authorized, authScheme }))).to.deep.equal([
      { method: 'POST', path: '/services/oauth2/token', route: 'token', status: 200, authorized: true, authScheme: undefined },
      { method: 'GET', path: '/services/data/v65.0', route: 'data', status: 200, authorized: true, authScheme: 'Bearer' },
      { method: 'POST', path: '/services/oauth2/introspect', route: 'introspect', status: 200, authorized: true, authScheme: undefined },
      { method: 'POST', path: '/services/oauth2/token', route: 'token', status: 200, authorized: true, authScheme: 'Basic' },
      { method: 'GET', path: '/services/oauth2/userinfo', route: 'userinfo', status: 401, authorized: false, authScheme: 'Bearer' },
      { method: 'POST', path: '/services/oauth2/revoke', route: 'revoke', status: 200, authorized: true, authScheme: undefined },
    ]);
    expect(org.requests[0].form).to.equal('grant_type=client_credentials&client_id=fake-client-id&client_secret=REDACTED');
    expect(org.requests[1].query).to.equal('access_token=REDACTED');
    expect(org.requests[1].form).to.equal(undefined);
    expect(org.requests[2].form).to.equal('token=REDACTED&token_type_hint=access_token&client_id=fake-client-id&client_secret=REDACTED');
    expect(org.requests[5].form).to.equal('token=REDACTED');
    const log = JSON.stringify(org.requests);
    expect(log).to.not.include(t.access_token).and.not.include('fake-client-secret').and.not.include(basic);
    org.resetRequests();
    expect(org.requests).to.have.length(0);
  });

  it('publicUrl: names itself by that URL in its answers, while it listens on its own', async () => {
    const named = await FakeOrg.start({ publicUrl: 'https://acme.my.salesforce.com/' });
    try {
      expect(named.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(named.publicUrl).to.equal('https://acme.my.salesforce.com');
      const t = await mint(named);
      expect(t.instance_url).to.equal('https://acme.my.salesforce.com');
      expect(t.id).to.match(new RegExp(`^https://acme\\.my\\.salesforce\\.com/id/${named.orgId}/005`));
      const info = (await call(named, 'GET', '/services/oauth2/userinfo', { token: t.access_token })).json<{ urls: Record<string, string> }>();
      expect(info.urls.rest).to.equal('https://acme.my.salesforce.com/services/data/v{version}/');
      expect(org.publicUrl).to.equal(org.url);
    } finally {
      await named.stop();
    }
  });

  it('serves https with a CA made at start, for 127.0.0.1 and localhost', async () => {
    const secure = await FakeOrg.start({ https: true });
    try {
      expect(secure.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(secure.caCertPath && existsSync(secure.caCertPath)).to.equal(true);
      const t = await mint(secure);
      expect(t.instance_url).to.equal(secure.url);
      const viaLocalhost = { url: secure.url.replace('127.0.0.1', 'localhost'), caCertPath: secure.caCertPath };
      expect((await call(viaLocalhost, 'GET', '/services/data')).status).to.equal(200);
      let error = '';
      await call(secure, 'GET', '/services/data', { ca: false }).catch((e: Error) => {
        error = e.message;
      });
      expect(error).to.match(/self[- ]signed|unable to verify|certificate/i);
    } finally {
      await secure.stop();
    }
    expect(existsSync(secure.caCertPath ?? '')).to.equal(false);
  });

  it('admin API under /__fake/ drives the org and stays out of the request log', async () => {
    const t = (await mint(org)).access_token;
    const post = (path: string, body?: unknown): ReturnType<typeof call> =>
      call(org, 'POST', path, body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
    expect((await post('/__fake/client', { clientId: 'ci2', clientSecret: 's2', runAsUsername: 'ci-user@example.com' })).status).to.equal(200);
    expect((await mint(org, 'ci2', 's2')).access_token).to.be.a('string');
    expect((await post('/__fake/latency?ms=abc')).status).to.equal(400);
    expect((await post('/__fake/session-timeout?seconds=60')).status).to.equal(200);
    expect((await post('/__fake/token-active', { token: t })).json()).to.deep.equal({ active: true });
    expect((await post('/__fake/expire-all')).status).to.equal(200);
    expect(org.isTokenActive(t)).to.equal(false);
    const requests = (await call(org, 'GET', '/__fake/requests')).json<Array<{ path: string }>>();
    expect(requests.map((r) => r.path)).to.deep.equal(['/services/oauth2/token', '/services/oauth2/token']);
    expect(JSON.stringify(requests)).to.not.include(t);
    expect((await call(org, 'GET', '/__fake/token-requests')).json()).to.deep.equal({ count: 2 });
    expect((await post('/__fake/reset-requests')).status).to.equal(200);
    expect(org.requests).to.have.length(0);
  });

  it('cli.ts prints one JSON line and stops on SIGTERM', async function () {
    this.timeout(20_000);
    const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--latency', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`cli exited ${String(code)}`)));
    });
    const info = JSON.parse(line) as { url: string; orgId: string; clientId: string; clientSecret: string; username: string; caCertPath: null; pid: number };
    expect(info).to.include({ clientId: 'fake-client-id', clientSecret: 'fake-client-secret', username: 'ci-user@example.com', pid: child.pid, caCertPath: null });
    expect((await call({ url: info.url, caCertPath: undefined }, 'GET', '/__fake/health')).status).to.equal(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
  });
});

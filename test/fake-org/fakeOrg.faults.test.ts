/** Faults, latency, https with the generated CA, the admin API and the command-line entry. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { FakeOrg } from './fakeOrg.js';
import { call, mint } from './testUtil.js';

const tokenForm = { grant_type: 'client_credentials', client_id: 'fake-client-id', client_secret: 'fake-client-secret' };

describe('FakeOrg faults, https, admin API and CLI', () => {
  let org: FakeOrg;
  beforeEach(async () => {
    org = await FakeOrg.start();
  });
  afterEach(async () => {
    await org.stop();
  });
  const token = (): ReturnType<typeof call> => call(org, 'POST', '/services/oauth2/token', { form: tokenForm });

  it('hang: never answers, and stop() closes the hung socket promptly', async () => {
    org.setFault('token', { kind: 'hang' });
    let settled = false;
    const pending = token().then(
      () => 'answered',
      (e: Error) => e.message,
    ).finally(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(settled).to.equal(false);
    const started = Date.now();
    await org.stop();
    expect(Date.now() - started).to.be.below(1000);
    expect(await pending).to.match(/socket hang up|ECONNRESET/);
  });

  it('reset: destroys the socket', async () => {
    org.setFault('token', { kind: 'reset' }, 1);
    let error = '';
    await token().catch((e: Error) => {
      error = e.message;
    });
    expect(error).to.match(/socket hang up|ECONNRESET/);
    expect((await token()).status).to.equal(200);
  });

  it('html: a maintenance page (503 by default, or the given status)', async () => {
    org.setFault('data', { kind: 'html' }, 1);
    org.setFault('token', { kind: 'html', status: 200 }, 1);
    const page = await call(org, 'GET', '/services/data');
    expect(page.status).to.equal(503);
    expect(page.headers['content-type']).to.equal('text/html');
    expect(page.text).to.match(/^<!DOCTYPE html>/);
    expect((await token()).status).to.equal(200);
    expect((await token()).headers['content-type']).to.match(/^application\/json/);
  });

  it('invalidJson, status and omitField faults', async () => {
    org.setFault('token', { kind: 'invalidJson' }, 1);
    org.setFault('token', { kind: 'status', status: 502, body: 'Bad Gateway' }, 1);
    org.setFault('token', { kind: 'omitField', field: 'instance_url' }, 1);
    const invalid = await token();
    expect(invalid.status).to.equal(200);
    expect(() => invalid.json()).to.throw(SyntaxError);
    const gateway = await token();
    expect([gateway.status, gateway.text]).to.deep.equal([502, 'Bad Gateway']);
    const partial = (await token()).json();
    expect(partial).to.not.have.property('instance_url');
    expect(partial).to.have.property('access_token');
    expect((await token()).json()).to.have.property('instance_url');
  });

  it('jwtToken: a JWT-format access token that REST accepts and SOAP refuses', async () => {
    org.setFault('token', { kind: 'jwtToken' }, 1);
    const body = (await token()).json<Record<string, string>>();
    expect(body.token_format).to.equal('jwt');
    const [header] = body.access_token.split('.');
    expect(body.access_token.split('.')).to.have.length(3);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).to.include({ typ: 'JWT' });
    expect((await call(org, 'GET', '/services/data/v65.0', { token: body.access_token })).status).to.equal(200);
    const soap = await call(org, 'POST', '/services/Soap/m/65.0', {
      body: `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header><SessionHeader><sessionId>${body.access_token}</sessionId></SessionHeader></soapenv:Header><soapenv:Body><checkDeployStatus/></soapenv:Body></soapenv:Envelope>`,
    });
    expect(soap.status).to.equal(500);
    expect(soap.text).to.include('sf:INVALID_SESSION_ID');
  });

  it("'any' faults hit every route, `times` counts down, clearFaults ends them", async () => {
    org.setFault('any', { kind: 'status', status: 503, body: 'down' }, 2);
    expect((await call(org, 'GET', '/services/data')).status).to.equal(503);
    expect((await token()).status).to.equal(503);
    expect((await token()).status).to.equal(200);
    org.setFault('userinfo', { kind: 'status', status: 500 });
    expect((await token()).status).to.equal(200);
    expect((await call(org, 'GET', '/services/oauth2/userinfo')).status).to.equal(500);
    expect((await call(org, 'GET', '/services/oauth2/userinfo')).status).to.equal(500);
    org.clearFaults();
    expect((await call(org, 'GET', '/services/oauth2/userinfo')).status).to.equal(401);
  });

  it('latency delays every response', async () => {
    org.setLatency(150);
    const res = await token();
    expect(res.status).to.equal(200);
    expect(res.ms).to.be.at.least(140);
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
    const cli = fileURLToPath(new URL('cli.ts', import.meta.url));
    const root = fileURLToPath(new URL('../..', import.meta.url));
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

/**
 * Faults (each kind, on a route or 'any', counted down or skipping the first requests) and latency,
 * among them those the renewal and trust tests use: killed tokens, late, trickling and oversized answers.
 */
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { FakeOrg } from '../server.js';
import { call, mint } from '../../support/orgClient.js';

const tokenForm = { grant_type: 'client_credentials', client_id: 'fake-client-id', client_secret: 'fake-client-secret' };

describe('FakeOrg faults', () => {
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
    await sleep(200);
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

  it('setField: one field of the JSON answer replaced or added, once', async () => {
    org.setFault('token', { kind: 'setField', field: 'token_type', value: 'MAC' }, 1);
    org.setFault('introspect', { kind: 'setField', field: 'exp', value: 'tomorrow' }, 1);
    const changed = (await token()).json<Record<string, unknown>>();
    expect(changed.token_type).to.equal('MAC');
    expect(changed.access_token).to.be.a('string');
    const introspected = await call(org, 'POST', '/services/oauth2/introspect', { form: { token: String(changed.access_token), ...tokenForm } });
    expect(introspected.json()).to.include({ active: true, exp: 'tomorrow' });
    expect((await token()).json()).to.include({ token_type: 'Bearer' });
    // An answer that is not a JSON object stays as it is.
    org.setFault('data', { kind: 'setField', field: 'x', value: 1 }, 1);
    const versions = (await call(org, 'GET', '/services/data')).json();
    expect(versions).to.be.an('array');
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

  it('expireTokens: kills every token as the request arrives, which is then refused; `skip` lets the first ones through', async () => {
    const { access_token: killed } = await mint(org);
    org.setFault('data', { kind: 'expireTokens' }, 1, 1);
    expect((await call(org, 'GET', '/services/data/v65.0', { token: killed })).status).to.equal(200);
    expect((await call(org, 'GET', '/services/data/v65.0', { token: killed })).status).to.equal(401);
    expect(org.isTokenActive(killed)).to.equal(false);
    const { access_token: fresh } = await mint(org);
    expect((await call(org, 'GET', '/services/data/v65.0', { token: fresh })).status, 'the fault is used up').to.equal(200);
  });

  it('delay: the answer comes that much later', async () => {
    org.setFault('token', { kind: 'delay', ms: 300 }, 1);
    const first = await token();
    expect(first.status).to.equal(200);
    expect(first.ms).to.be.at.least(280);
  });

  it('trickle: headers and three bytes, then nothing', async () => {
    org.setFault('token', { kind: 'trickle' }, 1);
    const url = new URL(org.url);
    const received = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method: 'POST', path: '/services/oauth2/token' }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        setTimeout(() => {
          resolve({ status: res.statusCode ?? 0, text });
          req.destroy();
        }, 300);
      });
      req.on('error', reject);
      req.end();
    });
    expect(received).to.deep.equal({ status: 200, text: '{"a' });
  });

  it('huge: a JSON answer of the given size', async () => {
    org.setFault('userinfo', { kind: 'huge', bytes: 3 * 1024 * 1024 }, 1);
    const res = await call(org, 'GET', '/services/oauth2/userinfo');
    expect(res.status).to.equal(200);
    expect(res.text.length).to.be.at.least(3 * 1024 * 1024);
  });
});

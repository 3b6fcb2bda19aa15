/** The faults the renewal and trust tests use: killed tokens, late, trickling and oversized answers, skipped requests. */
import { request } from 'node:http';
import { expect } from 'chai';
import { FakeOrg } from '../server.js';
import { call, mint } from '../../support/orgClient.js';

describe('FakeOrg faults for renewal and trust', () => {
  let org: FakeOrg;
  beforeEach(async () => {
    org = await FakeOrg.start();
  });
  afterEach(async () => {
    await org.stop();
  });

  it('expireTokens: kills every token as the request arrives, which is then refused; `skip` lets the first ones through', async () => {
    const { access_token: token } = await mint(org);
    org.setFault('data', { kind: 'expireTokens' }, 1, 1);
    expect((await call(org, 'GET', '/services/data/v65.0', { token })).status).to.equal(200);
    expect((await call(org, 'GET', '/services/data/v65.0', { token })).status).to.equal(401);
    expect(org.isTokenActive(token)).to.equal(false);
    const { access_token: fresh } = await mint(org);
    expect((await call(org, 'GET', '/services/data/v65.0', { token: fresh })).status, 'the fault is used up').to.equal(200);
  });

  it('delay: the answer comes that much later', async () => {
    org.setFault('token', { kind: 'delay', ms: 300 }, 1);
    const first = await call(org, 'POST', '/services/oauth2/token', { form: { grant_type: 'client_credentials', client_id: 'fake-client-id', client_secret: 'fake-client-secret' } });
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

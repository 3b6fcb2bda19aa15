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

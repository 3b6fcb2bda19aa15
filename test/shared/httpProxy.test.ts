import { expect } from 'chai';
import { httpSend, proxyFrom } from '../../src/shared/http.js';
import { startConnectProxy, type ConnectProxy } from '../support/connectProxy.js';
import { closedPort } from '../support/ports.js';
import { allText, rejection } from '../support/rejection.js';
import { sendJson, startServer, type LocalServer } from '../support/localServer.js';

const PROXY_PASSWORD = 'pr0xyPassw0rd';
const FAST = { backoffMs: 1, timeoutMs: 3000 };

/** Requests go through the proxy jsforce (and so every sf command) would use. */
describe('http through a proxy', () => {
  let proxy: ConnectProxy | undefined;
  let server: LocalServer | undefined;
  afterEach(async () => {
    await proxy?.close();
    await server?.close();
    proxy = undefined;
    server = undefined;
  });

  it("reads jsforce's variables in jsforce's order, and nothing else", () => {
    expect(proxyFrom({ HTTP_PROXY: 'http://b', HTTPS_PROXY: 'http://a' })).to.deep.equal({ url: 'http://a', variable: 'HTTPS_PROXY' });
    expect(proxyFrom({ HTTPS_PROXY: 'http://a', https_proxy: 'http://c' })).to.deep.equal({ url: 'http://c', variable: 'https_proxy' });
    expect(proxyFrom({ http_proxy: 'http://d', HTTPS_PROXY: 'http://a' })).to.deep.equal({ url: 'http://d', variable: 'http_proxy' });
    expect(proxyFrom({ HTTP_PROXY: 'http://b' })).to.deep.equal({ url: 'http://b', variable: 'HTTP_PROXY' });
    expect(proxyFrom({ NO_PROXY: '*', ALL_PROXY: 'http://e' })).to.equal(undefined);
    expect(proxyFrom({ https_proxy: '' })).to.equal(undefined);
  });

  it('tunnels the request through CONNECT, with the credentials of the proxy URL', async () => {
    server = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
    const { port } = server;
    // The host exists only behind the proxy: a request that went around it would fail.
    proxy = await startConnectProxy(200, () => ({ host: '127.0.0.1', port }));
    const env = { HTTPS_PROXY: proxy.url.replace('http://', `http://ci:${PROXY_PASSWORD}@`) };
    const response = await httpSend({ method: 'GET', url: 'http://behind-the-proxy.invalid:8080/services/data' }, { ...FAST, env });
    expect(response.status).to.equal(200);
    expect(proxy.connects).to.deep.equal([
      { target: 'behind-the-proxy.invalid:8080', authorization: `Basic ${Buffer.from(`ci:${PROXY_PASSWORD}`).toString('base64')}` },
    ]);
    expect(server.requests[0].url).to.equal('/services/data');
    expect(server.requests[0].headers.host).to.equal('behind-the-proxy.invalid:8080');
  });

  it('names the proxy and the org host when the proxy does not open the tunnel, without its password', async () => {
    proxy = await startConnectProxy(502);
    const env = { HTTPS_PROXY: proxy.url.replace('http://', `http://ci:${PROXY_PASSWORD}@`) };
    const error = await rejection(httpSend({ method: 'GET', url: 'https://acme.my.salesforce.com/services/oauth2/token' }, { ...FAST, env }));
    expect(error.name).to.equal('ProxyTunnelFailedError');
    expect(error.message).to.equal(
      `The proxy ${proxy.url}, set by HTTPS_PROXY, did not open a connection to acme.my.salesforce.com: it answered HTTP 502.`
    );
    expect(allText(error)).not.to.include(PROXY_PASSWORD);
  });

  it('keeps what failed as the cause, without the password of a proxy URL that does not parse', async () => {
    const env = { HTTPS_PROXY: `http://ci:${PROXY_PASSWORD}@[proxy.invalid:8080` };
    const error = await rejection(httpSend({ method: 'GET', url: 'https://acme.my.salesforce.com/services/oauth2/token' }, { ...FAST, env }));
    expect(error.name).to.equal('NetworkError');
    expect((error.cause as NodeJS.ErrnoException).code).to.equal('ERR_INVALID_URL');
    expect(allText(error)).not.to.include(PROXY_PASSWORD);
  });

  it('asks for proxy credentials on a 407', async () => {
    proxy = await startConnectProxy(407);
    const error = await rejection(httpSend({ method: 'GET', url: 'https://acme.my.salesforce.com/' }, { ...FAST, env: { https_proxy: proxy.url } }));
    expect(error.name).to.equal('ProxyAuthenticationError');
    expect(error.actions?.[0]).to.include('http://user:password@');
  });

  it('blames the proxy, not the org, when the proxy cannot be reached', async () => {
    const proxyUrl = `http://127.0.0.1:${await closedPort()}`;
    const error = await rejection(httpSend({ method: 'GET', url: 'https://acme.my.salesforce.com/' }, { ...FAST, env: { HTTP_PROXY: proxyUrl } }));
    expect(error.name).to.equal('ProxyUnreachableError');
    expect(error.message).to.equal(
      `Could not reach the proxy ${proxyUrl}, set by HTTP_PROXY (ECONNREFUSED). sf sends every request to Salesforce through that proxy.`
    );
    expect(error.actions?.join('\n')).to.include('NO_PROXY');
  });
});

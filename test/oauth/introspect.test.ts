import { expect } from 'chai';
import { introspectToken } from '../../src/oauth/introspect.js';
import type { ClientCredentials } from '../../src/oauth/tokenExchange.js';
import { closedPort } from '../support/ports.js';
import { sendJson, startServer, type Handler, type LocalServer } from '../support/localServer.js';

const SECRET = 'IntrospectSecret-ABCDEF0123';
const TOKEN = '00DXX0000000001!AQ4AQIntrospectToken';
const FAST = { backoffMs: 1, timeoutMs: 2000 };

describe('introspect', () => {
  let server: LocalServer | undefined;
  let credentials: ClientCredentials;
  const serve = async (handler: Handler): Promise<LocalServer> => {
    server = await startServer(handler);
    credentials = { instanceUrl: server.url, clientId: '3MVG9IntrospectClient', clientSecret: SECRET };
    return server;
  };
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('posts the token with the client credentials and returns the expiry in milliseconds', async () => {
    const { requests } = await serve((_req, res) =>
      sendJson(res, 200, { active: true, exp: 1_700_007_200, iat: 1_700_000_000, username: 'runas@acme.com', client_id: 'x' })
    );
    expect(await introspectToken(credentials, TOKEN, FAST)).to.deep.equal({ active: true, expiresAt: 1_700_007_200_000 });
    expect(requests).to.have.length(1);
    expect(requests[0].method).to.equal('POST');
    expect(requests[0].url).to.equal('/services/oauth2/introspect');
    expect(requests[0].headers['content-type']).to.equal('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(requests[0].body))).to.deep.equal({
      token: TOKEN,
      token_type_hint: 'access_token',
      client_id: '3MVG9IntrospectClient',
      client_secret: SECRET,
    });
  });

  it('reports an inactive token without an expiry', async () => {
    await serve((_req, res) => sendJson(res, 200, { active: false }));
    expect(await introspectToken(credentials, TOKEN, FAST)).to.deep.equal({ active: false, expiresAt: undefined });
  });

  it('ignores an expiry that is missing or not a number', async () => {
    await serve((_req, res) => sendJson(res, 200, { active: true, exp: 'tomorrow' }));
    expect(await introspectToken(credentials, TOKEN, FAST)).to.deep.equal({ active: true, expiresAt: undefined });
  });

  it('accepts exp sent as a string of digits', async () => {
    await serve((_req, res) => sendJson(res, 200, { active: true, exp: '1700007200' }));
    expect((await introspectToken(credentials, TOKEN, FAST))?.expiresAt).to.equal(1_700_007_200_000);
  });

  const unusable: Array<[string, Handler]> = [
    ['a 401', (_req, res) => sendJson(res, 401, { error: 'invalid_client' })],
    ['a 5xx (tried once)', (_req, res) => sendJson(res, 503, {})],
    ['invalid JSON', (_req, res) => res.writeHead(200).end('{"active":')],
    ['no "active" field', (_req, res) => sendJson(res, 200, { exp: 1_700_007_200 })],
    ['an HTML page', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>')],
  ];
  for (const [name, handler] of unusable) {
    it(`returns undefined for ${name}`, async () => {
      const { requests } = await serve(handler);
      expect(await introspectToken(credentials, TOKEN, FAST)).to.equal(undefined);
      expect(requests).to.have.length(1);
    });
  }

  it('returns undefined when the org does not answer in time', async () => {
    await serve(() => undefined);
    expect(await introspectToken(credentials, TOKEN, { timeoutMs: 100 })).to.equal(undefined);
  });

  it('returns undefined when the connection is refused', async () => {
    const port = await closedPort();
    const refused = { instanceUrl: `http://127.0.0.1:${port}`, clientId: 'x', clientSecret: SECRET };
    expect(await introspectToken(refused, TOKEN, FAST)).to.equal(undefined);
  });
});

import { expect } from 'chai';
import type { SfError } from '@salesforce/core/sfError';
import {
  parseIdentityUrl,
  requestToken,
  signatureMatches,
  tokenEndpoint,
  type ClientCredentials,
} from '../../src/oauth/tokenExchange.js';
import { signature as sign } from '../fake-org/server.js';
import { sendJson, startServer, type Handler, type LocalServer } from '../support/localServer.js';
import { rejection } from '../support/rejection.js';

const SECRET = 'TokenTestSecret-0123456789ABCDEF';
const CLIENT_ID = '3MVG9TokenTestClientId';
const IDENTITY = 'https://login.salesforce.com/id/00DXX0000000001EAA/005XX000001abcdEAA';
const ISSUED_AT = '1700000000000';
const FAST = { backoffMs: 1, timeoutMs: 2000 };

/** A success answer as Salesforce sends it, signed with the test secret. */
const tokenBody = (instanceUrl: string, overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  access_token: '00DXX0000000001!AQ4AQFakeToken',
  signature: sign(SECRET, IDENTITY, ISSUED_AT),
  token_format: 'opaque',
  instance_url: instanceUrl,
  id: IDENTITY,
  token_type: 'Bearer',
  issued_at: ISSUED_AT,
  scope: 'api',
  api_instance_url: 'https://api.salesforce.com',
  ...overrides,
});

const expectNoSecret = (error: SfError): void => {
  expect([error.message, ...(error.actions ?? [])].join('\n')).not.to.include(SECRET);
};

describe('tokenExchange', () => {
  let server: LocalServer | undefined;
  let credentials: ClientCredentials;
  const serve = async (handler: Handler): Promise<LocalServer> => {
    server = await startServer(handler);
    credentials = { instanceUrl: server.url, clientId: CLIENT_ID, clientSecret: SECRET };
    return server;
  };
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('builds the token endpoint without a double slash', () => {
    expect(tokenEndpoint('https://acme.my.salesforce.com/')).to.equal('https://acme.my.salesforce.com/services/oauth2/token');
  });

  it('sends the client credentials grant and returns the verified token', async () => {
    const { url, requests } = await serve((_req, res) => sendJson(res, 200, tokenBody(`${server?.url ?? ''}/`)));
    const token = await requestToken(credentials, FAST);
    expect(token).to.deep.equal({
      accessToken: '00DXX0000000001!AQ4AQFakeToken',
      instanceUrl: url,
      orgId: '00DXX0000000001EAA',
      userId: '005XX000001abcdEAA',
      issuedAt: 1_700_000_000_000,
      tokenFormat: 'opaque',
    });
    expect(requests).to.have.length(1);
    expect(requests[0].method).to.equal('POST');
    expect(requests[0].url).to.equal('/services/oauth2/token');
    const form = Object.fromEntries(new URLSearchParams(requests[0].body));
    expect(form).to.deep.equal({ grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET });
    expect(JSON.stringify(requests[0].headers)).not.to.include(SECRET);
  });

  it('accepts an answer without signature, api_instance_url and token_format', async () => {
    await serve((_req, res) =>
      sendJson(res, 200, tokenBody(server?.url ?? '', { signature: undefined, api_instance_url: undefined, token_format: undefined }))
    );
    const token = await requestToken(credentials, FAST);
    expect(token.tokenFormat).to.equal(undefined);
    expect(token.orgId).to.equal('00DXX0000000001EAA');
  });

  it('retries a 503 and returns the token that follows', async () => {
    let calls = 0;
    await serve((_req, res) => (++calls === 1 ? sendJson(res, 503, {}) : sendJson(res, 200, tokenBody(server?.url ?? ''))));
    expect((await requestToken(credentials, FAST)).accessToken).to.equal('00DXX0000000001!AQ4AQFakeToken');
    expect(calls).to.equal(2);
  });

  it('reports a server that stays unavailable', async () => {
    const { port } = await serve((_req, res) => sendJson(res, 500, {}));
    const error = await rejection(requestToken(credentials, { ...FAST, maxTries: 2 }));
    expect(error.name).to.equal('ServerUnavailableError');
    expect(error.message).to.equal(`127.0.0.1:${port} answered HTTP 500 after 2 tries: the service is not available right now.`);
  });

  it('maps a 400 OAuth error without retrying, and never shows the secret', async () => {
    const { requests } = await serve((_req, res) =>
      sendJson(res, 400, { error: 'invalid_client', error_description: 'invalid client credentials' })
    );
    const error = await rejection(requestToken(credentials, { ...FAST, maxTries: 3 }));
    expect(error.name).to.equal('InvalidClientError');
    expect(error.message).to.include(CLIENT_ID);
    expect(requests).to.have.length(1);
    expectNoSecret(error);
  });

  it('redacts the secret when the org echoes it in an unknown error', async () => {
    await serve((_req, res) => sendJson(res, 400, { error: 'invalid_request', error_description: `bad value ${SECRET}` }));
    const error = await rejection(requestToken(credentials, FAST));
    expect(error.name).to.equal('OAuthError');
    expect(error.message).to.include('bad value [REDACTED]');
    expectNoSecret(error);
  });

  it('reports an HTML page, naming the URL to open', async () => {
    await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><html><body>Maintenance</body></html>');
    });
    const error = await rejection(requestToken(credentials, FAST));
    expect(error.name).to.equal('HtmlResponseError');
    expect(error.message).to.include('HTTP 200');
    expect(error.actions?.[0]).to.include(credentials.instanceUrl);
  });

  it('reports an HTML error page of a proxy', async () => {
    await serve((_req, res) => {
      res.writeHead(403, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html>Access denied</html>');
    });
    const error = await rejection(requestToken(credentials, FAST));
    expect(error.name).to.equal('HtmlResponseError');
    expect(error.message).to.include('HTTP 403');
  });

  it('reports invalid JSON', async () => {
    await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"access_token": "abc"');
    });
    const error = await rejection(requestToken(credentials, FAST));
    expect(error.name).to.equal('InvalidJsonError');
    expect(error.message).to.include('HTTP 200');
  });

  it('reports JSON that is not an object', async () => {
    await serve((_req, res) => sendJson(res, 200, ['access_token']));
    expect((await rejection(requestToken(credentials, FAST))).name).to.equal('InvalidJsonError');
  });

  it('reports a non-OAuth 404', async () => {
    await serve((_req, res) => sendJson(res, 404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]));
    const error = await rejection(requestToken(credentials, FAST));
    expect(error.name).to.equal('UnexpectedStatusError');
    expect(error.message).to.include('HTTP 404');
  });

  for (const field of ['access_token', 'instance_url', 'id']) {
    it(`reports a missing ${field}`, async () => {
      await serve((_req, res) => sendJson(res, 200, tokenBody(server?.url ?? '', { [field]: undefined, signature: undefined })));
      const error = await rejection(requestToken(credentials, FAST));
      expect(error.name).to.equal('IncompleteResponseError');
      expect(error.message).to.include(`no "${field}" field`);
    });
  }

  it('refuses a token that is not a Bearer token', async () => {
    await serve((_req, res) => sendJson(res, 200, tokenBody(server?.url ?? '', { token_type: 'MAC' })));
    const error = await rejection(requestToken(credentials, FAST));
    expect(error.name).to.equal('UnexpectedTokenTypeError');
    expect(error.message).to.include('"MAC"');
  });

  it('refuses a signature made with another secret', async () => {
    await serve((_req, res) => sendJson(res, 200, tokenBody(server?.url ?? '', { signature: sign('other', IDENTITY, ISSUED_AT) })));
    const error = await rejection(requestToken(credentials, FAST));
    expect(error.name).to.equal('BadSignatureError');
    expectNoSecret(error);
  });

  it('refuses a signature over another issued_at, or of another length', async () => {
    await serve((_req, res) => sendJson(res, 200, tokenBody(server?.url ?? '', { issued_at: '1700000000001' })));
    expect((await rejection(requestToken(credentials, FAST))).name).to.equal('BadSignatureError');
    await server?.close();
    await serve((_req, res) => sendJson(res, 200, tokenBody(server?.url ?? '', { signature: 'short' })));
    expect((await rejection(requestToken(credentials, FAST))).name).to.equal('BadSignatureError');
  });

  it('refuses an identity URL without org and user IDs', async () => {
    const id = 'https://login.salesforce.com/id/whoami';
    await serve((_req, res) => sendJson(res, 200, tokenBody(server?.url ?? '', { id, signature: sign(SECRET, id, ISSUED_AT) })));
    expect((await rejection(requestToken(credentials, FAST))).name).to.equal('BadIdentityUrlError');
  });

  describe('signatures and identity URLs', () => {
    it("accepts Salesforce's signature, base64 HMAC-SHA256(secret, id + issued_at), and nothing else", () => {
      expect(signatureMatches(sign(SECRET, IDENTITY, ISSUED_AT), SECRET, IDENTITY, ISSUED_AT)).to.equal(true);
      expect(signatureMatches(sign(SECRET, IDENTITY, ISSUED_AT), `${SECRET}x`, IDENTITY, ISSUED_AT)).to.equal(false);
      expect(signatureMatches('', SECRET, IDENTITY, ISSUED_AT)).to.equal(false);
    });

    it('splits an identity URL, with or without a trailing slash', () => {
      expect(parseIdentityUrl(`${IDENTITY}/`, 'h')).to.deep.equal({ orgId: '00DXX0000000001EAA', userId: '005XX000001abcdEAA' });
      expect(parseIdentityUrl('https://x/id/00DXX0000000001/005XX000001abcd', 'h')).to.deep.equal({
        orgId: '00DXX0000000001',
        userId: '005XX000001abcd',
      });
    });
  });
});

import { expect } from 'chai';
import type { PluginError } from '../../src/shared/messages.js';
import {
  parseIdentityUrl,
  requestToken,
  signatureMatches,
  tokenEndpoint,
  type ClientCredentials,
} from '../../src/oauth/tokenExchange.js';
import { DEFAULT_CLIENT, DEFAULT_USER, FakeOrg, signature as sign } from '../fake-org/server.js';
import { allText, rejection } from '../support/rejection.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;
const IDENTITY = 'https://login.salesforce.com/id/00DXX0000000001EAA/005XX000001abcdEAA';
const ISSUED_AT = '1700000000000';
const FAST = { backoffMs: 1, timeoutMs: 2000 };

const expectNoSecret = (error: PluginError, secret = SECRET): void => {
  expect(allText(error)).not.to.include(secret);
};

describe('tokenExchange', () => {
  // As Salesforce answers: signed, with api_instance_url; and one org that does not sign.
  let org: FakeOrg;
  let unsigned: FakeOrg;
  let credentials: ClientCredentials;
  const credentialsOf = (fake: FakeOrg): ClientCredentials => ({ loginUrl: fake.url, clientId: CLIENT_ID, clientSecret: SECRET });

  before(async () => {
    [org, unsigned] = await Promise.all([FakeOrg.start({ apiInstanceUrl: 'https://api.salesforce.com' }), FakeOrg.start({ signResponses: false })]);
    credentials = credentialsOf(org);
  });
  afterEach(() => {
    for (const fake of [org, unsigned]) {
      fake.clearFaults();
      fake.resetRequests();
    }
  });
  after(async () => {
    await Promise.all([org.stop(), unsigned.stop()]);
  });

  it('builds the token endpoint without a double slash', () => {
    expect(tokenEndpoint('https://acme.my.salesforce.com/')).to.equal('https://acme.my.salesforce.com/services/oauth2/token');
  });

  it('sends the client credentials grant in a form and returns the verified token, instance_url without its trailing slash', async () => {
    org.setFault('token', { kind: 'setField', field: 'instance_url', value: `${org.url}/` }, 1);
    const before = Date.now();
    const { issuedAt, ...token } = await requestToken(credentials, FAST);
    expect(token).to.deep.equal({
      accessToken: org.issuedTokens.at(-1),
      instanceUrl: org.url,
      orgId: org.orgId,
      userId: DEFAULT_USER.userId,
      tokenFormat: 'opaque',
    });
    expect(issuedAt).to.be.within(before, Date.now());
    // The secret goes in the form only: no Authorization header.
    expect(org.requests.map(({ method, path, form, authScheme }) => ({ method, path, form, authScheme }))).to.deep.equal([
      {
        method: 'POST',
        path: '/services/oauth2/token',
        form: `grant_type=client_credentials&client_id=${CLIENT_ID}&client_secret=REDACTED`,
        authScheme: undefined,
      },
    ]);
    expect(org.requests[0].authorized, 'the org accepted the client credentials').to.equal(true);
  });

  it('accepts an answer without signature, api_instance_url and token_format', async () => {
    unsigned.setFault('token', { kind: 'omitField', field: 'token_format' });
    const token = await requestToken(credentialsOf(unsigned), FAST);
    expect(token.tokenFormat).to.equal(undefined);
    expect(token.accessToken).to.equal(unsigned.issuedTokens.at(-1));
    expect(token.orgId).to.equal(unsigned.orgId);
  });

  it('retries a 503 and returns the token that follows', async () => {
    org.setFault('token', { kind: 'status', status: 503 }, 1);
    expect((await requestToken(credentials, FAST)).accessToken).to.equal(org.issuedTokens.at(-1));
    expect(org.tokenRequests()).to.equal(2);
  });

  it('reports a server that stays unavailable', async () => {
    org.setFault('token', { kind: 'status', status: 500 });
    const error = await rejection(requestToken(credentials, { ...FAST, maxTries: 2 }));
    expect(error.name).to.equal('ServerUnavailableError');
    expect(error.message).to.equal(`${new URL(org.url).host} answered HTTP 500 after 2 tries: the service is not available right now.`);
    expect(org.tokenRequests()).to.equal(2);
  });

  it('maps a 400 OAuth error without retrying, and never shows the secret', async () => {
    const wrong = 'TokenTestWrongSecret-0123456789';
    const error = await rejection(requestToken({ ...credentials, clientSecret: wrong }, { ...FAST, maxTries: 3 }));
    expect(error.name).to.equal('InvalidClientError');
    expect(error.message).to.include(CLIENT_ID);
    expect(org.tokenRequests()).to.equal(1);
    expectNoSecret(error, wrong);
  });

  it('redacts the secret when the org echoes it in an unknown error', async () => {
    org.setFault('token', { kind: 'oauthError', error: 'invalid_request', description: `bad value ${SECRET}` });
    const error = await rejection(requestToken(credentials, FAST));
    expect(error.name).to.equal('OAuthError');
    expect(error.message).to.include('bad value [REDACTED]');
    expectNoSecret(error);
  });

  for (const status of [200, 403]) {
    it(`reports an HTML page answered with HTTP ${status} (maintenance, proxy), naming the URL to open`, async () => {
      org.setFault('token', { kind: 'html', status });
      const error = await rejection(requestToken(credentials, FAST));
      expect(error.name).to.equal('HtmlResponseError');
      expect(error.message).to.include(`HTTP ${status}`);
      expect(error.actions?.[0]).to.include(credentials.loginUrl);
    });
  }

  it('reports invalid JSON', async () => {
    org.setFault('token', { kind: 'invalidJson' });
    const error = await rejection(requestToken(credentials, FAST));
    expect(error.name).to.equal('InvalidJsonError');
    expect(error.message).to.include('HTTP 200');
  });

  it('reports JSON that is not an object', async () => {
    org.setFault('token', { kind: 'status', status: 200, body: '["access_token"]', contentType: 'application/json' });
    expect((await rejection(requestToken(credentials, FAST))).name).to.equal('InvalidJsonError');
  });

  it('reports a non-OAuth 404', async () => {
    org.setFault('token', {
      kind: 'status',
      status: 404,
      body: '[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]',
      contentType: 'application/json',
    });
    const error = await rejection(requestToken(credentials, FAST));
    expect(error.name).to.equal('UnexpectedStatusError');
    expect(error.message).to.include('HTTP 404');
  });

  for (const field of ['access_token', 'instance_url', 'id']) {
    it(`reports a missing ${field}`, async () => {
      org.setFault('token', { kind: 'omitField', field });
      const error = await rejection(requestToken(credentials, FAST));
      expect(error.name).to.equal('IncompleteResponseError');
      expect(error.message).to.include(`no "${field}" field`);
    });
  }

  it('refuses a token that is not a Bearer token', async () => {
    org.setFault('token', { kind: 'setField', field: 'token_type', value: 'MAC' });
    const error = await rejection(requestToken(credentials, FAST));
    expect(error.name).to.equal('UnexpectedTokenTypeError');
    expect(error.message).to.include('"MAC"');
  });

  it('refuses a signature made with another secret', async () => {
    org.setFault('token', { kind: 'badSignature' });
    const error = await rejection(requestToken(credentials, FAST));
    expect(error.name).to.equal('BadSignatureError');
    expectNoSecret(error);
  });

  it('refuses a signature over another issued_at, or of another length', async () => {
    org.setFault('token', { kind: 'setField', field: 'issued_at', value: ISSUED_AT }, 1);
    org.setFault('token', { kind: 'setField', field: 'signature', value: 'short' }, 1);
    expect((await rejection(requestToken(credentials, FAST))).name).to.equal('BadSignatureError');
    expect((await rejection(requestToken(credentials, FAST))).name).to.equal('BadSignatureError');
  });

  it('refuses an identity URL without org and user IDs', async () => {
    unsigned.setFault('token', { kind: 'setField', field: 'id', value: 'https://login.salesforce.com/id/whoami' });
    expect((await rejection(requestToken(credentialsOf(unsigned), FAST))).name).to.equal('BadIdentityUrlError');
  });

  describe('signatures and identity URLs', () => {
    it("accepts Salesforce's signature, base64 HMAC-SHA256(secret, id + issued_at), and nothing else", () => {
      expect(signatureMatches(sign(SECRET, IDENTITY, ISSUED_AT), SECRET, IDENTITY, ISSUED_AT)).to.equal(true);
      expect(signatureMatches(sign(SECRET, IDENTITY, ISSUED_AT), `${SECRET}x`, IDENTITY, ISSUED_AT)).to.equal(false);
      expect(signatureMatches(sign(SECRET, IDENTITY, '1700000000001'), SECRET, IDENTITY, ISSUED_AT)).to.equal(false);
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

import { expect } from 'chai';
import { introspectToken } from '../../src/oauth/introspect.js';
import type { ClientCredentials } from '../../src/oauth/tokenExchange.js';
import { DEFAULT_CLIENT, FakeOrg, type Fault } from '../fake-org/server.js';
import { mint } from '../support/orgClient.js';
import { closedPort } from '../support/ports.js';
import { rejection } from '../support/rejection.js';

const FAST = { backoffMs: 1, timeoutMs: 2000 };

describe('introspect', () => {
  let org: FakeOrg;
  let credentials: ClientCredentials;
  /** A live token of the fake org, and when the org says it expires (epoch seconds). */
  let token: { accessToken: string; exp: number };

  before(async () => {
    org = await FakeOrg.start({ sessionTimeoutSeconds: 900 });
    credentials = { loginUrl: org.url, clientId: DEFAULT_CLIENT.clientId, clientSecret: DEFAULT_CLIENT.clientSecret };
    const minted = await mint(org);
    token = { accessToken: minted.access_token, exp: Math.floor((Number(minted.issued_at) + 900_000) / 1000) };
  });
  beforeEach(() => org.resetRequests());
  afterEach(() => org.clearFaults());
  after(async () => {
    await org.stop();
  });

  it('posts the token with the client credentials and returns the expiry in milliseconds', async () => {
    expect(await introspectToken(credentials, token.accessToken, FAST)).to.deep.equal({ active: true, expiresAt: token.exp * 1000 });
    expect(org.requests.map(({ method, path, form, authorized }) => ({ method, path, form, authorized }))).to.deep.equal([
      {
        method: 'POST',
        path: '/services/oauth2/introspect',
        form: `token=REDACTED&token_type_hint=access_token&client_id=${DEFAULT_CLIENT.clientId}&client_secret=REDACTED`,
        authorized: true,
      },
    ]);
  });

  it('reports an inactive token without an expiry', async () => {
    expect(await introspectToken(credentials, '00DXX0000000001!AQ4AQUnknownToken', FAST)).to.deep.equal({
      active: false,
      expiresAt: undefined,
    });
  });

  it('ignores an expiry that is missing or not a number', async () => {
    org.setFault('introspect', { kind: 'setField', field: 'exp', value: 'tomorrow' }, 1);
    org.setFault('introspect', { kind: 'omitField', field: 'exp' }, 1);
    for (let n = 0; n < 2; n++) {
      expect(await introspectToken(credentials, token.accessToken, FAST)).to.deep.equal({ active: true, expiresAt: undefined });
    }
  });

  it('accepts exp sent as a string of digits', async () => {
    org.setFault('introspect', { kind: 'setField', field: 'exp', value: String(token.exp) });
    expect((await introspectToken(credentials, token.accessToken, FAST))?.expiresAt).to.equal(token.exp * 1000);
  });

  const unusable: Array<[string, Fault]> = [
    ['a 401', { kind: 'oauthError', error: 'invalid_client', description: 'invalid client credentials', status: 401 }],
    ['a 5xx (tried once)', { kind: 'status', status: 503 }],
    ['invalid JSON', { kind: 'invalidJson' }],
    ['no "active" field', { kind: 'omitField', field: 'active' }],
    ['an HTML page', { kind: 'html', status: 200 }],
  ];
  for (const [name, fault] of unusable) {
    it(`returns undefined for ${name}`, async () => {
      org.setFault('introspect', fault);
      expect(await introspectToken(credentials, token.accessToken, FAST)).to.equal(undefined);
      expect(org.requests).to.have.length(1);
    });
  }

  it('returns undefined when the org does not answer in time', async () => {
    org.setFault('introspect', { kind: 'hang' });
    expect(await introspectToken(credentials, token.accessToken, { timeoutMs: 100 })).to.equal(undefined);
  });

  it('returns undefined when the connection is refused', async () => {
    const refused = { ...credentials, loginUrl: `http://127.0.0.1:${await closedPort()}` };
    expect(await introspectToken(refused, token.accessToken, FAST)).to.equal(undefined);
  });

  it('sends the secret to no plain-http login URL off this machine: UntrustedLoginUrlError before any request', async () => {
    const insecure = { ...credentials, loginUrl: 'http://acme.example.com' };
    expect((await rejection(introspectToken(insecure, token.accessToken, FAST))).name).to.equal('UntrustedLoginUrlError');
  });
});

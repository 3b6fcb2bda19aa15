/** The fake org's OAuth endpoints: token (form and Basic), signature, every error, introspect, revoke, expiry. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { FakeOrg, signature } from '../server.js';
import { DEFAULT_USER_ID } from '../wire/ids.js';
import { call, mint } from '../../support/orgClient.js';

const form = (extra: Record<string, string> = {}): Record<string, string> => ({
  grant_type: 'client_credentials', client_id: 'fake-client-id', client_secret: 'fake-client-secret', ...extra,
});

/** Whether sig is the fake's signature of id + issued_at with this secret (constant-time, as a client checks). */
function verify(secret: string, id: string, issuedAt: string, sig: string): boolean {
  const expected = Buffer.from(signature(secret, id, issuedAt), 'base64');
  const got = Buffer.from(sig, 'base64');
  return got.length === expected.length && timingSafeEqual(got, expected);
}

describe('FakeOrg OAuth', () => {
  let org: FakeOrg;
  beforeEach(async () => {
    org = await FakeOrg.start();
  });
  afterEach(async () => {
    await org.stop();
  });

  it('mints a token with the form body, shaped like Salesforce', async () => {
    const before = Date.now();
    const res = await call(org, 'POST', '/services/oauth2/token', { form: form() });
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^application\/json/);
    const body = res.json<Record<string, string>>();
    expect(Object.keys(body)).to.deep.equal(['access_token', 'signature', 'token_format', 'instance_url', 'id', 'token_type', 'issued_at', 'scope']);
    expect(body.access_token.startsWith(`${org.orgId.slice(0, 15)}!AQ`)).to.equal(true);
    expect(body.access_token).to.match(/^00D\w{12}![\w.]+$/);
    expect(body.token_format).to.equal('opaque');
    expect(body.instance_url).to.equal(org.url);
    expect(body.id).to.match(new RegExp(`^${org.url}/id/${org.orgId}/005\\w{15}$`));
    expect(body.token_type).to.equal('Bearer');
    expect(body.scope).to.equal('api');
    expect(body.issued_at).to.match(/^\d{13}$/);
    expect(Number(body.issued_at)).to.be.within(before, Date.now());
    expect(org.issuedTokens).to.deep.equal([body.access_token]);
    expect(org.tokenRequests()).to.equal(1);
    expect(org.isTokenActive(body.access_token)).to.equal(true);
  });

  it('accepts client credentials in an Authorization: Basic header', async () => {
    const basic = Buffer.from('fake-client-id:fake-client-secret').toString('base64');
    const res = await call(org, 'POST', '/services/oauth2/token', { form: { grant_type: 'client_credentials' }, headers: { Authorization: `Basic ${basic}` } });
    expect(res.status).to.equal(200);
    expect(res.json().access_token).to.be.a('string');
  });

  it("signature() is Salesforce's: base64(HMAC-SHA256(secret, id + issued_at))", () => {
    // Computed here independently: every other test (and the plugin's tests) use signature().
    const id = 'https://acme.my.salesforce.com/id/00DFK0000000001AAA/005FK0000000001AAA';
    expect(signature('s3cret', id, '1700000000000')).to.equal(createHmac('sha256', 's3cret').update(`${id}1700000000000`).digest('base64'));
    expect(signature('s3cret', id, '1700000000001')).to.not.equal(signature('s3cret', id, '1700000000000'));
  });

  it('signs id + issued_at with the client secret (and badSignature breaks it)', async () => {
    const good = await mint(org);
    expect(verify('fake-client-secret', good.id, good.issued_at, good.signature ?? '')).to.equal(true);
    expect(verify('another-secret', good.id, good.issued_at, good.signature ?? '')).to.equal(false);
    org.setFault('token', { kind: 'badSignature' }, 1);
    const bad = await mint(org);
    expect(verify('fake-client-secret', bad.id, bad.issued_at, bad.signature ?? '')).to.equal(false);
    const again = await mint(org);
    expect(verify('fake-client-secret', again.id, again.issued_at, again.signature ?? '')).to.equal(true);
  });

  it('omits the signature when signResponses is false', async () => {
    const unsigned = await FakeOrg.start({ signResponses: false });
    try {
      expect((await mint(unsigned)).signature).to.equal(undefined);
    } finally {
      await unsigned.stop();
    }
  });

  describe('errors (400 {error, error_description})', () => {
    const cases: Array<[string, () => void, Record<string, string>, string, string]> = [
      ['unknown client', () => undefined, form({ client_id: 'nope' }), 'invalid_client_id', 'client identifier invalid'],
      ['missing client id', () => undefined, { grant_type: 'client_credentials' }, 'invalid_client_id', 'client identifier invalid'],
      ['wrong secret', () => undefined, form({ client_secret: 'wrong' }), 'invalid_client', 'invalid client credentials'],
      ['other grant type', () => undefined, form({ grant_type: 'password' }), 'unsupported_grant_type', 'grant type not supported'],
      ['no grant type', () => undefined, { client_id: 'fake-client-id', client_secret: 'fake-client-secret' }, 'unsupported_grant_type', 'grant type not supported'],
      ['no run-as user', () => org.setClient({ clientId: 'fake-client-id', clientSecret: 'fake-client-secret' }), form(), 'invalid_grant', 'no client credentials user enabled'],
      ['flow disabled', () => org.setClient({ clientId: 'fake-client-id', clientSecret: 'fake-client-secret', runAsUsername: 'ci-user@example.com', enabled: false }), form(), 'invalid_grant', 'no client credentials user enabled'],
      ['inactive user', () => org.setUser({ userId: DEFAULT_USER_ID, username: 'ci-user@example.com', active: false }), form(), 'inactive_user', 'user is inactive'],
      ['app not approved', () => org.setClient({ clientId: 'fake-client-id', clientSecret: 'fake-client-secret', runAsUsername: 'ci-user@example.com', approved: false }), form(), 'invalid_app_access', 'user is not admin approved to access this app'],
      ['oauthError fault', () => org.setFault('token', { kind: 'oauthError', error: 'rate_limit_exceeded', description: 'number of logins exceeded' }), form(), 'rate_limit_exceeded', 'number of logins exceeded'],
      ['inactive org (fault)', () => org.setFault('any', { kind: 'oauthError', error: 'inactive_org', description: 'org is locked, closed, or suspended' }), form(), 'inactive_org', 'org is locked, closed, or suspended'],
    ];
    for (const [name, arrange, body, error, description] of cases) {
      it(name, async () => {
        arrange();
        const res = await call(org, 'POST', '/services/oauth2/token', { form: body });
        expect(res.status).to.equal(400);
        expect(res.json()).to.deep.equal({ error, error_description: description });
        expect(org.issuedTokens).to.have.length(0);
      });
    }

    it('login.salesforce.com / test.salesforce.com do not serve the flow', async () => {
      for (const host of ['login.salesforce.com', 'test.salesforce.com']) {
        const res = await call(org, 'POST', '/services/oauth2/token', { form: form(), headers: { Host: host } });
        expect(res.json()).to.deep.equal({ error: 'invalid_grant', error_description: 'request not supported on this domain' });
      }
    });

    it('a rotated secret invalidates the old one; GET is refused', async () => {
      org.setClient({ clientId: 'fake-client-id', clientSecret: 'rotated', runAsUsername: 'ci-user@example.com' });
      expect((await call(org, 'POST', '/services/oauth2/token', { form: form() })).json().error).to.equal('invalid_client');
      expect((await mint(org, 'fake-client-id', 'rotated')).access_token).to.be.a('string');
      expect((await call(org, 'GET', '/services/oauth2/token')).json().error).to.equal('invalid_request');
    });
  });

  describe('introspect and revoke', () => {
    it('introspects an active token and reports exp from the session timeout', async () => {
      const t = await mint(org);
      const res = await call(org, 'POST', '/services/oauth2/introspect', { form: { token: t.access_token, token_type_hint: 'access_token', client_id: 'fake-client-id', client_secret: 'fake-client-secret' } });
      const body = res.json<Record<string, unknown>>();
      expect(body).to.include({ active: true, scope: 'api', client_id: 'fake-client-id', username: 'ci-user@example.com', sub: t.id, token_type: 'access_token' });
      expect(body.exp).to.equal(Math.floor((Number(t.issued_at) + 7_200_000) / 1000));
      expect(body.iat).to.equal(Math.floor(Number(t.issued_at) / 1000));
      expect(body.nbf).to.equal(body.iat);
    });

    it('checks the client, and answers active:false for unknown tokens or other clients', async () => {
      const t = await mint(org);
      const bad = await call(org, 'POST', '/services/oauth2/introspect', { form: { token: t.access_token, client_id: 'fake-client-id', client_secret: 'x' } });
      expect(bad.status).to.equal(400);
      expect(bad.json().error).to.equal('invalid_client');
      const unknown = await call(org, 'POST', '/services/oauth2/introspect', { form: { token: 'nope', client_id: 'fake-client-id', client_secret: 'fake-client-secret' } });
      expect(unknown.json()).to.deep.equal({ active: false });
      org.setClient({ clientId: 'other', clientSecret: 'other-secret', runAsUsername: 'ci-user@example.com' });
      const other = await call(org, 'POST', '/services/oauth2/introspect', { form: { token: t.access_token, client_id: 'other', client_secret: 'other-secret' } });
      expect(other.json()).to.deep.equal({ active: false });
    });

    it('revokes a token: 200 empty, then 401 INVALID_SESSION_ID and active:false', async () => {
      const t = await mint(org);
      const res = await call(org, 'POST', '/services/oauth2/revoke', { form: { token: t.access_token } });
      expect(res.status).to.equal(200);
      expect(res.text).to.equal('');
      const api = await call(org, 'GET', '/services/data/v65.0', { token: t.access_token });
      expect(api.status).to.equal(401);
      expect(api.json<unknown[]>()).to.deep.equal([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      expect(org.isTokenActive(t.access_token)).to.equal(false);
      const again = await call(org, 'POST', '/services/oauth2/revoke', { form: { token: t.access_token } });
      expect(again.status).to.equal(400);
    });
  });

  describe('expiry', () => {
    it('is an idle timeout: every authenticated call extends it', async () => {
      org.setSessionTimeout(0.6);
      const t = await mint(org);
      for (let i = 0; i < 3; i++) {
        await sleep(300); // 900 ms in all: alive only because each call extends the idle timeout
        expect((await call(org, 'GET', '/services/data/v65.0', { token: t.access_token })).status).to.equal(200);
      }
      await sleep(800);
      expect(org.isTokenActive(t.access_token)).to.equal(false);
      expect((await call(org, 'GET', '/services/oauth2/userinfo', { token: t.access_token })).status).to.equal(401);
      // Once expired it stays expired even if the timeout grows again.
      org.setSessionTimeout(7200);
      expect(org.isTokenActive(t.access_token)).to.equal(false);
    });

    it('expireAllTokens kills every token minted so far, not later ones', async () => {
      const a = await mint(org);
      org.expireAllTokens();
      expect(org.isTokenActive(a.access_token)).to.equal(false);
      const b = await mint(org);
      expect((await call(org, 'GET', '/services/oauth2/userinfo', { token: b.access_token })).status).to.equal(200);
      expect((await call(org, 'GET', '/services/oauth2/userinfo', { token: a.access_token })).status).to.equal(401);
    });

  });
});

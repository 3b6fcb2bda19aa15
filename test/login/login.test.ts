import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { loginWithClientCredentials } from '../../src/login/login.js';
import { EXPIRY_FIELD, LIFETIME_FIELD } from '../../src/sf/authFields.js';
import { FALLBACK_LIFETIME_MS } from '../../src/extension/renewalCheck.js';
import { DEFAULT_CLIENT, DEFAULT_USER, FakeOrg } from '../fake-org/server.js';
import { readAuthFile } from '../support/renewalFixture.js';
import { rejection } from '../support/rejection.js';
import { useTempHome } from '../support/tempHome.js';

const TIMEOUT_S = 900;

/** The whole login against the fake org, in a temporary HOME: its requests, what it stores, what it warns about. */
describe('loginWithClientCredentials', () => {
  const home = useTempHome({ SF_USE_GENERIC_UNIX_KEYCHAIN: 'true', SF_DISABLE_LOG_FILE: 'true' });
  let org: FakeOrg;

  beforeEach(async () => {
    org = await FakeOrg.start({ sessionTimeoutSeconds: TIMEOUT_S });
  });
  afterEach(async () => {
    await org.stop();
  });

  const login = (): ReturnType<typeof loginWithClientCredentials> =>
    loginWithClientCredentials({ loginUrl: org.url, clientId: DEFAULT_CLIENT.clientId, clientSecret: DEFAULT_CLIENT.clientSecret });
  const authPath = (): string => join(home(), '.sfdx', `${DEFAULT_USER.username}.json`);

  it('sends the token request, then userinfo, the Dev Hub check, the Organization query, the API versions and introspection', async () => {
    await login();
    const [first, ...then] = org.requests.map((request) => request.route);
    expect(first).to.equal('token');
    expect(then.sort()).to.deep.equal(['data', 'data', 'data', 'introspect', 'userinfo']);
    // The token goes with every request but the list of versions, which needs none.
    const withoutToken = org.requests.filter((request) => !request.authorized).map((request) => [request.path, request.authScheme]);
    expect(withoutToken).to.deep.equal([['/services/data', undefined]]);
  });

  it('stores the expiry the org gave at introspection, and the lifetime of its tokens', async () => {
    const { result } = await login();
    const stored = await readAuthFile(authPath());
    expect(stored[EXPIRY_FIELD]).to.equal(Date.parse(result.expiresAt));
    // The org's idle timeout, give or take the second introspection rounds to.
    expect(stored[LIFETIME_FIELD]).to.be.within(TIMEOUT_S * 1000 - 1000, TIMEOUT_S * 1000);
  });

  it('falls back to a lifetime guess, and stores no lifetime, when introspection fails', async () => {
    org.setFault('introspect', { kind: 'status', status: 503 });
    const before = Date.now();
    const { result } = await login();
    expect(Date.parse(result.expiresAt)).to.be.within(before + FALLBACK_LIFETIME_MS, Date.now() + FALLBACK_LIFETIME_MS);
    expect(await readAuthFile(authPath())).not.to.have.property(LIFETIME_FIELD);
  });

  it('warns, with what to change, when the app issues JWT-format tokens', async () => {
    org.setFault('token', { kind: 'jwtToken' });
    const { warnings } = await login();
    expect(warnings).to.have.length(1);
    const [warning] = warnings as Array<{ name: string; message: string; actions: string[] }>;
    expect(warning.name).to.equal('JwtToken');
    expect(warning.message).to.include('sf project deploy start');
    expect(warning.actions.join('\n')).to.include('Issue JSON Web Token (JWT)-based access tokens');
  });

  it('writes nothing when the org refuses the token it has just issued', async () => {
    org.setFault('userinfo', { kind: 'status', status: 401, body: '[{"errorCode":"INVALID_SESSION_ID"}]', contentType: 'application/json' });
    expect((await rejection(login())).name).to.equal('TokenRejectedError');
    expect(existsSync(join(home(), '.sfdx')), 'no ~/.sfdx').to.equal(false);
  });
});

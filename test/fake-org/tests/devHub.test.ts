/**
 * The fake org as a Dev Hub: scratch org signups (ScratchOrgInfo insert and polling), the queries
 * and the deletion sf sends, the External Client App that signup can't replicate (C-1016), and the
 * scratch org served at its own URL (authorization code and refresh token grants, REST, deploys).
 */
import { expect } from 'chai';
import { BUILT_IN_APP_ID, DEFAULT_CALLBACK_URL, FakeOrg, SIGNUP_INSTANCE } from '../server.js';
import { to18 } from '../wire/ids.js';
import { call, HELLO_ZIP, mint, soapEnvelope } from '../../support/orgClient.js';
import type { Res, TokenBody } from '../../support/orgClient.js';
import { exchange, insert, poll, SIGNUP } from './devHubSupport.js';
import type { RestErr, Rows, Soi } from './devHubSupport.js';

const HUB_USER = { userId: '005FK0000000001', username: 'ci-user@example.com' };
const CONNECTED_APP = { clientId: 'classic-app', clientSecret: 'classic-secret', runAsUsername: HUB_USER.username, callbackUrls: [DEFAULT_CALLBACK_URL] };
const EXTERNAL_APP = { clientId: 'eca-app', clientSecret: 'eca-secret', runAsUsername: HUB_USER.username, kind: 'externalClientApp' as const };

const soql = (org: FakeOrg, token: string, q: string, api = ''): Promise<Res> => call(org, 'GET', `/services/data/v65.0${api}/query?q=${encodeURIComponent(q)}`, { token });

describe('FakeOrg as a Dev Hub', () => {
  let hub: FakeOrg;
  let token: string;
  beforeEach(async () => {
    hub = await FakeOrg.start({ isDevHub: true, users: [HUB_USER], clients: [CONNECTED_APP, EXTERNAL_APP] });
    token = (await mint(hub, CONNECTED_APP.clientId, CONNECTED_APP.clientSecret)).access_token;
  });
  afterEach(async () => {
    await hub.stop();
  });

  /** Insert, then poll until the signup is done (the default: on the second poll). */
  const signUp = async (fields: Record<string, unknown> = SIGNUP): Promise<Soi[]> => {
    const { id } = (await insert(hub, token, fields)).json<{ id: string }>();
    return [await poll(hub, token, id), await poll(hub, token, id)];
  };

  it('signs a scratch org up: New, then Active on the second poll, with the fields sf reads', async () => {
    const before = Date.now();
    const created = await insert(hub, token);
    expect(created.status).to.equal(201);
    const { id, success, errors } = created.json<{ id: string; success: boolean; errors: unknown[] }>();
    expect(id).to.match(/^2SR\w{15}$/);
    expect({ success, errors }).to.deep.equal({ success: true, errors: [] });

    const first = await poll(hub, token, id);
    expect(first).to.include({ Id: id, Status: 'New', AuthCode: null, ScratchOrg: null, ErrorCode: null, ConnectedAppConsumerKey: BUILT_IN_APP_ID });
    expect(first.SignupUsername).to.match(/^test-[a-z0-9]{12}@example\.com$/);
    const active = await poll(hub, token, id);
    expect(active.Status).to.equal('Active');
    expect(hub.scratchOrgs).to.have.length(1);
    const [scratch] = hub.scratchOrgs;
    expect(active).to.include({
      LoginUrl: scratch.url, ScratchOrg: scratch.orgId.slice(0, 15), SignupInstance: SIGNUP_INSTANCE, SignupUsername: first.SignupUsername,
      Edition: 'Developer', OrgName: 'Demo', DurationDays: 7, Username: null, ConnectedAppCallbackUrl: DEFAULT_CALLBACK_URL,
      CreatedById: to18(HUB_USER.userId), OwnerId: to18(HUB_USER.userId),
    });
    expect(SIGNUP_INSTANCE.endsWith('S')).to.equal(true);
    expect(active.AuthCode).to.be.a('string').and.match(/^aPrx/);
    expect(active.ExpirationDate).to.equal(new Date(before + 7 * 86_400_000).toISOString().slice(0, 10));
    expect(active.CreatedDate).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    expect(active.attributes).to.deep.equal({ type: 'ScratchOrgInfo', url: `/services/data/v65.0/sobjects/ScratchOrgInfo/${id}` });
    expect((await poll(hub, token, id)).Status, 'stays Active').to.equal('Active');
    expect(hub.signups).to.deep.equal([{
      id, status: 'Active', errorCode: null, consumerKey: BUILT_IN_APP_ID, callbackUrl: DEFAULT_CALLBACK_URL, signupUsername: first.SignupUsername,
      scratchOrgId: scratch.orgId.slice(0, 15), loginUrl: scratch.url, polls: 2, request: SIGNUP,
    }]);
  });

  it('the scratch org answers at its own URL: the code exchange with sf\'s built-in app needs no secret and works once; then REST like any org', async () => {
    const [, active] = await signUp();
    const [scratch] = hub.scratchOrgs;
    const res = await exchange(scratch, { code: String(active.AuthCode), client_id: BUILT_IN_APP_ID });
    expect(res.status, res.text).to.equal(200);
    const body = res.json<TokenBody>();
    expect(Object.keys(body)).to.deep.equal(['access_token', 'refresh_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at']);
    expect(body.instance_url).to.equal(scratch.url);
    expect(body.id).to.match(new RegExp(`^${scratch.url}/id/${scratch.orgId}/005\\w{15}$`));
    expect(body.access_token.startsWith(`${scratch.orgId.slice(0, 15)}!`)).to.equal(true);
    expect(body.refresh_token).to.match(/^5Aep861/);
    expect(scratch.requests.at(-1)?.form).to.equal(`grant_type=authorization_code&redirect_uri=${encodeURIComponent(DEFAULT_CALLBACK_URL)}&code=REDACTED&client_id=${BUILT_IN_APP_ID}`);

    const again = await exchange(scratch, { code: String(active.AuthCode), client_id: BUILT_IN_APP_ID });
    expect([again.status, again.json()]).to.deep.equal([400, { error: 'invalid_grant', error_description: 'expired authorization code' }]);

    const t = body.access_token;
    const info = (await call(scratch, 'GET', '/services/oauth2/userinfo', { token: t })).json<Record<string, unknown>>();
    expect(info).to.include({ preferred_username: active.SignupUsername, organization_id: scratch.orgId });
    const user = (await call(scratch, 'GET', `/services/data/v51.0/sobjects/User/${String(info.user_id)}`, { token: t })).json<Record<string, unknown>>();
    expect(user.Username).to.equal(active.SignupUsername);
    const org = (await soql(scratch, t, 'SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization')).json<Rows>();
    expect(org.records[0]).to.include({ Name: 'Demo', InstanceName: SIGNUP_INSTANCE, IsSandbox: true, NamespacePrefix: null, OrganizationType: 'Developer Edition' });
    expect(org.records[0].TrialExpirationDate).to.be.a('string');
    const probe = await soql(scratch, t, 'SELECT Id FROM ScratchOrgInfo limit 1');
    expect([probe.status, probe.json<RestErr>()[0].errorCode], 'a scratch org is no Dev Hub').to.deep.equal([400, 'INVALID_TYPE']);
    expect((await soql(scratch, t, 'SELECT Id, Name FROM Account')).json<Rows>().totalSize).to.equal(0);
    expect((await call(hub, 'GET', '/services/data/v65.0', { token: t })).status, "the scratch org's token is not the hub's").to.equal(401);
  });

  it("the scratch org's refresh token outlives its sessions; wrong refresh tokens, apps and callbacks are refused", async () => {
    const [, active] = await signUp();
    const [scratch] = hub.scratchOrgs;
    const wrongCallback = await exchange(scratch, { code: String(active.AuthCode), client_id: BUILT_IN_APP_ID, redirect_uri: 'http://localhost:1717/Other' });
    expect(wrongCallback.json()).to.deep.equal({ error: 'redirect_uri_mismatch', error_description: 'redirect_uri must match configuration' });
    const otherApp = await exchange(scratch, { code: String(active.AuthCode), client_id: 'some-app' });
    expect(otherApp.json()).to.deep.equal({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
    const { refresh_token: refresh, access_token: first } = (await exchange(scratch, { code: String(active.AuthCode), client_id: BUILT_IN_APP_ID })).json<TokenBody>();

    hub.expireAllTokens({ scratchOrgs: true });
    expect((await call(scratch, 'GET', '/services/data/v65.0', { token: first })).status).to.equal(401);
    const renewed = await call(scratch, 'POST', '/services/oauth2/token', { form: { grant_type: 'refresh_token', refresh_token: String(refresh), client_id: BUILT_IN_APP_ID } });
    expect(renewed.status, renewed.text).to.equal(200);
    const body = renewed.json<TokenBody>();
    expect(body).to.not.have.property('refresh_token');
    expect(body.instance_url).to.equal(scratch.url);
    expect((await call(scratch, 'GET', '/services/data/v65.0', { token: body.access_token })).status).to.equal(200);
    const bad = await call(scratch, 'POST', '/services/oauth2/token', { form: { grant_type: 'refresh_token', refresh_token: '5Aep861nope', client_id: BUILT_IN_APP_ID } });
    expect(bad.json()).to.deep.equal({ error: 'invalid_grant', error_description: 'expired access/refresh token' });
    expect(hub.allIssuedTokens()).to.include.members([token, String(refresh), first, body.access_token]);
    expect(hub.allIssuedAuthCodes()).to.deep.equal([String(active.AuthCode)]);
  });

  it("a connected app of the Dev Hub as signup app is replicated into the scratch org: its exchange needs the app's secret and callback", async () => {
    const [, active] = await signUp({ ...SIGNUP, ConnectedAppConsumerKey: CONNECTED_APP.clientId });
    expect(active.Status).to.equal('Active');
    const [scratch] = hub.scratchOrgs;
    const code = String(active.AuthCode);
    expect((await exchange(scratch, { code, client_id: CONNECTED_APP.clientId })).json()).to.deep.equal({ error: 'invalid_client', error_description: 'invalid client credentials' });
    expect((await exchange(scratch, { code, client_id: CONNECTED_APP.clientId, client_secret: 'wrong' })).json().error).to.equal('invalid_client');
    expect((await exchange(scratch, { code, client_id: BUILT_IN_APP_ID })).json(), 'the code is for the signup app').to.deep.equal({ error: 'invalid_grant', error_description: 'expired authorization code' });
    const ok = await exchange(scratch, { code, client_id: CONNECTED_APP.clientId, client_secret: CONNECTED_APP.clientSecret });
    expect(ok.status, ok.text).to.equal(200);
    const cc = await call(scratch, 'POST', '/services/oauth2/token', { form: { grant_type: 'client_credentials', client_id: CONNECTED_APP.clientId, client_secret: CONNECTED_APP.clientSecret } });
    expect(cc.json(), "the hub's Run As user does not come along").to.deep.equal({ error: 'invalid_grant', error_description: 'no client credentials user enabled' });

    // A callback the app does not list.
    hub.setClient({ ...CONNECTED_APP, callbackUrls: ['https://ci.example.com/callback'] });
    const [, other] = await signUp({ ...SIGNUP, ConnectedAppConsumerKey: CONNECTED_APP.clientId });
    const mismatch = await exchange(hub.scratchOrgs[1], { code: String(other.AuthCode), client_id: CONNECTED_APP.clientId, client_secret: CONNECTED_APP.clientSecret });
    expect(mismatch.json()).to.deep.equal({ error: 'redirect_uri_mismatch', error_description: 'redirect_uri must match configuration' });
  });

  it('an External Client App as signup app fails the signup with C-1016, as does an app the Dev Hub does not have', async () => {
    for (const key of [EXTERNAL_APP.clientId, 'unknown-app']) {
      // eslint-disable-next-line no-await-in-loop
      const [first, done] = await signUp({ ...SIGNUP, ConnectedAppConsumerKey: key });
      expect(first.Status, key).to.equal('New');
      expect(done, key).to.include({ Status: 'Error', ErrorCode: 'C-1016', AuthCode: null, LoginUrl: null, ScratchOrg: null, ConnectedAppConsumerKey: key });
    }
    expect(hub.scratchOrgs, 'no scratch org was started').to.have.length(0);
    expect((await soql(hub, token, 'SELECT Id FROM ActiveScratchOrg')).json<Rows>().totalSize).to.equal(0);
    // The External Client App still serves the client credentials flow of the Dev Hub itself.
    expect((await mint(hub, EXTERNAL_APP.clientId, EXTERNAL_APP.clientSecret)).access_token).to.be.a('string');
  });

  it("answers sf org list's and sf org delete scratch's queries, and deletes an ActiveScratchOrg", async () => {
    const [, active] = await signUp();
    const [scratch] = hub.scratchOrgs;
    const scratchToken = (await exchange(scratch, { code: String(active.AuthCode), client_id: BUILT_IN_APP_ID })).json<TokenBody>();
    const orgId = String(active.ScratchOrg);
    const list = await soql(hub, token, `SELECT CreatedDate, Edition, Status, ExpirationDate, Namespace, OrgName, CreatedBy.Username, SignupUsername, LoginUrl, ScratchOrg FROM ScratchOrgInfo WHERE ScratchOrg IN ('${orgId}')`);
    const [row] = list.json<Rows>().records;
    expect(row).to.include({ Edition: 'Developer', Status: 'Active', OrgName: 'Demo', SignupUsername: active.SignupUsername, LoginUrl: scratch.url, ScratchOrg: orgId, Namespace: null });
    expect(row.CreatedBy).to.deep.equal({ attributes: { type: 'User', url: `/services/data/v65.0/sobjects/User/${String(active.CreatedById)}` }, Username: HUB_USER.username });
    expect((await soql(hub, token, "SELECT Id FROM ScratchOrgInfo WHERE ScratchOrg IN ('00D000000000001')")).json<Rows>().totalSize).to.equal(0);
    const check = (await soql(hub, token, `SELECT CreatedDate,Edition,ExpirationDate FROM ActiveScratchOrg WHERE ScratchOrg='${orgId}'`)).json<Rows>();
    expect(check.records[0]).to.include({ Edition: 'Developer', ExpirationDate: active.ExpirationDate });

    const found = (await soql(hub, token, `SELECT Id FROM ActiveScratchOrg WHERE SignupUsername='${String(active.SignupUsername)}'`)).json<Rows>();
    expect(found.totalSize).to.equal(1);
    const activeId = String(found.records[0].Id);
    expect(activeId).to.match(/^2AS\w{15}$/);
    const deleted = await call(hub, 'DELETE', `/services/data/v65.0/sobjects/ActiveScratchOrg/${activeId}`, { token });
    expect([deleted.status, deleted.text]).to.deep.equal([204, '']);
    expect((await poll(hub, token, active.Id)).Status).to.equal('Deleted');
    expect((await soql(hub, token, `SELECT Id FROM ActiveScratchOrg WHERE SignupUsername='${String(active.SignupUsername)}'`)).json<Rows>().totalSize).to.equal(0);
    const twice = await call(hub, 'DELETE', `/services/data/v65.0/sobjects/ActiveScratchOrg/${activeId}`, { token });
    expect([twice.status, twice.json<RestErr>()[0].errorCode]).to.deep.equal([404, 'ENTITY_IS_DELETED']);
    expect((await call(hub, 'DELETE', '/services/data/v65.0/sobjects/ActiveScratchOrg/2AS000000000000AAA', { token })).status).to.equal(404);
    // The deleted org's credentials are dead.
    expect((await call(scratch, 'GET', '/services/data/v65.0', { token: scratchToken.access_token })).status).to.equal(401);
    const refresh = await call(scratch, 'POST', '/services/oauth2/token', { form: { grant_type: 'refresh_token', refresh_token: String(scratchToken.refresh_token), client_id: BUILT_IN_APP_ID } });
    expect(refresh.json().error).to.equal('invalid_grant');
  });

  it('refuses what Salesforce refuses: no token or a dead one, unknown and read-only fields, a missing or bad edition; a non-hub has no ScratchOrgInfo', async () => {
    expect((await insert(hub, 'not-a-token')).status).to.equal(401);
    const unknown = await insert(hub, token, { ...SIGNUP, Colour: 'blue' });
    expect([unknown.status, unknown.json<RestErr>()[0]]).to.deep.equal([400, { message: "No such column 'Colour' on sobject of type ScratchOrgInfo", errorCode: 'INVALID_FIELD', fields: [] }]);
    expect((await insert(hub, token, { ...SIGNUP, Status: 'Active' })).json<RestErr>()[0]).to.include({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE' });
    const { Edition, ...noEdition } = SIGNUP;
    expect(Edition).to.equal('Developer');
    expect((await insert(hub, token, noEdition)).json<RestErr>()[0]).to.deep.equal({ message: 'Required fields are missing: [Edition]', errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Edition'] });
    expect((await insert(hub, token, { ...SIGNUP, Edition: 'Platinum' })).json<RestErr>()[0].errorCode).to.equal('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect((await insert(hub, token, { ...SIGNUP, Edition: 'enterprise', DurationDays: 31 })).json<RestErr>()[0].errorCode).to.equal('FIELD_INTEGRITY_EXCEPTION');
    expect((await call(hub, 'POST', '/services/data/v65.0/sobjects/ScratchOrgInfo', { token, body: '{', headers: { 'Content-Type': 'application/json' } })).status).to.equal(400);
    expect((await call(hub, 'GET', '/services/data/v65.0/sobjects/ScratchOrgInfo/2SR000000000000AAA', { token })).status).to.equal(404);
    expect(hub.signups).to.have.length(0);

    const { id } = (await insert(hub, token, { ...SIGNUP, Edition: 'partner developer', Username: 'Admin@Acme.Example' })).json<{ id: string }>();
    hub.expireAllTokens();
    expect((await call(hub, 'GET', `/services/data/v65.0/sobjects/ScratchOrgInfo/${id}`, { token })).status, 'the hub still needs a live token').to.equal(401);
    token = (await mint(hub, CONNECTED_APP.clientId, CONNECTED_APP.clientSecret)).access_token;
    expect(await poll(hub, token, id)).to.include({ Edition: 'Partner Developer', Username: 'admin@acme.example', SignupUsername: 'admin@acme.example' });

    const plain = await FakeOrg.start();
    try {
      const t = (await mint(plain)).access_token;
      const res = await insert(plain, t);
      expect([res.status, res.json<RestErr>()[0].errorCode]).to.deep.equal([404, 'NOT_FOUND']);
      expect((await soql(plain, t, 'SELECT Id FROM ActiveScratchOrg')).json<RestErr>()[0].errorCode).to.equal('INVALID_TYPE');
    } finally {
      await plain.stop();
    }
  });

  it('a scratch org tracks source: a deploy adds SourceMember records to its Tooling API; other orgs have none', async () => {
    const [, active] = await signUp();
    const [scratch] = hub.scratchOrgs;
    const t = (await exchange(scratch, { code: String(active.AuthCode), client_id: BUILT_IN_APP_ID })).json<TokenBody>().access_token;
    const members = 'SELECT MemberIdOrName, MemberType, MemberName, IsNameObsolete, RevisionCounter, IsNewMember, ChangedBy, LastModifiedDate FROM SourceMember WHERE RevisionCounter > 0';
    expect((await soql(scratch, t, members, '/tooling')).json<Rows>().totalSize).to.equal(0);
    const deploy = await call(scratch, 'POST', '/services/Soap/m/65.0', { body: soapEnvelope(t, `<deploy><ZipFile>${HELLO_ZIP.toString('base64')}</ZipFile><DeployOptions><checkOnly>false</checkOnly></DeployOptions></deploy>`), headers: { 'Content-Type': 'text/xml', SOAPAction: '""' } });
    expect(deploy.status).to.equal(200);
    const rows = (await soql(scratch, t, members, '/tooling')).json<Rows>();
    expect(rows.records).to.have.length(1);
    expect(rows.records[0]).to.include({ MemberType: 'ApexClass', MemberName: 'Hello', RevisionCounter: 1, IsNewMember: true, IsNameObsolete: false });
    expect(String((rows.records[0].attributes as { url: string }).url)).to.match(/^\/services\/data\/v65\.0\/tooling\/sobjects\/SourceMember\/0MZ/);
    expect((await soql(scratch, t, members.replace('> 0', '> 1'), '/tooling')).json<Rows>().totalSize).to.equal(0);
    expect((await soql(scratch, t, members.replace('> 0', '<= 1'), '/tooling')).json<Rows>().totalSize).to.equal(1);
    expect((await soql(hub, token, members, '/tooling')).json<RestErr>()[0].errorCode, 'the hub tracks nothing').to.equal('INVALID_TYPE');
  });
});

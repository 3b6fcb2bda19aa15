/** The fake org's REST surface: userinfo, the identity URL, the data API and SOQL, as @salesforce/core and sf call them. */
import { expect } from 'chai';
import { FakeOrg } from '../server.js';
import { call, mint } from '../../support/orgClient.js';

type Rows = { totalSize: number; done: boolean; records: Array<Record<string, unknown>> };
type RestErr = Array<{ message: string; errorCode: string }>;

describe('FakeOrg REST', () => {
  let org: FakeOrg;
  let token: string;
  before(async () => {
    org = await FakeOrg.start({ accounts: [{ Id: '001FK0000000001AAA', Name: 'Acme' }, { Id: '001FK0000000002AAA', Name: 'Globex' }, { Id: '001FK0000000003AAA', Name: 'Initech' }] });
    token = (await mint(org)).access_token;
  });
  after(async () => {
    await org.stop();
  });
  const get = (path: string): ReturnType<typeof call> => call(org, 'GET', path, { token });
  const soql = (q: string, extra = ''): ReturnType<typeof call> => get(`/services/data/v65.0/query?q=${encodeURIComponent(q)}${extra}`);

  it('userinfo and the identity URL describe the run-as user', async () => {
    const info = (await get('/services/oauth2/userinfo')).json<Record<string, unknown>>();
    expect(info).to.include({ organization_id: org.orgId, preferred_username: 'ci-user@example.com', email: 'ci-user@example.com' });
    expect(info.user_id).to.match(/^005\w{15}$/);
    expect((info.urls as Record<string, string>).rest).to.equal(`${org.url}/services/data/v{version}/`);
    const id = (await get(`/id/${org.orgId}/${String(info.user_id)}`)).json<Record<string, unknown>>();
    expect(id).to.include({ username: 'ci-user@example.com', user_id: info.user_id, organization_id: org.orgId, id: info.sub });
    const user = (await get(`/services/data/v51.0/sobjects/User/${String(info.user_id)}`)).json<Record<string, unknown>>();
    expect(user).to.include({ Id: info.user_id, Username: 'ci-user@example.com' });
    expect(user.attributes).to.deep.equal({ type: 'User', url: `/services/data/v51.0/sobjects/User/${String(info.user_id)}` });
  });

  it('lists versions (no auth) and the resource map, also behind a doubled slash', async () => {
    const versions = (await call(org, 'GET', '/services/data')).json<Array<{ version: string; url: string; label: string }>>();
    expect(versions.at(-1)).to.deep.equal({ label: "Winter '26", url: '/services/data/v65.0', version: '65.0' });
    const map = (await get('//services/data/v65.0')).json<Record<string, string>>();
    expect(map.sobjects).to.equal('/services/data/v65.0/sobjects');
    expect(map.identity).to.match(new RegExp(`/id/${org.orgId}/005`));
    expect((await get('/services/data/v66.0')).status).to.equal(404);
    const limits = (await get('/services/data/v65.0/limits')).json<Record<string, { Max: number; Remaining: number }>>();
    expect(limits.DailyApiRequests.Max).to.equal(15_000);
  });

  it('answers the ScratchOrgInfo probe with 400 INVALID_TYPE unless a Dev Hub', async () => {
    const res = await get('/services/data/v51.0/query?q=SELECT%20Id%20FROM%20ScratchOrgInfo%20limit%201');
    expect(res.status).to.equal(400);
    const [err] = res.json<RestErr>();
    expect(err.errorCode).to.equal('INVALID_TYPE');
    expect(err.message).to.include("sObject type 'ScratchOrgInfo' is not supported");
    expect(err.message).to.include('ERROR at Row:1:Column:16');
    const hub = await FakeOrg.start({ isDevHub: true });
    try {
      const t = (await mint(hub)).access_token;
      const ok = await call(hub, 'GET', '/services/data/v51.0/query?q=SELECT%20Id%20FROM%20ScratchOrgInfo%20limit%201', { token: t });
      expect(ok.json<Rows>()).to.deep.equal({ totalSize: 0, done: true, records: [] });
    } finally {
      await hub.stop();
    }
  });

  it('reads the Organization record', async () => {
    const rows = (await soql('SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization')).json<Rows>();
    expect(rows.totalSize).to.equal(1);
    expect(rows.records[0]).to.deep.include({ Name: 'Fake Org', InstanceName: 'FAKE1', IsSandbox: false, TrialExpirationDate: null, NamespacePrefix: null, OrganizationType: 'Developer Edition' });
  });

  it('reads the Organization record with the fields a test gives (a scratch org with a namespace)', async () => {
    const scratch = await FakeOrg.start({ organization: { IsSandbox: true, TrialExpirationDate: '2027-01-01', NamespacePrefix: 'acme' } });
    try {
      const t = (await mint(scratch)).access_token;
      const res = await call(scratch, 'GET', `/services/data/v65.0/query?q=${encodeURIComponent('SELECT Name, IsSandbox, TrialExpirationDate, NamespacePrefix FROM Organization')}`, { token: t });
      expect(res.json<Rows>().records[0]).to.deep.include({ Name: 'Fake Org', IsSandbox: true, TrialExpirationDate: '2027-01-01', NamespacePrefix: 'acme' });
    } finally {
      await scratch.stop();
    }
  });

  it('queries accounts, with WHERE/ORDER BY/LIMIT, and the columns=true variant sf data query needs', async () => {
    const rows = (await soql('SELECT Id, Name FROM Account')).json<Rows>();
    expect(rows.records.map((r) => r.Name)).to.deep.equal(['Acme', 'Globex', 'Initech']);
    expect(Object.keys(rows.records[0])).to.deep.equal(['attributes', 'Id', 'Name']);
    const filtered = (await soql("select name from account where Name != 'Acme' order by Name desc limit 1")).json<Rows>();
    expect(filtered.records.map((r) => r.Name)).to.deep.equal(['Initech']);
    expect(filtered.totalSize).to.equal(1);
    const cols = (await soql('SELECT Id, Name FROM Account', '&columns=true')).json<{ columnMetadata: Array<Record<string, unknown>>; entityName: string }>();
    expect(cols.entityName).to.equal('Account');
    expect(cols.columnMetadata.map((c) => c.columnName)).to.deep.equal(['Id', 'Name']);
    expect(cols.columnMetadata[1]).to.include({ aggregate: false, apexType: 'String', displayName: 'Name' });
    expect(cols.columnMetadata[1].joinColumns).to.deep.equal([]);
  });

  it('rejects bad SOQL like Salesforce', async () => {
    const checks: Array<[string, string]> = [
      ['SELECT Id FROM Nope__c', 'INVALID_TYPE'],
      ['SELECT Id, Bogus FROM Account', 'INVALID_FIELD'],
      ['SELEC Id FROM Account', 'MALFORMED_QUERY'],
      ['SELECT Id FROM Account WHERE', 'MALFORMED_QUERY'],
    ];
    for (const [q, code] of checks) {
      const res = await soql(q);
      expect(res.status, q).to.equal(400);
      expect(res.json<RestErr>()[0].errorCode, q).to.equal(code);
    }
  });

  it('404s unknown paths and 401s missing or bad tokens', async () => {
    const nf = await get('/services/data/v65.0/nothing-here');
    expect(nf.status).to.equal(404);
    expect(nf.json()).to.deep.equal([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    expect((await call(org, 'GET', '/no/such/thing')).status).to.equal(404);
    for (const t of [undefined, 'garbage']) {
      const res = await call(org, 'GET', '/services/data/v65.0/query?q=SELECT+Id+FROM+Account', { token: t });
      expect(res.status).to.equal(401);
      expect(res.json<RestErr>()[0].errorCode).to.equal('INVALID_SESSION_ID');
    }
  });
});

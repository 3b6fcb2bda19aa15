import { expect } from 'chai';
import {
  describeOrg,
  fetchApiVersion,
  fetchIsDevHub,
  fetchOrganization,
  fetchUserInfo,
  LOOKUP_API_VERSION,
} from '../../src/login/orgInfo.js';
import { DEFAULT_USER, FakeOrg, type RequestRecord } from '../fake-org/server.js';
import { mint } from '../support/orgClient.js';
import { rejection } from '../support/rejection.js';

const FAST = { backoffMs: 1, timeoutMs: 2000 };

/** The SOQL of a logged query request. */
const soqlOf = (request: RequestRecord): string => new URLSearchParams(request.query).get('q') ?? '';

describe('orgInfo', () => {
  // A Developer Edition org that is not a Dev Hub (the ScratchOrgInfo query fails), and a Dev Hub.
  let org: FakeOrg;
  let hub: FakeOrg;
  let token: string;
  let hubToken: string;

  before(async () => {
    [org, hub] = await Promise.all([FakeOrg.start(), FakeOrg.start({ isDevHub: true })]);
    [token, hubToken] = (await Promise.all([mint(org), mint(hub)])).map((minted) => minted.access_token);
  });
  beforeEach(() => {
    org.resetRequests();
    hub.resetRequests();
  });
  afterEach(() => org.clearFaults());
  after(async () => {
    await Promise.all([org.stop(), hub.stop()]);
  });

  /** A fake org with this Organization record, for one test. */
  const withOrganization = async <T>(fields: Parameters<typeof FakeOrg.start>[0], fn: (url: string, token: string) => Promise<T>): Promise<T> => {
    const other = await FakeOrg.start(fields);
    try {
      return await fn(other.url, (await mint(other)).access_token);
    } finally {
      await other.stop();
    }
  };

  describe('fetchUserInfo', () => {
    it('reads username, org ID and user ID, sending the token as Bearer', async () => {
      expect(await fetchUserInfo(org.url, token, FAST)).to.deep.equal({
        username: DEFAULT_USER.username,
        orgId: org.orgId,
        userId: DEFAULT_USER.userId,
      });
      expect(org.requests.map(({ method, path, authScheme, authorized }) => ({ method, path, authScheme, authorized }))).to.deep.equal([
        { method: 'GET', path: '/services/oauth2/userinfo', authScheme: 'Bearer', authorized: true },
      ]);
    });

    it('turns a 401 into TokenRejectedError with the error code', async () => {
      const refused = '00DXX0000000001!AQ4AQNotATokenOfThisOrg';
      const error = await rejection(fetchUserInfo(org.url, refused, FAST));
      expect(error.name).to.equal('TokenRejectedError');
      expect(error.message).to.include(`(${new URL(org.url).host} answered HTTP 401: INVALID_SESSION_ID)`);
      expect(error.actions?.[0]).to.include('API Enabled');
      expect(error.message).not.to.include(refused);
    });

    it('names the OAuth error code of a 403', async () => {
      org.setFault('userinfo', { kind: 'oauthError', error: 'insufficient_scope', description: 'scope', status: 403 });
      const error = await rejection(fetchUserInfo(org.url, token, FAST));
      expect(error.name).to.equal('TokenRejectedError');
      expect(error.message).to.match(/answered HTTP 403: insufficient_scope\)/);
    });

    it('shows the status alone when the refusal is not JSON', async () => {
      org.setFault('userinfo', { kind: 'status', status: 401, body: 'Bad_OAuth_Token' });
      const error = await rejection(fetchUserInfo(org.url, token, FAST));
      expect(error.name).to.equal('TokenRejectedError');
      expect(error.message).to.match(/answered HTTP 401\)/);
    });

    for (const field of ['preferred_username', 'organization_id', 'user_id']) {
      it(`reports an answer without ${field}`, async () => {
        org.setFault('userinfo', { kind: 'omitField', field });
        const error = await rejection(fetchUserInfo(org.url, token, FAST));
        expect(error.name).to.equal('UserInfoUnreadableError');
        expect(error.message).to.include('HTTP 200');
      });
    }

    it('reports a 200 that is not JSON', async () => {
      org.setFault('userinfo', { kind: 'html', status: 200 });
      expect((await rejection(fetchUserInfo(org.url, token, FAST))).name).to.equal('UserInfoUnreadableError');
    });
  });

  describe('fetchIsDevHub', () => {
    it('is true when the org can query ScratchOrgInfo', async () => {
      expect(await fetchIsDevHub(hub.url, hubToken, FAST)).to.equal(true);
      const [request] = hub.requests;
      expect(request).to.include({ method: 'GET', path: `/services/data/${LOOKUP_API_VERSION}/query`, authScheme: 'Bearer', authorized: true });
      expect(soqlOf(request)).to.equal('SELECT Id FROM ScratchOrgInfo limit 1');
    });

    it('is false when the org answers INVALID_TYPE', async () => {
      expect(await fetchIsDevHub(org.url, token, FAST)).to.equal(false);
      expect(org.requests.map((request) => request.status)).to.deep.equal([400]);
    });

    it('is false, after a single try, when the org fails', async () => {
      org.setFault('data', { kind: 'status', status: 503 });
      expect(await fetchIsDevHub(org.url, token, FAST)).to.equal(false);
      expect(org.requests).to.have.length(1);
    });
  });

  describe('fetchOrganization', () => {
    it('maps the Organization fields', async () => {
      expect(await fetchOrganization(org.url, token, FAST)).to.deep.equal({
        name: 'Fake Org',
        instanceName: 'FAKE1',
        namespacePrefix: null,
        isSandbox: false,
        isScratch: false,
        trailExpirationDate: null,
        orgEdition: 'Developer Edition',
      });
      expect(soqlOf(org.requests[0])).to.equal(
        'SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization'
      );
    });

    it('tells a sandbox from a scratch org, and keeps the namespace', async () => {
      const organization = await withOrganization({ organization: { IsSandbox: true, NamespacePrefix: 'acme' } }, (url, own) =>
        fetchOrganization(url, own, FAST)
      );
      expect(organization).to.include({ isSandbox: true, isScratch: false, namespacePrefix: 'acme' });
    });

    it('marks a sandbox with a trial expiration date as a scratch org', async () => {
      const organization = await withOrganization({ organization: { IsSandbox: true, TrialExpirationDate: '2027-01-01' } }, (url, own) =>
        fetchOrganization(url, own, FAST)
      );
      expect(organization).to.include({ isSandbox: false, isScratch: true, trailExpirationDate: '2027-01-01' });
    });

    it('is undefined when the query fails, has no record or is not JSON', async () => {
      org.setFault('data', { kind: 'status', status: 500, body: '{}', contentType: 'application/json' }, 1);
      org.setFault('data', { kind: 'status', status: 200, body: '{"records":[]}', contentType: 'application/json' }, 1);
      org.setFault('data', { kind: 'invalidJson' }, 1);
      for (let answer = 0; answer < 3; answer++) {
        expect(await fetchOrganization(org.url, token, FAST), `answer ${answer}`).to.equal(undefined);
      }
      expect(org.requests.map((request) => request.status)).to.deep.equal([500, 200, 200]);
    });
  });

  describe('fetchApiVersion', () => {
    const answer = (body: string, status = 200): void =>
      org.setFault('data', { kind: 'status', status, body, contentType: 'application/json' }, 1);

    it("gives the org's latest API version from the list of versions, asked without the token", async () => {
      const other = await FakeOrg.start({ apiVersion: '66.0' });
      try {
        expect(await fetchApiVersion(other.url, FAST)).to.equal('66.0');
        expect(other.requests.map((request) => [request.path, request.authScheme])).to.deep.equal([['/services/data', undefined]]);
      } finally {
        await other.stop();
      }
    });

    it('takes the highest version by number, and only versions that core accepts in an auth file', async () => {
      answer(JSON.stringify([{ version: '9.0' }, { version: '100.0' }, { version: '59.0' }, { version: '64.0' }, { version: '65.1' }, {}, null]));
      expect(await fetchApiVersion(org.url, FAST)).to.equal('64.0');
    });

    it('is undefined when the org fails, answers something else, or lists nothing usable, after a single try', async () => {
      answer('[{"version":"65.0"}]', 500);
      answer('{"version":"65.0"}');
      answer('[{"version":"sixty"}]');
      answer('not json');
      for (let attempt = 0; attempt < 4; attempt++) {
        expect(await fetchApiVersion(org.url, FAST), `answer ${attempt}`).to.equal(undefined);
      }
      expect(org.requests).to.have.length(4);
    });
  });

  describe('describeOrg', () => {
    it('combines userinfo, the Dev Hub check, the Organization record and the API version', async () => {
      const described = await describeOrg(hub.url, hubToken, FAST);
      expect(described).to.deep.include({ username: DEFAULT_USER.username, orgId: hub.orgId, userId: DEFAULT_USER.userId, isDevHub: true });
      expect(described.organization?.name).to.equal('Fake Org');
      expect(described.apiVersion).to.equal('65.0');
      expect(hub.requests.map((request) => request.route)).to.have.members(['userinfo', 'data', 'data', 'data']);
    });

    it('reports a non-Dev Hub org', async () => {
      expect((await describeOrg(org.url, token, FAST)).isDevHub).to.equal(false);
    });

    it('fails when userinfo refuses the token', async () => {
      org.setFault('userinfo', { kind: 'status', status: 401, body: '[{"errorCode":"INVALID_SESSION_ID"}]', contentType: 'application/json' });
      expect((await rejection(describeOrg(org.url, token, FAST))).name).to.equal('TokenRejectedError');
    });
  });
});

import { expect } from 'chai';
import {
  describeOrg,
  fetchIsDevHub,
  fetchOrganization,
  fetchUserInfo,
  LOOKUP_API_VERSION,
} from '../../src/login/orgInfo.js';
import { sendJson, startServer, type Handler, type LocalServer, type RecordedRequest } from '../support/localServer.js';
import { rejection } from '../support/rejection.js';

const TOKEN = '00DXX0000000001!AQ4AQOrgInfoToken';
const FAST = { backoffMs: 1, timeoutMs: 2000 };
const USERINFO = {
  user_id: '005XX000001abcdEAA',
  organization_id: '00DXX0000000001EAA',
  preferred_username: 'runas@acme.com',
  email: 'runas@acme.com',
  urls: { rest: 'https://acme.my.salesforce.com/services/data/v{version}/' },
};
const ORGANIZATION = {
  totalSize: 1,
  done: true,
  records: [
    {
      attributes: { type: 'Organization' },
      Name: 'Acme',
      InstanceName: 'NA123',
      IsSandbox: false,
      TrialExpirationDate: null,
      NamespacePrefix: null,
      OrganizationType: 'Developer Edition',
    },
  ],
};

const soqlOf = (request: RecordedRequest): string => new URL(request.url, 'http://x').searchParams.get('q') ?? '';

describe('orgInfo', () => {
  let server: LocalServer | undefined;
  const serve = async (handler: Handler): Promise<LocalServer> => {
    server = await startServer(handler);
    return server;
  };
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  describe('fetchUserInfo', () => {
    it('reads username, org ID and user ID, sending the token as Bearer', async () => {
      const { url, requests } = await serve((_req, res) => sendJson(res, 200, USERINFO));
      expect(await fetchUserInfo(url, TOKEN, FAST)).to.deep.equal({
        username: 'runas@acme.com',
        orgId: '00DXX0000000001EAA',
        userId: '005XX000001abcdEAA',
      });
      expect(requests[0].method).to.equal('GET');
      expect(requests[0].url).to.equal('/services/oauth2/userinfo');
      expect(requests[0].headers.authorization).to.equal(`Bearer ${TOKEN}`);
    });

    it('turns a 401 into TokenRejectedError with the error code', async () => {
      const { url, port } = await serve((_req, res) =>
        sendJson(res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }])
      );
      const error = await rejection(fetchUserInfo(url, TOKEN, FAST));
      expect(error.name).to.equal('TokenRejectedError');
      expect(error.message).to.include(`(127.0.0.1:${port} answered HTTP 401: INVALID_SESSION_ID)`);
      expect(error.actions?.[0]).to.include('API Enabled');
      expect(error.message).not.to.include(TOKEN);
    });

    it('names the OAuth error code of a 403', async () => {
      const { url } = await serve((_req, res) => sendJson(res, 403, { error: 'insufficient_scope' }));
      const error = await rejection(fetchUserInfo(url, TOKEN, FAST));
      expect(error.name).to.equal('TokenRejectedError');
      expect(error.message).to.match(/answered HTTP 403: insufficient_scope\)/);
    });

    it('shows the status alone when the refusal is not JSON', async () => {
      const { url } = await serve((_req, res) => res.writeHead(401).end('Bad_OAuth_Token'));
      const error = await rejection(fetchUserInfo(url, TOKEN, FAST));
      expect(error.name).to.equal('TokenRejectedError');
      expect(error.message).to.match(/answered HTTP 401\)/);
    });

    it('reports an answer without username or org ID', async () => {
      const { url } = await serve((_req, res) => sendJson(res, 200, { user_id: '005XX000001abcdEAA' }));
      const error = await rejection(fetchUserInfo(url, TOKEN, FAST));
      expect(error.name).to.equal('UserInfoUnreadableError');
      expect(error.message).to.include('HTTP 200');
    });

    it('reports a 200 that is not JSON', async () => {
      const { url } = await serve((_req, res) => res.writeHead(200).end('<html></html>'));
      expect((await rejection(fetchUserInfo(url, TOKEN, FAST))).name).to.equal('UserInfoUnreadableError');
    });
  });

  describe('fetchIsDevHub', () => {
    it('is true when the org can query ScratchOrgInfo', async () => {
      const { url, requests } = await serve((_req, res) => sendJson(res, 200, { totalSize: 0, done: true, records: [] }));
      expect(await fetchIsDevHub(url, TOKEN, FAST)).to.equal(true);
      expect(requests[0].url).to.match(new RegExp(`^/services/data/${LOOKUP_API_VERSION}/query\\?q=`));
      expect(soqlOf(requests[0])).to.equal('SELECT Id FROM ScratchOrgInfo limit 1');
      expect(requests[0].headers.authorization).to.equal(`Bearer ${TOKEN}`);
    });

    it('is false when the org answers INVALID_TYPE', async () => {
      const { url } = await serve((_req, res) =>
        sendJson(res, 400, [{ message: "sObject type 'ScratchOrgInfo' is not supported.", errorCode: 'INVALID_TYPE' }])
      );
      expect(await fetchIsDevHub(url, TOKEN, FAST)).to.equal(false);
    });

    it('is false, after a single try, when the org fails', async () => {
      const { url, requests } = await serve((_req, res) => sendJson(res, 503, {}));
      expect(await fetchIsDevHub(url, TOKEN, FAST)).to.equal(false);
      expect(requests).to.have.length(1);
    });
  });

  describe('fetchOrganization', () => {
    it('maps the Organization fields', async () => {
      const { url, requests } = await serve((_req, res) => sendJson(res, 200, ORGANIZATION));
      expect(await fetchOrganization(url, TOKEN, FAST)).to.deep.equal({
        name: 'Acme',
        instanceName: 'NA123',
        namespacePrefix: null,
        isSandbox: false,
        isScratch: false,
        trailExpirationDate: null,
        orgEdition: 'Developer Edition',
      });
      expect(soqlOf(requests[0])).to.match(/^SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization$/);
    });

    it('tells a sandbox from a scratch org, and keeps the namespace', async () => {
      const record = { ...ORGANIZATION.records[0], IsSandbox: true, NamespacePrefix: 'acme' };
      const { url } = await serve((_req, res) => sendJson(res, 200, { records: [record] }));
      expect(await fetchOrganization(url, TOKEN, FAST)).to.include({ isSandbox: true, isScratch: false, namespacePrefix: 'acme' });
    });

    it('marks a sandbox with a trial expiration date as a scratch org', async () => {
      const record = { ...ORGANIZATION.records[0], IsSandbox: true, TrialExpirationDate: '2027-01-01' };
      const { url } = await serve((_req, res) => sendJson(res, 200, { records: [record] }));
      expect(await fetchOrganization(url, TOKEN, FAST)).to.include({
        isSandbox: false,
        isScratch: true,
        trailExpirationDate: '2027-01-01',
      });
    });

    it('is undefined when the query fails, has no record or is not JSON', async () => {
      const answers: Array<[number, string]> = [
        [500, '{}'],
        [200, '{"records":[]}'],
        [200, 'not json'],
      ];
      for (const [status, body] of answers) {
        // eslint-disable-next-line no-await-in-loop
        const { url } = await serve((_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(body));
        // eslint-disable-next-line no-await-in-loop
        expect(await fetchOrganization(url, TOKEN, FAST)).to.equal(undefined);
        // eslint-disable-next-line no-await-in-loop
        await server?.close();
      }
    });
  });

  describe('describeOrg', () => {
    const fakeOrg =
      (devHub: boolean): Handler =>
      (req, res) => {
        if (req.url === '/services/oauth2/userinfo') return sendJson(res, 200, USERINFO);
        const soql = soqlOf(req);
        if (soql.includes('ScratchOrgInfo')) {
          return devHub ? sendJson(res, 200, { records: [] }) : sendJson(res, 400, [{ errorCode: 'INVALID_TYPE' }]);
        }
        if (soql.includes('FROM Organization')) return sendJson(res, 200, ORGANIZATION);
        sendJson(res, 404, [{ errorCode: 'NOT_FOUND' }]);
      };

    it('combines userinfo, the Dev Hub check and the Organization record', async () => {
      const { url, requests } = await serve(fakeOrg(true));
      const org = await describeOrg(url, TOKEN, FAST);
      expect(org).to.deep.include({ username: 'runas@acme.com', orgId: '00DXX0000000001EAA', isDevHub: true });
      expect(org.organization?.name).to.equal('Acme');
      expect(requests).to.have.length(3);
    });

    it('reports a non-Dev Hub org', async () => {
      const { url } = await serve(fakeOrg(false));
      expect((await describeOrg(url, TOKEN, FAST)).isDevHub).to.equal(false);
    });

    it('fails when userinfo refuses the token', async () => {
      const { url } = await serve((req, res) =>
        req.url === '/services/oauth2/userinfo' ? sendJson(res, 401, [{ errorCode: 'INVALID_SESSION_ID' }]) : fakeOrg(true)(req, res)
      );
      expect((await rejection(describeOrg(url, TOKEN, FAST))).name).to.equal('TokenRejectedError');
    });
  });
});

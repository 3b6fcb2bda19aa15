import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { StateAggregator } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
// jsforce's transport, the one the plugin and sf send requests through; its dispatcher can be replaced.
import { setDispatcher } from '@jsforce/jsforce-node/lib/request.js';
import { MockAgent } from 'undici';
import LoginClientCredentials from '../../../../src/commands/org/login/client-credentials.js';

const SECRET = 'LightningSecret-0123456789';
const API_HOST = 'https://acme.my.salesforce.com';
const ORG_ID = '00DXX0000000001EAA';
const USER_ID = '005XX000001abcdEAA';
const IDENTITY = `https://login.salesforce.com/id/${ORG_ID}/${USER_ID}`;
const ISSUED_AT = '1700000000000';

/**
 * A Lightning URL pasted from the browser is turned into the org's API host, and the login then
 * works against that host. No test can reach a real *.my.salesforce.com, so jsforce's transport is
 * given undici's MockAgent, which answers for acme.my.salesforce.com and refuses every other host.
 */
describe('org login client-credentials with a Lightning URL', () => {
  const $$ = new TestContext();
  const originalHome = process.env.HOME;
  const originalSecret = process.env.SALESFORCE_CLIENT_SECRET;
  let agent: MockAgent;
  let home: string;
  let ux: ReturnType<typeof stubSfCommandUx>;

  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'cc-lightning-'));
    process.env.HOME = home;
    process.env.SALESFORCE_CLIENT_SECRET = SECRET;
    agent = new MockAgent();
    agent.disableNetConnect();
    setDispatcher(agent);
    const org = agent.get(API_HOST);
    org
      .intercept({ path: '/services/oauth2/token', method: 'POST' })
      .reply(200, {
        access_token: `${ORG_ID.slice(0, 15)}!AQ4AQLightningToken`,
        signature: createHmac('sha256', SECRET).update(IDENTITY + ISSUED_AT).digest('base64'),
        instance_url: API_HOST,
        id: IDENTITY,
        token_type: 'Bearer',
        issued_at: ISSUED_AT,
      });
    org
      .intercept({ path: '/services/oauth2/userinfo', method: 'GET' })
      .reply(200, { user_id: USER_ID, organization_id: ORG_ID, preferred_username: 'runas@acme.com' });
    org.intercept({ path: '/services/oauth2/introspect', method: 'POST' }).reply(200, { active: true, exp: 1_700_007_200 });
    org
      .intercept({ path: (path: string) => path.startsWith('/services/data/v51.0/query'), method: 'GET' })
      .reply(400, [{ errorCode: 'INVALID_TYPE', message: 'sObject type is not supported' }])
      .times(2);
    ux = stubSfCommandUx($$.SANDBOX);
  });

  afterEach(async () => {
    setDispatcher();
    await agent.close();
    StateAggregator.clearInstance();
    process.env.HOME = originalHome;
    if (originalSecret === undefined) delete process.env.SALESFORCE_CLIENT_SECRET;
    else process.env.SALESFORCE_CLIENT_SECRET = originalSecret;
    await rm(home, { recursive: true, force: true });
  });

  for (const lightning of [
    'https://acme.lightning.force.com/lightning/page/home',
    'acme.lightning.force.com/lightning/setup/SetupOneHome/home',
  ]) {
    it(`logs in to ${API_HOST} when given ${lightning}, and says so`, async () => {
      const result = await LoginClientCredentials.run(['--client-id', '3MVG9Lightning', '--instance-url', lightning]);
      expect(result).to.include({ username: 'runas@acme.com', orgId: ORG_ID, instanceUrl: API_HOST, loginUrl: API_HOST });
      expect(ux.info.args.flat().join('\n')).to.include(`is a Lightning Experience host; using its API host ${API_HOST}`);
      agent.assertNoPendingInterceptors();
    });
  }
});

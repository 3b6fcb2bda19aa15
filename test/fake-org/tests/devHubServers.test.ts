/** The fake org as a Dev Hub, as servers: an https hub and its scratch orgs, the admin API of signups, and stop(). */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { BUILT_IN_APP_ID, FakeOrg } from '../server.js';
import { call, mint } from '../../support/orgClient.js';
import type { TokenBody } from '../../support/orgClient.js';
import { exchange, insert, jsonBody, poll } from './devHubSupport.js';

describe('FakeOrg as a Dev Hub: its servers', () => {
  it('an https Dev Hub serves its scratch orgs over https with the same CA (one NODE_EXTRA_CA_CERTS for sf)', async () => {
    const secure = await FakeOrg.start({ isDevHub: true, https: true });
    try {
      const t = (await mint(secure)).access_token;
      const { id } = (await insert(secure, t)).json<{ id: string }>();
      expect((await poll(secure, t, id)).Status).to.equal('New');
      const active = await poll(secure, t, id);
      expect(active.Status).to.equal('Active');
      const [scratch] = secure.scratchOrgs;
      expect(scratch.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(active.LoginUrl).to.equal(scratch.url);
      expect(scratch.caCertPath).to.equal(secure.caCertPath);
      const res = await exchange(scratch, { code: String(active.AuthCode), client_id: BUILT_IN_APP_ID });
      expect(res.status, res.text).to.equal(200);
    } finally {
      await secure.stop();
    }
  });

  it('scratchOrgPolls, the admin API (signups, polls, issued secrets, expire-all with the scratch orgs) and stop()', async () => {
    const quick = await FakeOrg.start({ isDevHub: true, scratchOrgPolls: 1 });
    let scratchUrl = '';
    try {
      const t = (await mint(quick)).access_token;
      const { id } = (await insert(quick, t)).json<{ id: string }>();
      // The scratch org's server starts at signup; give it a moment before the first (and deciding) poll.
      await sleep(50);
      const active = await poll(quick, t, id);
      expect(active.Status).to.equal('Active');
      scratchUrl = quick.scratchOrgs[0].url;
      const signups = (await call(quick, 'GET', '/__fake/signups')).json<Array<{ id: string; status: string; request: unknown }>>();
      expect(signups.map((s) => [s.id, s.status])).to.deep.equal([[id, 'Active']]);
      expect(JSON.stringify(signups)).to.not.include(String(active.AuthCode));
      const secrets = (await call(quick, 'GET', '/__fake/issued-secrets')).json<{ tokens: string[]; authCodes: string[] }>();
      expect(secrets).to.deep.equal({ tokens: [t], authCodes: [String(active.AuthCode)] });
      expect((await call(quick, 'POST', '/__fake/scratch-org-polls?count=0')).status).to.equal(400);
      expect((await call(quick, 'POST', '/__fake/scratch-org-polls?count=3')).json()).to.deep.equal({ ok: true, scratchOrgPolls: 3 });
      const scratchToken = (await exchange(quick.scratchOrgs[0], { code: String(active.AuthCode), client_id: BUILT_IN_APP_ID })).json<TokenBody>().access_token;
      expect((await call(quick, 'POST', '/__fake/expire-all?scratchOrgs=true')).status).to.equal(200);
      expect(quick.isTokenActive(t)).to.equal(false);
      expect(quick.scratchOrgs[0].isTokenActive(scratchToken)).to.equal(false);
      expect((await call(quick, 'POST', '/__fake/client', jsonBody({ clientId: 'x', clientSecret: 'y', kind: 'other' }))).status).to.equal(400);
    } finally {
      await quick.stop();
    }
    let refused = '';
    await call({ url: scratchUrl, caCertPath: undefined }, 'GET', '/services/data').catch((e: Error) => {
      refused = e.message;
    });
    expect(refused, "the hub's stop() stops its scratch orgs").to.match(/ECONNREFUSED/);
  });
});

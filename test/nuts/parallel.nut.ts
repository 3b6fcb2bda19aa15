import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { FakeOrg } from '../fake-org/server.js';
import { randomId } from '../fake-org/wire/ids.js';
import { SfSandbox, type SfResult } from '../support/sfSandbox.js';

const ORGS = 5;
const LOGINS_PER_ORG = 4;
const ROUNDS = 3;

type OrgUnderTest = { org: FakeOrg; clientId: string; secret: string; username: string };

const summary = (result: SfResult): string => `exit ${result.code}\n${result.stdout}\n${result.stderr}`.slice(0, 4000);

/**
 * Parallel CI jobs on one machine: 20 `sf org login client-credentials` processes at once (5 orgs,
 * 4 logins each, every login with its own alias) on a fresh HOME, three times. Every auth file
 * must stay decryptable, every alias must point at its org's username, and nothing may be lost.
 * The sf stack, @salesforce/core 9.4, writes alias.json non-atomically and creates the encryption key without a
 * lock, which this plugin works around (atomic writes under core's locks, a lock around the key).
 * sf's start-up spreads the processes out, so collisions are rare here; registrationRace.nut.ts
 * makes processes collide on purpose.
 */
describe('parallel logins, end to end', function () {
  this.timeout(600_000);
  const orgs: OrgUnderTest[] = [];

  before(async () => {
    for (let n = 0; n < ORGS; n++) {
      const username = `runas-${n}@org${n}.example.com`;
      const clientId = `3MVG9parallel.client.${n}`;
      const secret = `ParallelSecret-${n}-${randomId('0Ax')}`;
      // eslint-disable-next-line no-await-in-loop
      const org = await FakeOrg.start({
        orgId: randomId('00D'),
        users: [{ userId: randomId('005'), username }],
        clients: [{ clientId, clientSecret: secret, runAsUsername: username }],
      });
      orgs.push({ org, clientId, secret, username });
    }
  });

  after(async () => {
    await Promise.all(orgs.map(({ org }) => org.stop()));
  });

  for (let round = 1; round <= ROUNDS; round++) {
    it(`round ${round}: ${ORGS * LOGINS_PER_ORG} logins in parallel processes leave every auth and alias intact`, async () => {
      const sf = await SfSandbox.create();
      try {
        const jobs = orgs.flatMap((target, n) =>
          Array.from({ length: LOGINS_PER_ORG }, (_unused, k) => ({ target, alias: `org${n}-job${k}` }))
        );
        const logins = await Promise.all(
          jobs.map(({ target, alias }) =>
            sf.run(
              ['org', 'login', 'client-credentials', '--client-id', target.clientId, '--instance-url', target.org.url, '--alias', alias, '--json'],
              { env: { SALESFORCE_CLIENT_SECRET: target.secret } }
            )
          )
        );
        logins.forEach((result, index) => {
          expect(result.code, `login ${jobs[index].alias}: ${summary(result)}`).to.equal(0);
          expect(result.json?.result).to.include({ username: jobs[index].target.username, alias: jobs[index].alias });
        });

        // Every alias points at the username of its org.
        const expectedAliases = Object.fromEntries(jobs.map(({ target, alias }) => [alias, target.username]));
        expect(await sf.readAliases()).to.deep.equal(expectedAliases);

        // No temporary file or lock folder is left behind.
        const sfdx = await readdir(join(sf.home, '.sfdx'));
        expect(sfdx.filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'))).to.deep.equal([]);
        expect(sfdx.filter((name) => name.endsWith('.json')).sort()).to.deep.equal(
          ['alias.json', 'key.json', ...orgs.map(({ username }) => `${username}.json`)].sort()
        );

        // Every auth file decrypts (sf org display calls the org with the stored token) and names the
        // right user. One alias per org and round (all 20 aliases are checked in alias.json above):
        // an sf process costs ~3 s of CPU, and 20 more per round would take the suite past 3 minutes.
        const displayed = jobs.filter((_job, index) => index % LOGINS_PER_ORG === (round - 1) % LOGINS_PER_ORG);
        const [list, ...displays] = await Promise.all([
          sf.run(['org', 'list', '--json']),
          ...displayed.map(({ alias }) => sf.run(['org', 'display', '--target-org', alias, '--json'])),
        ]);
        displays.forEach((result, index) => {
          const { target, alias } = displayed[index];
          expect(result.code, `display ${alias}: ${summary(result)}`).to.equal(0);
          // sf shows one of the org's aliases, not necessarily the one given.
          expect(result.json?.result, alias).to.include({ username: target.username, id: target.org.orgId, connectedStatus: 'Connected' });
        });

        expect(list.code, summary(list)).to.equal(0);
        const listed = Object.values(list.json?.result as Record<string, Array<{ username: string; connectedStatus?: string }>>).flat();
        for (const { username } of orgs) {
          expect(listed.find((entry) => entry.username === username), username).to.include({ connectedStatus: 'Connected' });
        }

        const leaks = await sf.findLeaks([...orgs.map(({ secret }) => secret), ...orgs.flatMap(({ org }) => org.issuedTokens)]);
        expect(leaks).to.deep.equal([]);
      } finally {
        await sf.cleanup();
      }
    });
  }
});

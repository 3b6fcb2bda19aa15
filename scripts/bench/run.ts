import { setTimeout as sleep } from 'node:timers/promises';
import { readFile, rm } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { FakeOrg } from '../../test/fake-org/fakeOrg.js';
import { addOtherOrgs, alternate, installPackedPlugin, median, newHome, sf, type Home, type Run } from './harness.js';

/**
 * npm run bench: medians of alternating runs of the real sf CLI, with this plugin installed from
 * its packed tarball (as users get it) against sf without it, on the project's fake org.
 * BENCH_RUNS (default 5) sets the runs per side.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SECRET = 'fake-client-secret';
const CLIENT_ID = 'fake-client-id';
const rows: string[][] = [];

const ms = (runs: Run[]): number => Math.round(median(runs.map((run) => run.ms)));
const ratio = (a: number, b: number): string => (a / b).toFixed(2);
const record = (name: string, a: Run[], b: Run[], note = ''): void => {
  rows.push([name, `${ms(a)}`, `${ms(b)}`, ratio(ms(a), ms(b)), note]);
  console.log(`${name}: ${ms(a)} ms vs ${ms(b)} ms (ratio ${ratio(ms(a), ms(b))}) ${note}`);
};
const requestsOf = async (org: FakeOrg, fn: () => Promise<Run>): Promise<number> => {
  org.resetRequests();
  const run = await fn();
  if (run.code !== 0) throw new Error(run.stdout + run.stderr);
  return org.requests.length;
};
/** A token for the access-token peer, minted for a user of its own (auth files are per username). */
const mintToken = async (org: FakeOrg): Promise<string> => {
  const response = await fetch(`${org.url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'peer-client', client_secret: 'peer-secret' }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
};

const main = async (): Promise<void> => {
  const started = Date.now();
  console.log(`Benchmark: ${RUNS} runs per side, alternating. Installing the packed plugin...`);
  const withPlugin = await newHome('plugin');
  const without = await newHome('plain');
  await installPackedPlugin(withPlugin);
  const org = await FakeOrg.start({
    sessionTimeoutSeconds: 3600,
    users: [
      { userId: '005FK0000000001YAA', username: 'ci-user@example.com' },
      { userId: '005FK0000000002YAA', username: 'peer-user@example.com' },
    ],
    clients: [
      { clientId: CLIENT_ID, clientSecret: SECRET, runAsUsername: 'ci-user@example.com' },
      { clientId: 'peer-client', clientSecret: 'peer-secret', runAsUsername: 'peer-user@example.com' },
    ],
  });
  // Tokens of this org die a second after their last use: every query on it renews.
  const shortOrg = await FakeOrg.start({
    sessionTimeoutSeconds: 1,
    orgId: '00DFK00000000099AA',
    users: [{ userId: '005FK0000000009YAA', username: 'expiring-user@example.com' }],
    clients: [{ clientId: CLIENT_ID, clientSecret: SECRET, runAsUsername: 'expiring-user@example.com' }],
  });
  try {
    const ccLogin = (home: Home, target = org, alias = 'cc'): Promise<Run> =>
      sf(home, ['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', target.url, '--alias', alias], {
        SALESFORCE_CLIENT_SECRET: SECRET,
      });
    const atLogin = async (home: Home, alias = 'at', measureMemory = false): Promise<Run> => {
      const token = await mintToken(org);
      return sf(home, ['org', 'login', 'access-token', '--instance-url', org.url, '--alias', alias, '--no-prompt'], { SF_ACCESS_TOKEN: token }, 120_000, measureMemory);
    };
    // Both homes know the same access-token org.
    for (const home of [withPlugin, without]) if ((await atLogin(home)).code !== 0) throw new Error('access-token login failed');

    const suite = async (label: string): Promise<void> => {
      for (const latency of [0, 100]) {
        org.setLatency(latency);
        const { a, b } = await alternate(RUNS, () => ccLogin(withPlugin), () => atLogin(withPlugin));
        record(`${label}login, ${latency} ms round trip: client-credentials vs access-token`, a, b);
      }
      org.setLatency(0);
      const hook1 = await alternate(RUNS, () => sf(withPlugin, ['alias', 'list']), () => sf(without, ['alias', 'list']));
      record(`${label}sf alias list: with plugin vs without`, hook1.a, hook1.b);
      const hook2 = await alternate(
        RUNS,
        () => sf(withPlugin, ['org', 'display', '--target-org', 'at']),
        () => sf(without, ['org', 'display', '--target-org', 'at'])
      );
      record(`${label}sf org display (access-token org): with plugin vs without`, hook2.a, hook2.b);
      const query = (alias: string) => () => sf(withPlugin, ['data', 'query', '--query', 'SELECT Id, Name FROM Account', '--target-org', alias]);
      const renewal = await alternate(RUNS, query('expiring'), query('cc'), () => sleep(1200));
      record(`${label}sf data query: expired client-credentials org vs fresh`, renewal.a, renewal.b);
    };

    if ((await ccLogin(withPlugin, shortOrg, 'expiring')).code !== 0) throw new Error('login to the short-session org failed');
    await suite('');

    // Round trips, counted from the fake org's request log.
    const ccRequests = await requestsOf(org, () => ccLogin(withPlugin));
    const atRequests = await requestsOf(org, () => atLogin(withPlugin));
    await sleep(1200);
    const renewRequests = await requestsOf(shortOrg, () => sf(withPlugin, ['data', 'query', '--query', 'SELECT Id FROM Account', '--target-org', 'expiring']));
    const freshRequests = await requestsOf(org, () => sf(withPlugin, ['data', 'query', '--query', 'SELECT Id FROM Account', '--target-org', 'cc']));
    console.log(`requests: client-credentials login ${ccRequests}, access-token login ${atRequests} (+1 token request made beforehand), query on expired org ${renewRequests} vs fresh ${freshRequests}`);

    // Peak memory of the login commands.
    const memory = { a: [] as number[], b: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      const cc = await sf(withPlugin, ['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', org.url, '--alias', 'cc'], { SALESFORCE_CLIENT_SECRET: SECRET }, 120_000, true);
      const at = await atLogin(withPlugin, 'at', true);
      memory.a.push(cc.maxRssKb ?? Number.NaN);
      memory.b.push(at.maxRssKb ?? Number.NaN);
    }
    const memA = Math.round(median(memory.a) / 1024);
    const memB = Math.round(median(memory.b) / 1024);
    rows.push(['peak memory (MiB): client-credentials login vs access-token login', `${memA}`, `${memB}`, ratio(memA, memB), '']);
    console.log(`peak memory: ${memA} MiB vs ${memB} MiB`);

    // Scale: the same with 1,000 other orgs in both auth stores.
    const template = JSON.parse(await readFile(join(without.dir, '.sfdx', 'peer-user@example.com.json'), 'utf8')) as Record<string, unknown>;
    for (const home of [withPlugin, without]) await addOtherOrgs(home, template, 1000);
    await suite('1,000 orgs: ');

    const table = [
      '| measurement | plugin side (ms) | peer side (ms) | ratio | |',
      '|---|---:|---:|---:|---|',
      ...rows.map((row) => `| ${row.join(' | ')} |`),
    ];
    console.log(`\n${table.join('\n')}`);
    console.log(
      `\nRequests: client-credentials login ${ccRequests} in 2 sequential round trips; access-token login ${atRequests} (5 sequential) plus the token it was given; data query on an expired org ${renewRequests} vs ${freshRequests} on a fresh one.`
    );
    console.log(`Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}; ${new Date().toISOString()}; ${Math.round((Date.now() - started) / 1000)} s.`);
  } finally {
    await org.stop();
    await shortOrg.stop();
    await rm(withPlugin.dir, { recursive: true, force: true });
    await rm(without.dir, { recursive: true, force: true });
  }
};

await main();

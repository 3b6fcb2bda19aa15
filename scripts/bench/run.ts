import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFile, rm } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { FakeOrg } from '../../test/fake-org/server.js';
import { NODE, REPO_ROOT } from '../../test/support/sfSandbox.js';
import { addOtherOrgs, alternate, copyHome, installPackedPlugin, median, newHome, sf, type Home, type Run } from './harness.js';

/**
 * npm run bench: medians of alternating runs of the real sf CLI, with this plugin installed from
 * its packed tarball (as users get it) against sf without it, on the project's fake org.
 * BENCH_RUNS (default 5) sets the runs per side.
 *
 * Two times per run: `work` (spawn to the process's 'exit' event: the command is done) and `wall`
 * (spawn to the end of the process). The gap is sf's log writer: a worker thread that polls for
 * new lines with a back-off of up to one second, so every sf command's wall time lands on a step
 * of about a second after its work ends. Work times show differences below that step.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SECRET = 'fake-client-secret';
const CLIENT_ID = 'fake-client-id';
const rows: string[][] = [];

const med = (runs: Run[], key: 'ms' | 'workMs'): number => Math.round(median(runs.map((run) => run[key])));
const ratio = (a: number, b: number): string => (a / b).toFixed(2);
const record = (name: string, { a, b }: { a: Run[]; b: Run[] }): void => {
  const [wa, wb, ta, tb] = [med(a, 'workMs'), med(b, 'workMs'), med(a, 'ms'), med(b, 'ms')];
  rows.push([name, `${wa}`, `${wb}`, ratio(wa, wb), `${ta}`, `${tb}`, ratio(ta, tb)]);
  console.log(`${name}: work ${wa} vs ${wb} ms (${ratio(wa, wb)}), wall ${ta} vs ${tb} ms (${ratio(ta, tb)})`);
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

/** The hook's own cost, timed inside a fresh Node process per run: importing it plus one call. */
const hookCost = (home: Home, kind: 'with-target-flag' | 'without-target-flag', argv: string[]): number => {
  const hookPath = join(home.dir, '.local', 'share', 'sf', 'node_modules', 'sf-plugin-client-credentials', 'lib', 'hooks', 'prerun.js');
  const costs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = spawnSync(NODE, [join(REPO_ROOT, 'scripts', 'bench', 'hookCost.mjs'), hookPath, kind, ...argv], {
      cwd: home.dir,
      env: home.env,
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`hook timing failed: ${run.stderr}`);
    const { importMs, callMs } = JSON.parse(run.stdout) as { importMs: number; callMs: number };
    costs.push(importMs + callMs);
  }
  return median(costs);
};

const startOrgs = async (): Promise<{ org: FakeOrg; shortOrg: FakeOrg }> => {
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
  return { org, shortOrg };
};

const main = async (): Promise<void> => {
  const started = Date.now();
  console.log(`Benchmark: ${RUNS} runs per side, alternating. Installing the packed plugin...`);
  const withPlugin = await newHome('plugin');
  const without = await newHome('plain');
  await installPackedPlugin(withPlugin);
  const { org, shortOrg } = await startOrgs();
  const homes: Home[] = [withPlugin, without];
  try {
    const ccLogin = (home: Home, target = org, alias = 'cc'): Promise<Run> =>
      sf(home, ['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', target.url, '--alias', alias], {
        SALESFORCE_CLIENT_SECRET: SECRET,
      });
    const atLogin = async (home: Home, alias = 'at'): Promise<Run> =>
      sf(home, ['org', 'login', 'access-token', '--instance-url', org.url, '--alias', alias, '--no-prompt'], {
        SF_ACCESS_TOKEN: await mintToken(org),
      });
    const aliasList = (home: Home) => () => sf(home, ['alias', 'list']);
    const display = (home: Home) => () => sf(home, ['org', 'display', '--target-org', 'at']);
    const query = (home: Home, alias: string) => () =>
      sf(home, ['data', 'query', '--query', 'SELECT Id, Name FROM Account', '--target-org', alias]);
    const waitForExpiry = (): Promise<void> => sleep(1200);

    // Both homes know the same access-token org; the plugin's home also a fresh and an expiring client-credentials org.
    for (const home of homes) if ((await atLogin(home)).code !== 0) throw new Error('access-token login failed');
    if ((await ccLogin(withPlugin)).code !== 0) throw new Error('client-credentials login failed');
    if ((await ccLogin(withPlugin, shortOrg, 'expiring')).code !== 0) throw new Error('login to the short-session org failed');

    let memory = { a: [] as number[], b: [] as number[] };
    const suite = async (label: string, plugin: Home, plain: Home): Promise<void> => {
      for (const latency of [0, 100]) {
        org.setLatency(latency);
        const logins = await alternate(RUNS, () => ccLogin(plugin), () => atLogin(plugin));
        record(`${label}login, ${latency} ms round trip: client-credentials vs access-token`, logins);
        if (latency === 0 && memory.a.length === 0) memory = { a: logins.a.map((r) => r.maxRssKb), b: logins.b.map((r) => r.maxRssKb) };
      }
      org.setLatency(0);
      record(`${label}sf alias list: with plugin vs without`, await alternate(RUNS, aliasList(plugin), aliasList(plain)));
      record(`${label}sf org display (access-token org): with plugin vs without`, await alternate(RUNS, display(plugin), display(plain)));
      record(`${label}sf data query: expired client-credentials org vs fresh`, await alternate(RUNS, query(plugin, 'expiring'), query(plugin, 'cc'), waitForExpiry));
    };
    await suite('', withPlugin, without);

    // Round trips, counted from the fake org's request log.
    const ccRequests = await requestsOf(org, () => ccLogin(withPlugin));
    const atRequests = await requestsOf(org, () => atLogin(withPlugin));
    await waitForExpiry();
    const renewRequests = await requestsOf(shortOrg, query(withPlugin, 'expiring'));
    const freshRequests = await requestsOf(org, query(withPlugin, 'cc'));
    console.log(`requests: client-credentials login ${ccRequests}, access-token login ${atRequests}, query on expired org ${renewRequests} vs fresh ${freshRequests}`);
    const [memA, memB] = [Math.round(median(memory.a) / 1024), Math.round(median(memory.b) / 1024)];
    rows.push(['peak memory (MiB), login at 0 ms: client-credentials vs access-token', `${memA}`, `${memB}`, ratio(memA, memB), '', '', '']);
    console.log(`peak memory: ${memA} MiB vs ${memB} MiB`);

    // Scale: copies of both homes with 1,000 other orgs (auth files and aliases) added.
    const template = JSON.parse(await readFile(join(without.dir, '.sfdx', 'peer-user@example.com.json'), 'utf8')) as Record<string, unknown>;
    const bigPlugin = await copyHome(withPlugin, 'plugin-1000');
    const bigPlain = await copyHome(without, 'plain-1000');
    homes.push(bigPlugin, bigPlain);
    for (const home of [bigPlugin, bigPlain]) await addOtherOrgs(home, template, 1000);
    await suite('1,000 orgs: ', bigPlugin, bigPlain);
    // The plugin's own cost at scale: the same command with 1,000 other orgs against none.
    record('scale, client-credentials login: 1,000 orgs vs none', await alternate(RUNS, () => ccLogin(bigPlugin), () => ccLogin(withPlugin)));
    record('scale, sf org display with plugin: 1,000 orgs vs none', await alternate(RUNS, display(bigPlugin), display(withPlugin)));
    record(
      'scale, sf data query on expired org: 1,000 orgs vs none',
      await alternate(RUNS, query(bigPlugin, 'expiring'), query(withPlugin, 'expiring'), waitForExpiry)
    );

    // The hook, timed by itself, per sf command, against the work time of the fastest command,
    // `sf alias list` without the plugin and without other orgs.
    const baselineRuns: Run[] = [];
    // eslint-disable-next-line no-await-in-loop
    for (let i = 0; i < RUNS; i++) baselineRuns.push(await aliasList(without)());
    const baseline = med(baselineRuns, 'workMs');
    const hookRows: string[] = [];
    for (const [label, home] of [['no other orgs', withPlugin], ['1,000 other orgs', bigPlugin]] as const) {
      for (const [what, kind, argv] of [
        ['command without --target-org (sf alias list)', 'without-target-flag', []],
        ['--target-org of an access-token org (sf org display)', 'with-target-flag', ['--target-org', 'at']],
        ['--target-org of a fresh client-credentials org', 'with-target-flag', ['--target-org', 'cc']],
      ] as const) {
        const cost = hookCost(home, kind, [...argv]);
        hookRows.push(`| ${label}: ${what} | ${cost.toFixed(1)} | ${baseline} | ${(1 + cost / baseline).toFixed(3)} |`);
        console.log(`hook, ${label}, ${what}: ${cost.toFixed(1)} ms (sf alias list ${baseline} ms)`);
      }
    }

    const table = [
      '| measurement | plugin side, work (ms) | peer side, work (ms) | ratio | plugin side, wall (ms) | peer side, wall (ms) | ratio |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...rows.map((row) => `| ${row.join(' | ')} |`),
    ];
    console.log(`\n${table.join('\n')}`);
    console.log(
      `\n${['| hook, timed in its process | import + one call (ms) | sf alias list without plugin or orgs, work (ms) | ratio |', '|---|---:|---:|---:|', ...hookRows].join('\n')}`
    );
    console.log(
      `\nRequests: client-credentials login ${ccRequests} in 2 sequential round trips; access-token login ${atRequests}, plus the token it was given; data query on an expired org ${renewRequests} vs ${freshRequests} on a fresh one.`
    );
    console.log(
      `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}; ${new Date().toISOString()}; ${RUNS} runs per side; ${Math.round((Date.now() - started) / 1000)} s.`
    );
  } finally {
    await org.stop();
    await shortOrg.stop();
    await Promise.all(homes.map((home) => rm(home.dir, { recursive: true, force: true })));
  }
};

await main();

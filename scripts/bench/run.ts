import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FakeOrg } from '../../test/fake-org/server.js';
import { mint } from '../../test/support/orgClient.js';
import { NODE, REPO_ROOT } from '../../test/support/sfHome.js';
import { addOtherOrgs, copyHome, installPackedPlugin, median, newHome, sf, type Home, type Run } from './harness.js';
import { NO_LOG_SETTINGS, report, TARGETS, type HookCosts, type Pair, type PairKind, type Result } from './report.js';

/**
 * npm run bench: the real sf CLI with this plugin installed from its packed tarball (as users get
 * it), against `sf org login access-token` and against sf without the plugin (a copy of the same
 * home, orgs and all, with the plugin uninstalled), on the project's fake org answering every
 * request after LATENCY_MS. Every measurement is a pair of commands; each round
 * runs every pair once, the two sides in alternating order, so a slow spell of the machine falls
 * on all pairs alike. Medians of BENCH_RUNS rounds (default 7). BENCH_SCALE=1 adds the same pairs
 * with 1,000 other orgs in the auth store. BENCH_RAW=<file> also writes every round's wall times
 * there (JSON), to see the steps behind a median.
 *
 * Times are wall times, spawn to the end of the process: what a user waits. With the default
 * settings that includes sf's log writer at exit (a worker thread that polls with a back-off of up
 * to a second, see docs/benchmarks.md); SF_DISABLE_LOG_FILE=true removes it for every sf command, so those
 * rows show the work. The login's phases come from a preload in every process (probe.cjs) that
 * notes when each request went out and was answered, and the 'exit' event.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SCALE = process.env.BENCH_SCALE === '1';
const RAW = process.env.BENCH_RAW;
const LATENCY_MS = 100;
const SECRET = 'fake-client-secret';
const CLIENT_ID = 'fake-client-id';
const NO_LOG = { SF_DISABLE_LOG_FILE: 'true' };

const succeeded = (run: Run): void => {
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stdout}${run.stderr}`);
};
/** Bad input: a named error, exit 1, and no request to the org. */
const refusedBeforeAnyRequest =
  (names: Record<'plugin' | 'peer', RegExp>) =>
  (run: Run, side: 'plugin' | 'peer'): void => {
    if (run.code !== 1 || !names[side].test(run.stderr)) throw new Error(`expected ${String(names[side])}, exit 1: ${run.code} ${run.stdout}${run.stderr}`);
    if (run.requests.length > 0) throw new Error(`bad input sent ${run.requests.length} requests`);
  };

/** A token for the access-token peer, minted for a user of its own (auth files are per username). */
const mintToken = async (org: FakeOrg): Promise<string> => (await mint(org, 'peer-client', 'peer-secret')).access_token;

/** Runs every pair once per round, the sides in alternating order; fails on a run that did not do what it should. */
const measure = async (pairs: Pair[]): Promise<Result[]> => {
  const results = pairs.map((pair) => ({ pair, plugin: [] as Run[], peer: [] as Run[] }));
  for (let round = 0; round < RUNS; round++) {
    for (const result of results) {
      const sides = round % 2 === 0 ? (['plugin', 'peer'] as const) : (['peer', 'plugin'] as const);
      for (const side of sides) {
        if (side === 'plugin' && result.pair.beforePlugin) await result.pair.beforePlugin();
        const run = await result.pair[side]();
        try {
          result.pair.check(run, side);
        } catch (error) {
          throw new Error(`${result.pair.name}, ${side} side: ${(error as Error).message}`);
        }
        result[side].push(run);
      }
    }
    console.log(`round ${round + 1}/${RUNS} done`);
  }
  return results;
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

const startOrgs = async (): Promise<{ org: FakeOrg; shortOrg: FakeOrg; killedOrg: FakeOrg }> => {
  const org = await FakeOrg.start({
    sessionTimeoutSeconds: 3600,
    latencyMs: LATENCY_MS,
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
    latencyMs: LATENCY_MS,
    orgId: '00DFK00000000099AA',
    users: [{ userId: '005FK0000000009YAA', username: 'expiring-user@example.com' }],
    clients: [{ clientId: CLIENT_ID, clientSecret: SECRET, runAsUsername: 'expiring-user@example.com' }],
  });
  // Tokens of this org live for an hour, but the org ends every session before each run of the
  // pair that uses it (as an admin can): the command renews inside its first request.
  const killedOrg = await FakeOrg.start({
    sessionTimeoutSeconds: 3600,
    latencyMs: LATENCY_MS,
    orgId: '00DFK00000000098AA',
    users: [{ userId: '005FK0000000008YAA', username: 'killed-user@example.com' }],
    clients: [{ clientId: CLIENT_ID, clientSecret: SECRET, runAsUsername: 'killed-user@example.com' }],
  });
  return { org, shortOrg, killedOrg };
};

const main = async (): Promise<void> => {
  const started = Date.now();
  console.log(`Benchmark: ${RUNS} rounds, fake org at ${LATENCY_MS} ms a request. Packing and installing the plugin...`);
  const withPlugin = await newHome('plugin');
  await installPackedPlugin(withPlugin);
  const { org, shortOrg, killedOrg } = await startOrgs();
  const homes: Home[] = [withPlugin];
  try {
    const ccLogin = (home: Home, env: Record<string, string> = {}, target = org, alias = 'cc'): Promise<Run> =>
      sf(home, ['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', target.url, '--alias', alias], {
        SALESFORCE_CLIENT_SECRET: SECRET,
        ...env,
      });
    const atLogin = async (home: Home, env: Record<string, string> = {}): Promise<Run> =>
      sf(home, ['org', 'login', 'access-token', '--instance-url', org.url, '--alias', 'at', '--no-prompt'], {
        SF_ACCESS_TOKEN: await mintToken(org),
        ...env,
      });
    // Bad input, refused before any request: login.salesforce.com does not serve the flow; a token without "<org id>!".
    const ccBad = (home: Home, env: Record<string, string>) => () =>
      sf(home, ['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', 'https://login.salesforce.com'], {
        SALESFORCE_CLIENT_SECRET: SECRET,
        ...env,
      });
    const atBad = (home: Home, env: Record<string, string>) => () =>
      sf(home, ['org', 'login', 'access-token', '--instance-url', org.url, '--no-prompt'], { SF_ACCESS_TOKEN: 'not-a-token', ...env });
    const aliasList = (home: Home, env: Record<string, string>) => () => sf(home, ['alias', 'list'], env);
    const display = (home: Home, env: Record<string, string>) => () => sf(home, ['org', 'display', '--target-org', 'at'], env);
    const query = (home: Home, alias: string, env: Record<string, string>) => () =>
      sf(home, ['data', 'query', '--query', 'SELECT Id, Name FROM Account', '--target-org', alias], env);
    const waitForExpiry = (): Promise<void> => sleep(1200);

    // An access-token org, a fresh and an expiring client-credentials org; then the same home
    // without the plugin, so that the two sides of a pair differ by the plugin alone.
    succeeded(await atLogin(withPlugin));
    succeeded(await ccLogin(withPlugin));
    succeeded(await ccLogin(withPlugin, {}, shortOrg, 'expiring'));
    succeeded(await ccLogin(withPlugin, {}, killedOrg, 'killed'));
    const withoutPlugin = async (from: Home, label: string): Promise<Home> => {
      const home = await copyHome(from, label);
      await rm(join(home.dir, '.local', 'share', 'sf'), { recursive: true, force: true });
      homes.push(home);
      return home;
    };
    const without = await withoutPlugin(withPlugin, 'plain');

    const suite = (group: string | undefined, plugin: Home, plain: Home): Pair[] =>
      (
        [
          ['default settings', {}],
          [NO_LOG_SETTINGS, NO_LOG],
        ] as Array<[string, Record<string, string>]>
      ).flatMap(([settings, e]) => {
        type Sides = Pick<Pair, 'plugin' | 'peer' | 'check' | 'beforePlugin'>;
        const pair = (kind: PairKind, what: string, versus: string, sides: Sides): Pair => ({
          name: `${group ? `${group}: ` : ''}${what}, ${settings}: ${versus}`,
          kind,
          settings,
          group,
          target: group ? undefined : TARGETS[`${kind}, ${settings}`],
          ...sides,
        });
        return [
          pair('login', 'login', 'client-credentials vs access-token', { plugin: () => ccLogin(plugin, e), peer: () => atLogin(plugin, e), check: succeeded }),
          pair('badInput', 'bad input', 'client-credentials vs access-token', {
            plugin: ccBad(plugin, e),
            peer: atBad(plugin, e),
            check: refusedBeforeAnyRequest({ plugin: /does not serve the client credentials flow/, peer: /access token isn't in the correct format/ }),
          }),
          pair('aliasList', 'sf alias list', 'with plugin vs without', { plugin: aliasList(plugin, e), peer: aliasList(plain, e), check: succeeded }),
          pair('display', 'sf org display (access-token org)', 'with plugin vs without', { plugin: display(plugin, e), peer: display(plain, e), check: succeeded }),
          pair('expiredQuery', 'sf data query', 'expired client-credentials org vs fresh', {
            plugin: query(plugin, 'expiring', e),
            peer: query(plugin, 'cc', e),
            check: succeeded,
            beforePlugin: waitForExpiry,
          }),
          pair('killedQuery', 'sf data query', 'token killed at the org before its expiry vs fresh', {
            plugin: query(plugin, 'killed', e),
            peer: query(plugin, 'cc', e),
            check: succeeded,
            beforePlugin: () => Promise.resolve(killedOrg.expireAllTokens()),
          }),
        ];
      });

    const pairs = suite(undefined, withPlugin, without);
    if (SCALE) {
      const template = JSON.parse(await readFile(join(withPlugin.dir, '.sfdx', 'peer-user@example.com.json'), 'utf8')) as Record<string, unknown>;
      const bigPlugin = await copyHome(withPlugin, 'plugin-1000');
      homes.push(bigPlugin);
      await addOtherOrgs(bigPlugin, template, 1000);
      const bigPlain = await withoutPlugin(bigPlugin, 'plain-1000');
      pairs.push(...suite('1,000 orgs', bigPlugin, bigPlain));
    }
    const results = await measure(pairs);
    if (RAW) {
      const walls = results.map(({ pair, plugin, peer }) => ({ name: pair.name, plugin: plugin.map((r) => r.ms), peer: peer.map((r) => r.ms) }));
      await writeFile(RAW, `${JSON.stringify(walls, undefined, 2)}\n`);
    }

    const hookCosts: HookCosts = [
      hookCost(withPlugin, 'without-target-flag', []),
      hookCost(withPlugin, 'with-target-flag', ['--target-org', 'at']),
      hookCost(withPlugin, 'with-target-flag', ['--target-org', 'cc']),
    ];
    report(results, hookCosts, { runs: RUNS, latencyMs: LATENCY_MS, started });
  } finally {
    await org.stop();
    await shortOrg.stop();
    await killedOrg.stop();
    await Promise.all(homes.map((home) => rm(home.dir, { recursive: true, force: true })));
  }
};

await main();

/** The benchmark's tables (Markdown, as docs/benchmarks.md shows them) from the runs of every pair. */
import { cpus, totalmem } from 'node:os';
import { median, type Run } from './harness.js';

type Side = () => Promise<Run>;
/** What a pair measures; with `settings` and `group`, it says which row of which table the pair is. */
export type PairKind = 'login' | 'badInput' | 'aliasList' | 'display' | 'expiredQuery' | 'killedQuery';
/**
 * A pair of commands: this plugin's side and its peer. `check` throws when a run did not do what it
 * should; `beforePlugin` runs before each run of the plugin's side (an expiry to wait for, tokens to kill).
 */
export type Pair = {
  name: string;
  kind: PairKind;
  /** 'default settings' or 'SF_DISABLE_LOG_FILE=true'. */
  settings: string;
  /** Set for the pairs run again in another setting (with 1,000 other orgs). */
  group?: string;
  /** The target for the ratio, if it has one. */
  target?: number;
  plugin: Side;
  peer: Side;
  check: (run: Run, side: 'plugin' | 'peer') => void;
  beforePlugin?: () => Promise<void>;
};
export type Result = { pair: Pair; plugin: Run[]; peer: Run[] };
/** The hook's cost (ms): without --target-org, with an access-token org's, with a fresh client-credentials org's. */
export type HookCosts = readonly [number, number, number];

/** The settings in which the log writer is off. */
export const NO_LOG_SETTINGS = 'SF_DISABLE_LOG_FILE=true';
/** The targets of issue 12, by kind and settings, for the pairs of the main group. */
export const TARGETS: Partial<Record<string, number>> = {
  'login, default settings': 0.75,
  [`login, ${NO_LOG_SETTINGS}`]: 0.95,
  [`badInput, ${NO_LOG_SETTINGS}`]: 1.05,
  [`aliasList, ${NO_LOG_SETTINGS}`]: 1.03,
  [`display, ${NO_LOG_SETTINGS}`]: 1.03,
};
const MEMORY_TARGET = 1.05;
const HOOK_TARGET = 1.03;

const ms = (value: number): string => (Number.isNaN(value) ? '-' : `${Math.round(value)}`);
const verdict = (ratio: number, target: number | undefined): string => (target === undefined ? '' : ratio <= target ? `<= ${target}: met` : `<= ${target}: NOT met`);
const medianOf = (runs: Run[], value: (run: Run) => number): number => median(runs.map(value));
const table = (header: string, align: string, rows: string[]): string => `\n${[header, align, ...rows].join('\n')}`;

/** The login's phases, ms: spawn to first request, the token, the requests after it, registration and output, exit. */
const phasesOf = (run: Run, hasTokenRequest: boolean): number[] => {
  const first = run.requests[0];
  if (!first) return [Number.NaN, Number.NaN, Number.NaN, Number.NaN, run.ms - run.exitEventMs];
  const lastAnswer = Math.max(...run.requests.map((request) => request.answeredMs));
  const tokenAnswered = hasTokenRequest ? first.answeredMs : first.sentMs;
  return [first.sentMs, tokenAnswered - first.sentMs, lastAnswer - tokenAnswered, run.exitEventMs - lastAnswer, run.ms - run.exitEventMs];
};

/** Wall times of every pair, and peak memory of the login: medians, ratio, target. */
const ratioRows = (results: Result[]): string[] => {
  const rows: string[] = [];
  const row = (name: string, a: number, b: number, unit: string, target?: number): void => {
    rows.push(`| ${name} | ${ms(a)} | ${ms(b)} | ${(a / b).toFixed(2)} | ${verdict(a / b, target)} |`);
    console.log(`${name}: ${ms(a)} vs ${ms(b)} ${unit} (${(a / b).toFixed(2)})`);
  };
  for (const { pair, plugin, peer } of results) {
    row(`${pair.name}, wall (ms)`, medianOf(plugin, (run) => run.ms), medianOf(peer, (run) => run.ms), 'ms', pair.target);
  }
  const logins = results.find(({ pair }) => !pair.group && pair.kind === 'login' && pair.settings === 'default settings');
  if (logins) {
    const [a, b] = [logins.plugin, logins.peer].map((runs) => medianOf(runs, (run) => run.maxRssKb) / 1024);
    row('peak memory (MiB), login, default settings: client-credentials vs access-token', a, b, 'MiB', MEMORY_TARGET);
  }
  return rows;
};

/** The hook against the wall time of the fastest sf command without the plugin (sf alias list, no log file). */
const hookRows = (results: Result[], costs: HookCosts): string[] => {
  const plainAliasList = results.find(({ pair }) => !pair.group && pair.kind === 'aliasList' && pair.settings === NO_LOG_SETTINGS);
  const baseline = median(plainAliasList?.peer.map((run) => run.ms) ?? []);
  const what = ['command without --target-org (sf alias list)', '--target-org of an access-token org (sf org display)', '--target-org of a fresh client-credentials org'];
  return what.map((name, i) => {
    const ratio = 1 + costs[i] / baseline;
    console.log(`hook, ${name}: ${costs[i].toFixed(1)} ms (sf alias list without plugin, no log file: ${ms(baseline)} ms)`);
    return `| ${name} | ${costs[i].toFixed(1)} | ${ms(baseline)} | ${ratio.toFixed(3)} | ${verdict(ratio, HOOK_TARGET)} |`;
  });
};

/** The login's phases, medians of each (they need not add up to the median wall time). */
const phaseRows = (results: Result[]): string[] =>
  results
    .filter(({ pair }) => pair.kind === 'login')
    .flatMap(({ pair, plugin, peer }) =>
      (
        [
          ['client-credentials', plugin, true],
          ['access-token', peer, false],
        ] as const
      ).map(([side, runs, hasToken]) => {
        const phases = runs.map((run) => phasesOf(run, hasToken));
        const cells = [0, 1, 2, 3, 4].map((i) => ms(median(phases.map((p) => p[i]))));
        if (!hasToken) cells[1] = '-';
        const requests = medianOf(runs, (run) => run.requests.length);
        const label = [pair.group, 'login', pair.settings, side].filter(Boolean).join(', ');
        return `| ${label} (${requests} requests) | ${cells.join(' | ')} | ${ms(medianOf(runs, (run) => run.ms))} |`;
      })
    );

/** What a renewal costs: the sf process's requests and wall time, medians, against the same query on a fresh token. */
const renewalRows = (results: Result[]): string[] =>
  results
    .filter(({ pair }) => pair.kind === 'expiredQuery' || pair.kind === 'killedQuery')
    .map(({ pair, plugin, peer }) => {
      const [a, b] = [plugin, peer].map((runs) => medianOf(runs, (run) => run.requests.length));
      const [ta, tb] = [plugin, peer].map((runs) => medianOf(runs, (run) => run.ms));
      console.log(`renewal, ${pair.name}: ${a} vs ${b} requests, +${ms(ta - tb)} ms`);
      return `| ${pair.name.replace(/ vs fresh$/, '')} | ${a} | ${b} | +${a - b} | +${ms(ta - tb)} |`;
    });

export function report(results: Result[], hookCosts: HookCosts, run: { runs: number; latencyMs: number; started: number }): void {
  const ratios = ratioRows(results);
  const hooks = hookRows(results, hookCosts);
  const renewals = renewalRows(results);
  console.log(table('| measurement | plugin side | peer side | ratio | target |', '|---|---:|---:|---:|---|', ratios));
  console.log(table('| hook, timed in its own process | import + one call (ms) | sf alias list without plugin, no log file, wall (ms) | ratio | target |', '|---|---:|---:|---:|---|', hooks));
  console.log(
    table(
      '| login phases, medians (ms) | load: spawn to first request | token | after the token: the other requests | registration and output | exit: log writer and teardown | wall |',
      '|---|---:|---:|---:|---:|---:|---:|',
      phaseRows(results)
    )
  );
  console.log(table('| renewal, sf data query | requests, renewing | requests, fresh token | requests added | wall time added (ms) |', '|---|---:|---:|---:|---:|', renewals));
  const cpu = cpus()[0]?.model ?? 'unknown';
  console.log(
    `\nMachine: ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.versions.node}; ${new Date().toISOString()}; ${run.runs} rounds; fake org at ${run.latencyMs} ms a request; ${Math.round((Date.now() - run.started) / 1000)} s.`
  );
}

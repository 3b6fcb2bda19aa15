import { spawn } from 'node:child_process';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { childOutput } from '../../test/support/childOutput.js';
import { packAndInstall } from '../../test/support/installedPlugin.js';
import { NODE, REPO_ROOT, SF_RUN, sfHomeEnv } from '../../test/support/sfHome.js';
import { makeTempDir, removeTempDir } from '../../test/support/tempHome.js';

/** Benchmark plumbing: sf homes (with and without the plugin), timed runs, medians. */

export type Home = { dir: string; env: Record<string, string> };

const PROBE = join(REPO_ROOT, 'scripts', 'bench', 'probe.cjs');

export const baseEnv = (home: string): Record<string, string> => ({
  ...(Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(SF_|SFDX_|SALESFORCE_|NODE_OPTIONS)/.test(name))) as Record<
    string,
    string
  >),
  ...sfHomeEnv(home),
  SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
  NO_COLOR: '1',
});

/** A new empty home in the temp folder; the caller removes it, else it goes when the process exits. */
export const newHome = async (label: string): Promise<Home> => {
  const dir = await makeTempDir(`sf-cc-bench-${label}-`);
  return { dir, env: baseEnv(dir) };
};

/** A copy of a home (installed plugins, auth files, aliases) under a new directory. */
export const copyHome = async (from: Home, label: string): Promise<Home> => {
  const home = await newHome(label);
  await cp(from.dir, home.dir, { recursive: true });
  return home;
};

/** Packs the plugin as users get it (scripts/pack.mjs: the bundle and oclif.manifest.json) and installs it with sf. */
export const installPackedPlugin = async (home: Home): Promise<void> => {
  const packed = await makeTempDir('sf-cc-pack-');
  try {
    await packAndInstall(packed, home.dir, home.env);
  } finally {
    await removeTempDir(packed);
  }
  const list = await sf(home, ['plugins', '--core']);
  if (!list.stdout.includes('sf-plugin-client-credentials')) throw new Error(`plugin not listed after install: ${list.stdout}`);
};

/** One request of a run, in ms since the spawn: when it went out, and when its answer had arrived. */
export type TimedRequest = { path: string; sentMs: number; answeredMs: number };

/**
 * One timed run. `ms`: spawn to the end of the process, what a user waits. `exitEventMs`: spawn to
 * the process's 'exit' event, when the command's work is over; after it, sf's log writer may hold
 * the process (see docs/benchmarks.md). `requests`: the HTTP requests it made, in the order they went out.
 */
export type Run = {
  code: number;
  ms: number;
  exitEventMs: number;
  requests: TimedRequest[];
  stdout: string;
  stderr: string;
  maxRssKb: number;
};

type Probe = { exitAt?: number; maxRssKb?: number; requests?: Array<{ path: string; sentAt: number; answeredAt?: number }> };

/** Runs sf once and times it from spawn to exit; every run carries the same small preload (probe.cjs). */
export const sf = async (home: Home, args: string[], env: Record<string, string> = {}, timeoutMs = 120_000): Promise<Run> => {
  const probeFile = join(home.dir, `.probe-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const childEnv = { ...home.env, ...env, NODE_OPTIONS: `--require ${PROBE}`, SF_BENCH_PROBE_FILE: probeFile };
  const started = performance.now();
  const child = spawn(NODE, [SF_RUN, ...args], { cwd: home.dir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const { code, stdout, stderr } = await childOutput(child, timeoutMs);
  const ms = performance.now() - started;
  const probe = JSON.parse(await readFile(probeFile, 'utf8').catch(() => '{}')) as Probe;
  await rm(probeFile, { force: true });
  const spawnedAt = performance.timeOrigin + started;
  const since = (at: number | undefined): number => (at === undefined ? Number.NaN : at - spawnedAt);
  return {
    code: code ?? -1,
    ms,
    exitEventMs: since(probe.exitAt),
    requests: (probe.requests ?? []).map(({ path, sentAt, answeredAt }) => ({ path, sentMs: since(sentAt), answeredMs: since(answeredAt) })),
    stdout,
    stderr,
    maxRssKb: probe.maxRssKb ?? Number.NaN,
  };
};

export const median = (values: number[]): number => {
  const sorted = values.filter((value) => !Number.isNaN(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Writes `count` access-token auth files and aliases, as another 1,000 orgs in the auth store. */
export const addOtherOrgs = async (home: Home, template: Record<string, unknown>, count: number): Promise<void> => {
  const sfdx = join(home.dir, '.sfdx');
  const aliasPath = join(sfdx, 'alias.json');
  const aliases = JSON.parse(await readFile(aliasPath, 'utf8').catch(() => '{"orgs":{}}')) as { orgs: Record<string, string> };
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const username = `other-${i}@example.com`;
      aliases.orgs[`other-${i}`] = username;
      await writeFile(join(sfdx, `${username}.json`), JSON.stringify({ ...template, username }, null, 2));
    })
  );
  await writeFile(aliasPath, JSON.stringify(aliases, null, 2));
};

/**
 * The compatibility matrix: every sf release users run, on the Node each runs on, through the
 * scenarios of scenarios.ts. `npm run compat` (scripts/compat.mjs) calls runMatrix.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NODE, REPO_ROOT } from '../support/sfHome.js';
import { runCell, SCENARIOS, type Cell, type CellOutcomes } from './scenarios.js';
import { installSf, latestSfVersion, node20 } from './sfInstall.js';

/** sf release (or `latest`) × Node major. */
export type CellSpec = { sf: string; node: 20 | 22 };

export const MATRIX: CellSpec[] = [
  { sf: '2.150.6', node: 22 },
  { sf: 'latest', node: 22 },
  { sf: '2.146.3', node: 22 },
  { sf: '2.136.8', node: 20 },
  { sf: '2.136.8', node: 22 },
  { sf: '2.127.2', node: 20 },
  { sf: '2.116.6', node: 20 },
];

export type MatrixOptions = {
  /** `2.136.8@20`, `latest@22`, `2.127.2` (every Node of that sf); empty: the whole matrix. */
  only: string[];
  /** Where sf releases and Node 20 are installed, kept between runs. */
  cache: string;
  /** Cells run at once. */
  jobs: number;
  /** A plugin tarball to install instead of packing this checkout (e.g. an earlier build, to compare). */
  tarball?: string;
};

export type CellReport = { cell: Cell; label: string; core: string; outcomes: CellOutcomes; seconds: number };

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const versionOf = (node: string): string => spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '');

const coreVersion = (sfRoot: string): string => {
  const path = join(sfRoot, 'node_modules', '@salesforce', 'core', 'package.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version : '?';
};

/** The cells the filters keep, `latest` resolved (and dropped when it is a release the matrix already has on that Node). */
export const selectCells = async (only: string[]): Promise<Array<CellSpec & { label: string }>> => {
  const wanted = (spec: CellSpec): boolean =>
    only.length === 0 || only.some((filter) => { const [sf, node] = filter.split('@'); return sf === spec.sf && (node === undefined || Number(node) === spec.node); });
  const picked = MATRIX.filter(wanted);
  const latest = picked.some((spec) => spec.sf === 'latest') ? await latestSfVersion() : undefined;
  const isLatest = (spec: CellSpec): boolean => picked.some((other) => other.sf === 'latest' && other.node === spec.node) && spec.sf === latest;
  return picked.flatMap((spec) => {
    if (spec.sf !== 'latest') return [{ ...spec, label: isLatest(spec) ? `${spec.sf} (latest)` : spec.sf }];
    const twin = picked.some((other) => other.sf === latest && other.node === spec.node);
    if (twin) log(`latest is sf ${String(latest)}, already in the matrix on Node ${spec.node}: one cell for both`);
    return twin ? [] : [{ sf: String(latest), node: spec.node, label: `${String(latest)} (latest)` }];
  });
};

const mark = (ok: boolean): string => (ok ? '✓' : '✗');

/** The table: one row per cell, one column per scenario; then a note for each failure, with its reason. */
export const formatTable = (reports: CellReport[]): string => {
  const head = ['sf', 'core', 'Node', ...SCENARIOS.map((scenario) => scenario.label)];
  const rows = reports.map((report) => [report.label, report.core, report.cell.nodeVersion, ...SCENARIOS.map(({ id }) => mark(report.outcomes[id].ok))]);
  const widths = head.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  const notes = reports.flatMap((report) =>
    SCENARIOS.filter(({ id }) => !report.outcomes[id].ok).map(({ id, label }) => `✗ sf ${report.label} · Node ${report.cell.nodeVersion} · ${label}: ${String(report.outcomes[id].reason)}`)
  );
  const legend = SCENARIOS.map((scenario) => `  ${scenario.label.padEnd(15)}${scenario.title}`);
  return [line(head), ...rows.map(line), '', 'Scenarios:', ...legend, ...(notes.length > 0 ? ['', 'Failures:', ...notes] : [])].join('\n');
};

const packCheckout = async (destination: string): Promise<string> => {
  log('packing the plugin (scripts/pack.mjs)');
  const { packPlugin } = (await import(join(REPO_ROOT, 'scripts', 'pack.mjs'))) as typeof import('../../scripts/pack.mjs');
  return packPlugin(destination);
};

/** Runs items with at most `jobs` at once, keeping their order in the result. */
const pool = async <T, R>(items: T[], jobs: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> => {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
};

/**
 * Installs what the selected cells need (cached under options.cache), packs the plugin once, runs
 * every cell and resolves with their reports. Its temporary folder is removed at the end, on
 * failure and on Ctrl-C too.
 */
export const runMatrix = async (options: MatrixOptions): Promise<CellReport[]> => {
  const specs = await selectCells(options.only);
  if (specs.length === 0) throw new Error(`no cell of the matrix matches ${options.only.join(', ')}: ${MATRIX.map((spec) => `${spec.sf}@${spec.node}`).join(', ')}`);
  await mkdir(options.cache, { recursive: true });
  if (versionOf(NODE).split('.')[0] !== '22') throw new Error(`${NODE} is not a Node 22: run npm ci first`);
  const nodes = { 22: NODE, 20: specs.some((spec) => spec.node === 20) ? await node20(options.cache, log) : '' };
  const roots = new Map<string, string>();
  for (const spec of specs) if (!roots.has(spec.sf)) roots.set(spec.sf, await installSf(spec.sf, options.cache, log));
  const work = await mkdtemp(join(tmpdir(), 'sf-cc-compat-'));
  const interrupted = (): void => {
    rmSync(work, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const tarball = options.tarball ? resolve(options.tarball) : await packCheckout(join(work, 'pack'));
    return await pool(specs, options.jobs, async (spec, index) => {
      const sfRoot = String(roots.get(spec.sf));
      const cell: Cell = { sf: spec.sf, sfRoot, node: nodes[spec.node], nodeVersion: versionOf(nodes[spec.node]) };
      const started = Date.now();
      log(`sf ${spec.label} on Node ${cell.nodeVersion}: running`);
      const cellWork = join(work, `cell-${index}`);
      await mkdir(cellWork);
      const outcomes = await runCell(cell, tarball, cellWork);
      await rm(cellWork, { recursive: true, force: true });
      const seconds = Math.round((Date.now() - started) / 1000);
      const failed = SCENARIOS.filter(({ id }) => !outcomes[id].ok).map(({ label }) => label);
      log(`sf ${spec.label} on Node ${cell.nodeVersion}: ${failed.length === 0 ? 'all scenarios pass' : `failed: ${failed.join(', ')}`} (${seconds} s)`);
      return { cell, label: spec.label, core: coreVersion(sfRoot), outcomes, seconds };
    });
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await rm(work, { recursive: true, force: true });
  }
};

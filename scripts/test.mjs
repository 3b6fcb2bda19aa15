// The test command: build, type-check the tests, lint, the command snapshot, unit tests, then the
// end-to-end tests (NUTs) that run the real sf CLI with this plugin against the project's fake
// Salesforce org. The plugin is packed and installed once for all of them; the NUT files then run
// one mocha process each, two at a time, longest first by the times the last run measured (each
// file has its own fake orgs and HOME). At the end it prints the ten slowest files and how many sf
// processes the tests started.
// Every step runs with TMPDIR at an empty folder of this run; the run fails if the tests leave
// anything in it, and the folder is removed at the end, so the system temp folder stays as it was.
// Usage: npm test [-- --unit-only | --nuts-only]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { binPath, ensureNode22, repoRoot } from './node22.mjs';

ensureNode22();

/** This run's folder: the mocha counts, and testTmp, the TMPDIR of every step. Removed whatever happens. */
const runDir = mkdtempSync(join(tmpdir(), 'sf-cc-test-'));
process.once('exit', () => rmSync(runDir, { recursive: true, force: true }));
// Interrupted: exit (the handler above runs) once the step in progress has ended on the same signal.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));
const statsFile = join(runDir, 'stats.jsonl');
const sfCountFile = join(runDir, 'sf-processes.txt');
const testTmp = join(runDir, 'tmp');
mkdirSync(testTmp);
const env = { ...process.env, PATH: binPath(), MOCHA_STATS_FILE: statsFile, SF_CC_SF_COUNT_FILE: sfCountFile, TMPDIR: testTmp };

/**
 * The caches that tools keep in TMPDIR under a fixed name, which no test makes: tsx's transpile
 * cache, and Node's compile cache (tsc and npm turn it on).
 */
const TOOL_CACHES = /^(tsx-\d+|node-compile-cache)$/;

/** What the tests left in their TMPDIR. */
const leftovers = () => readdirSync(testTmp).filter((name) => !TOOL_CACHES.test(name));

const reportLeftovers = () => {
  const left = leftovers();
  if (left.length > 0) console.error(`\nThe tests left ${left.length} entr${left.length === 1 ? 'y' : 'ies'} in the temp folder (${testTmp}):\n${left.map((name) => `   ${name}`).join('\n')}`);
  return left.length;
};

/** Every mocha run's stats line so far (see test/support/reporter.cjs). */
const statsRuns = () => (existsSync(statsFile) ? readFileSync(statsFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) : []);

/** Each test file's run time (ms) in this run. */
const fileTimes = () => Object.assign({}, ...statsRuns().map((run) => run.fileMs ?? {}));

/** The ten slowest test files of this run, the number of sf processes the tests started, and the closing counts. */
const report = () => {
  const slowest = Object.entries(fileTimes()).sort((a, b) => b[1] - a[1]).slice(0, 10);
  if (slowest.length > 0) console.log(`\nThe ten slowest test files:\n${slowest.map(([file, ms]) => `  ${(ms / 1000).toFixed(1).padStart(7)} s  ${file}`).join('\n')}`);
  const started = existsSync(sfCountFile) ? readFileSync(sfCountFile, 'utf8').split('\n').filter(Boolean).length : 0;
  console.log(`sf processes started by the tests: ${started}`);
  const runs = statsRuns();
  const total = (key) => runs.reduce((sum, run) => sum + (run[key] ?? 0), 0);
  console.log(`${total('passes')} passed, ${total('failures')} failed, ${total('pending')} skipped`);
};

const fail = (title, status) => {
  reportLeftovers();
  console.error(`\n${title} failed (exit ${status}).`);
  report();
  process.exit(typeof status === 'number' && status !== 0 ? status : 1);
};

const step = (title, command, args, options = {}) => {
  console.log(`\n== ${title}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: repoRoot, env, stdio: 'inherit', ...options });
  if (result.status !== 0) fail(title, result.status ?? result.signal);
  return result;
};

/**
 * The NUT files' run times (s): those the last run on this machine measured (node_modules/.cache),
 * else those recorded in test/nuts/durations.json (`npm test -- --record-durations` rewrites it).
 * They only order the queue, longest first; a file neither knows goes first.
 */
const durationsCache = join(repoRoot, 'node_modules', '.cache', 'sf-cc-nut-durations.json');
const durationsFile = join(repoRoot, 'test', 'nuts', 'durations.json');
const readDurations = (file) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};
const knownDurations = () => readDurations(durationsCache) ?? readDurations(durationsFile) ?? {};

/** Runs one mocha process over one file, its output kept until it ends; resolves with its exit code and output. */
const mochaFile = (file, extraEnv) =>
  new Promise((resolve) => {
    const child = spawn('mocha', [file, '--timeout', '600000', '--slow', '30000'], { cwd: repoRoot, env: { ...env, ...extraEnv } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ file, code: code ?? 1, output }));
  });

/** Runs the NUT files `parallel` at a time, longest first, printing each file's output as it ends. */
const runNuts = async (extraEnv, parallel) => {
  const known = knownDurations();
  const files = readdirSync(join(repoRoot, 'test', 'nuts'))
    .filter((name) => name.endsWith('.nut.ts'))
    .sort((a, b) => (known[b] ?? Infinity) - (known[a] ?? Infinity) || a.localeCompare(b))
    .map((name) => join('test', 'nuts', name));
  console.log(`\n== end-to-end tests: ${files.length} files, ${parallel} mocha processes at a time, longest first`);
  const queue = [...files];
  const results = [];
  const worker = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) {
      // eslint-disable-next-line no-await-in-loop
      const result = await mochaFile(file, extraEnv);
      console.log(`\n-- ${file} (exit ${result.code})\n${result.output}`);
      results.push(result);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
};

const args = process.argv.slice(2);
const only = args.find((arg) => arg === '--unit-only' || arg === '--nuts-only');
step('build', 'tsc', ['-p', '.']);
step('type-check tests', 'tsc', ['-p', 'test/tsconfig.json']);
step('lint', 'eslint', ['src', 'test', 'scripts']);
step('command snapshot', 'node', ['--import', 'tsx', 'bin/dev.js', 'snapshot:compare']);
if (only !== '--nuts-only') step('unit tests', 'mocha', ['test/**/*.test.ts']);
if (only !== '--unit-only') {
  const prepared = step('pack and install the plugin for the end-to-end tests', 'node', ['--import', 'tsx', 'test/support/prepareInstalled.ts'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const dataDir = prepared.stdout.trim().split('\n').at(-1);
  console.log(dataDir);
  const parallel = Math.max(2, Math.min(3, cpus().length));
  const results = await runNuts({ SF_CC_INSTALLED_PLUGIN_DATA: dataDir }, parallel);
  rmSync(join(dataDir, '..', '..', '..', '..'), { recursive: true, force: true });
  // The measured times order the next run here; --record-durations also writes them to the checkout.
  const measured = Object.fromEntries(
    Object.entries(fileTimes())
      .filter(([file]) => file.endsWith('.nut.ts'))
      .map(([file, ms]) => [file.split('/').at(-1), Math.round(ms / 1000)])
  );
  const merged = { ...knownDurations(), ...measured };
  mkdirSync(dirname(durationsCache), { recursive: true });
  writeFileSync(durationsCache, `${JSON.stringify(merged, null, 2)}\n`);
  if (args.includes('--record-durations')) writeFileSync(durationsFile, `${JSON.stringify(merged, null, 2)}\n`);
  const failed = results.filter((result) => result.code !== 0);
  if (failed.length > 0) fail(`end-to-end tests (${failed.map((result) => result.file).join(', ')})`, failed[0].code);
}
if (leftovers().length > 0) fail('temp folder check', 1);
console.log('\nAll tests passed.');
report();

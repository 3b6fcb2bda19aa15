// The test command: build, type-check the tests, lint, the command snapshot, unit tests, then the
// end-to-end tests (NUTs) that run the real sf CLI with this plugin against the project's fake
// Salesforce org. The NUT files run in two mocha processes side by side (each file has its own
// fake orgs and HOME), after the plugin has been packed and installed once for all of them.
// Every step runs with TMPDIR at an empty folder of this run; the run fails if the tests leave
// anything in it, and the folder is removed at the end, so the system temp folder stays as it was.
// Usage: npm test [-- --unit-only | --nuts-only]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, ensureNode22, repoRoot } from './node22.mjs';

ensureNode22();

/** This run's folder: the mocha counts, and testTmp, the TMPDIR of every step. Removed whatever happens. */
const runDir = mkdtempSync(join(tmpdir(), 'sf-cc-test-'));
process.once('exit', () => rmSync(runDir, { recursive: true, force: true }));
// Interrupted: exit (the handler above runs) once the step in progress has ended on the same signal.
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));
const statsFile = join(runDir, 'stats.jsonl');
const testTmp = join(runDir, 'tmp');
mkdirSync(testTmp);
const env = { ...process.env, PATH: binPath(), MOCHA_STATS_FILE: statsFile, TMPDIR: testTmp };

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

/** One closing line with the counts of every mocha run so far. */
const summary = () => {
  const runs = existsSync(statsFile) ? readFileSync(statsFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
  const total = (key) => runs.reduce((sum, run) => sum + (run[key] ?? 0), 0);
  return `${total('passes')} passed, ${total('failures')} failed, ${total('pending')} skipped`;
};

const fail = (title, status) => {
  reportLeftovers();
  console.error(`\n${title} failed (exit ${status}).`);
  console.log(summary());
  process.exit(typeof status === 'number' && status !== 0 ? status : 1);
};

const step = (title, command, args, options = {}) => {
  console.log(`\n== ${title}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: repoRoot, env, stdio: 'inherit', ...options });
  if (result.status !== 0) fail(title, result.status ?? result.signal);
  return result;
};

/** Rough run times (s) of the NUT files, to share them out evenly; a new file counts as 60 s. */
const WEIGHTS = {
  'parallel.nut.ts': 100, 'renewal.nut.ts': 130, 'renewalLimits.nut.ts': 130, 'crash.nut.ts': 120, 'trust.nut.ts': 75, 'trustDestinations.nut.ts': 45, 'trustFiles.nut.ts': 70,
  'networkFaults.nut.ts': 70, 'oauthErrors.nut.ts': 60, 'badInput.nut.ts': 45, 'login.nut.ts': 45, 'devhub.nut.ts': 35,
  'proxy.nut.ts': 30, 'registrationRace.nut.ts': 30, 'secretSources.nut.ts': 25, 'devhubExternalClientApp.nut.ts': 20,
  'compat.nut.ts': 120, 'resolvedTargets.nut.ts': 40,
};

/** The NUT files in two groups of about the same run time (longest first, each to the lighter group). */
const nutGroups = () => {
  const files = readdirSync(join(repoRoot, 'test', 'nuts')).filter((name) => name.endsWith('.nut.ts'));
  files.sort((a, b) => (WEIGHTS[b] ?? 60) - (WEIGHTS[a] ?? 60));
  const groups = [{ files: [], weight: 0 }, { files: [], weight: 0 }];
  for (const file of files) {
    const lighter = groups[0].weight <= groups[1].weight ? groups[0] : groups[1];
    lighter.files.push(join('test', 'nuts', file));
    lighter.weight += WEIGHTS[file] ?? 60;
  }
  return groups.map((group) => group.files).filter((group) => group.length > 0);
};

/** Runs a mocha process over some files, its output kept until it ends; resolves with its exit code and output. */
const mochaGroup = (files, extraEnv) =>
  new Promise((resolve) => {
    const child = spawn('mocha', [...files, '--timeout', '600000', '--slow', '30000'], { cwd: repoRoot, env: { ...env, ...extraEnv } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });

const only = process.argv[2];
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
  const groups = nutGroups();
  console.log(`\n== end-to-end tests, ${groups.length} mocha processes side by side:\n${groups.map((group) => `   ${group.join(' ')}`).join('\n')}`);
  const results = await Promise.all(groups.map((group) => mochaGroup(group, { SF_CC_INSTALLED_PLUGIN_DATA: dataDir })));
  rmSync(join(dataDir, '..', '..', '..', '..'), { recursive: true, force: true });
  results.forEach(({ output }, index) => console.log(`\n-- end-to-end tests, group ${index + 1}\n${output}`));
  const failed = results.find((result) => result.code !== 0);
  if (failed) fail('end-to-end tests', failed.code);
}
if (leftovers().length > 0) fail('temp folder check', 1);
console.log('\nAll tests passed.');
console.log(summary());

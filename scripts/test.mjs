// The test command: build, type-check the tests, unit tests, then the end-to-end tests (NUTs)
// that run the real sf CLI with this plugin linked, against the project's fake Salesforce org.
// Usage: npm test [-- --unit-only | --nuts-only]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binPath, ensureNode22, repoRoot } from './node22.mjs';

ensureNode22();

const statsFile = join(mkdtempSync(join(tmpdir(), 'sf-cc-stats-')), 'stats.jsonl');
const env = { ...process.env, PATH: binPath(), MOCHA_STATS_FILE: statsFile };

/** One closing line with the counts of every mocha run so far. */
const summary = () => {
  const runs = existsSync(statsFile) ? readFileSync(statsFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
  const total = (key) => runs.reduce((sum, run) => sum + (run[key] ?? 0), 0);
  return `${total('passes')} passed, ${total('failures')} failed, ${total('pending')} skipped`;
};

const step = (title, command, args) => {
  console.log(`\n== ${title}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: repoRoot, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n${title} failed (exit ${result.status ?? result.signal}).`);
    console.log(summary());
    process.exit(result.status || 1);
  }
};

const only = process.argv[2];
step('build', 'tsc', ['-p', '.']);
step('type-check tests', 'tsc', ['-p', 'test/tsconfig.json']);
step('lint', 'eslint', ['src', 'test', 'scripts']);
step('command snapshot', 'node', ['--import', 'tsx', 'bin/dev.js', 'snapshot:compare']);
if (only !== '--nuts-only') step('unit tests', 'mocha', ['test/**/*.test.ts']);
if (only !== '--unit-only') step('end-to-end tests', 'mocha', ['test/**/*.nut.ts', '--timeout', '600000', '--slow', '30000']);
console.log('\nAll tests passed.');
console.log(summary());

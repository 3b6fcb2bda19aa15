// The compatibility matrix: `npm run compat [-- --only 2.136.8@20 --only 2.150.6 --jobs 2 --cache DIR]`
//
// Installs each sf release of the matrix from the npm registry as users get it (npm pack, extract,
// npm install --omit=dev --ignore-scripts, which honours its npm-shrinkwrap.json), cached under
// .compat/ (git-ignored) so reruns are fast; packs this plugin once (scripts/pack.mjs); and for each
// sf × Node installs the packed plugin with `sf plugins install file:<tarball>` into an isolated
// HOME and runs the scenarios of test/compat/scenarios.ts against local fake orgs. Prints a table
// sf × Node × scenario, and for each ✗ the reason and the message the user got. Exit code 1 when
// any cell fails.
//
// Options (or the environment): --only SF[@NODE] (COMPAT_ONLY, comma-separated), --jobs N (COMPAT_JOBS,
// default 1: cells one after another, the scenarios of a cell side by side), --cache DIR
// (COMPAT_CACHE, default .compat/), --tarball FILE (COMPAT_TARBALL: a packed plugin to install instead of
// packing this checkout, e.g. an earlier build to compare). COMPAT_NODE20 names a Node 20 binary; by default the machine's
// `node` when it is Node 20, else `npm i node@20` into the cache.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureNode22, repoRoot } from './node22.mjs';

ensureNode22();
// The scenarios are TypeScript, shared with test/nuts/compat.nut.ts.
const { register } = await import('tsx/esm/api');
register();

const { values } = parseArgs({
  options: {
    only: { type: 'string', multiple: true, default: [] },
    jobs: { type: 'string' },
    cache: { type: 'string' },
    tarball: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});
const { MATRIX, formatTable, runMatrix } = await import('../test/compat/matrix.ts');
if (values.help) {
  console.log(`usage: npm run compat [-- --only SF[@NODE]... --jobs N --cache DIR --tarball FILE]\ncells: ${MATRIX.map((c) => `${c.sf}@${c.node}`).join(' ')}`);
  process.exit(0);
}
const only = [...values.only, ...(process.env.COMPAT_ONLY ?? '').split(',')].map((s) => s.trim()).filter(Boolean);
const jobs = Number(values.jobs ?? process.env.COMPAT_JOBS ?? 1);
const cache = values.cache ?? process.env.COMPAT_CACHE ?? join(repoRoot, '.compat');

const started = Date.now();
const tarball = values.tarball ?? process.env.COMPAT_TARBALL;
const reports = await runMatrix({ only, jobs: Number.isFinite(jobs) && jobs > 0 ? jobs : 1, cache, tarball });
console.log(`\nsf-plugin-client-credentials compatibility, ${new Date().toISOString().slice(0, 10)} (${Math.round((Date.now() - started) / 1000)} s)\n`);
console.log(formatTable(reports));
process.exit(reports.every((report) => Object.values(report.outcomes).every((outcome) => outcome.ok)) ? 0 : 1);

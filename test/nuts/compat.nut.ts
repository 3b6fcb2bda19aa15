import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCell, SCENARIOS, type Cell, type CellOutcomes } from '../compat/scenarios.js';
import { installSf, node20 } from '../compat/sfInstall.js';
import { REPO_ROOT } from '../support/sfHome.js';

/** The core-8 sf that CI runs on Node 20 (the other NUTs run the pinned newest sf on Node 22). */
const SF_VERSION = '2.136.8';

/**
 * The compatibility matrix's scenarios (test/compat/scenarios.ts, which `npm run compat` runs on
 * every sf users run) on one cell: sf 2.136.8 (@salesforce/core 8), installed from the npm
 * registry with its own shrinkwrap, run by Node 20, with the packed plugin installed by
 * `sf plugins install`. Everything it installs lives in a temporary folder, removed afterwards.
 */
describe(`compatibility: sf ${SF_VERSION} on Node 20, installed as users install it, end to end`, function () {
  this.timeout(1_200_000);
  let work: string;
  let outcomes: CellOutcomes | undefined;
  let setupError: Error | undefined;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'sf-cc-compat-nut-'));
    try {
      const node = await node20(join(work, 'install'));
      const nodeVersion = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '');
      const cell: Cell = { sf: SF_VERSION, sfRoot: await installSf(SF_VERSION, join(work, 'install')), node, nodeVersion };
      const { packPlugin } = (await import(join(REPO_ROOT, 'scripts', 'pack.mjs'))) as typeof import('../../scripts/pack.mjs');
      const tarball = await packPlugin(join(work, 'pack'));
      await mkdir(join(work, 'cell'));
      outcomes = await runCell(cell, tarball, join(work, 'cell'));
    } catch (error) {
      setupError = error as Error;
    }
  });

  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  for (const { id, title } of SCENARIOS) {
    it(title, () => {
      if (setupError) throw setupError;
      const outcome = outcomes?.[id];
      expect(outcome?.ok, outcome?.reason).to.equal(true);
    });
  }
});

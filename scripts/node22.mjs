// Re-runs the current script with the Node 22 binary of the npm `node` package when the Node
// running it is older: sf and @salesforce/core need Node 22, machines may have Node 20.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const node22 = join(repoRoot, 'node_modules', '.bin', 'node');

export const ensureNode22 = () => {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22) return;
  if (!existsSync(node22)) {
    console.error(`Node ${process.versions.node} is too old and ${node22} is missing: run npm ci first.`);
    process.exit(1);
  }
  const result = spawnSync(node22, process.argv.slice(1), { stdio: 'inherit' });
  process.exit(result.status ?? 1);
};

/** PATH with node_modules/.bin (Node 22, tsc, mocha, sf) first. */
export const binPath = () => `${join(repoRoot, 'node_modules', '.bin')}:${process.env.PATH ?? ''}`;

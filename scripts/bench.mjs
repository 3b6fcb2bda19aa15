// npm run bench: see scripts/bench/run.ts.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { binPath, ensureNode22, node22, repoRoot } from './node22.mjs';

ensureNode22();
const result = spawnSync(node22, ['--import', 'tsx', join(repoRoot, 'scripts', 'bench', 'run.ts')], {
  cwd: repoRoot,
  env: { ...process.env, PATH: binPath() },
  stdio: 'inherit',
});
process.exit(result.status ?? 1);

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where this checkout, the real sf CLI and Node 22 are, and the variables every sf that the tests
 * and benchmarks run gets, whatever else each adds: one place, so that a sandbox, the plugin's
 * install and the benchmark homes can't drift apart.
 */

/** The checkout of this plugin. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The real sf CLI, installed from the npm registry as a pinned devDependency. */
export const SF_RUN = join(REPO_ROOT, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js');
/** Node 22 from the npm `node` package (sf needs it), else the Node running the tests. */
export const NODE = existsSync(join(REPO_ROOT, 'node_modules', '.bin', 'node'))
  ? join(REPO_ROOT, 'node_modules', '.bin', 'node')
  : process.execPath;

/**
 * An sf of its own under `home` (its data, cache and config folders there too), with Node 22 first
 * on PATH, and nothing that would reach the network in the background: no telemetry, no update
 * check, no autoupdate (both spellings: sf reads SF_AUTOUPDATE_DISABLE, oclif's update hook, which
 * would start `sf update --autoupdate`, SF_DISABLE_AUTOUPDATE).
 */
export const sfHomeEnv = (home: string): Record<string, string> => ({
  HOME: home,
  USERPROFILE: home,
  XDG_DATA_HOME: join(home, '.local', 'share'),
  XDG_CACHE_HOME: join(home, '.cache'),
  XDG_CONFIG_HOME: join(home, '.config'),
  PATH: `${dirname(NODE)}:${process.env.PATH ?? ''}`,
  SF_DISABLE_TELEMETRY: 'true',
  SF_SKIP_NEW_VERSION_CHECK: 'true',
  SF_AUTOUPDATE_DISABLE: 'true',
  SF_DISABLE_AUTOUPDATE: 'true',
});

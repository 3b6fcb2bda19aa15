import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NODE, REPO_ROOT, SF_RUN, sfHomeEnv } from './sfHome.js';
import { countSfProcess } from './sfCount.js';
import { makeTempDir, removeTempDir } from './tempHome.js';

/**
 * This plugin as users get it: packed with `npm pack` and installed with `sf plugins install`,
 * as one bundle without dependencies, which runs on sf's own @salesforce/core. Made once per test
 * run (the install needs the npm registry and takes about 15 s); each sandbox then links to it.
 */

type Installed = { dataDir: string };
let installing: Promise<Installed> | undefined;

const run = (command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): string => {
  const result = spawnSync(command, args, { ...options, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stdout}\n${result.stderr}`);
  return result.stdout;
};

/**
 * Packs the plugin as npm pack would make it (scripts/pack.mjs), into `work`, and installs the
 * tarball into the sf under `home` with `sf plugins install`, as a user would. Leaves nothing
 * outside `work` and `home`.
 */
export const packAndInstall = async (work: string, home: string, env: NodeJS.ProcessEnv): Promise<void> => {
  const { packPlugin } = (await import(join(REPO_ROOT, 'scripts', 'pack.mjs'))) as typeof import('../../scripts/pack.mjs');
  const tarball = await packPlugin(work);
  await mkdir(join(home, '.config', 'sf'), { recursive: true });
  // sf asks before installing an unsigned plugin unless it is on this allow list.
  await writeFile(join(home, '.config', 'sf', 'unsignedPluginAllowList.json'), JSON.stringify(['sf-plugin-client-credentials', `file:${tarball}`]));
  // The install's temporary files (npm keeps Node's compile cache there) stay in `work` too.
  await mkdir(join(work, 'tmp'), { recursive: true });
  countSfProcess(['plugins', 'install']);
  run(NODE, [SF_RUN, 'plugins', 'install', `file:${tarball}`], { cwd: home, env: { ...env, TMPDIR: join(work, 'tmp') } });
};

const install = async (keep: boolean): Promise<Installed> => {
  // Built and packed outside the checkout; the install needs the npm registry (the environment's proxies).
  // Kept for the caller (the test command removes it), else removed when this process exits.
  const work = keep ? await mkdtemp(join(tmpdir(), 'sf-cc-installed-')) : await makeTempDir('sf-cc-installed-');
  try {
    const home = join(work, 'home');
    await packAndInstall(work, home, { ...process.env, ...sfHomeEnv(home) });
    const dataDir = join(home, '.local', 'share', 'sf');
    if (!existsSync(join(dataDir, 'node_modules', 'sf-plugin-client-credentials', 'package.json'))) {
      throw new Error(`sf plugins install left no plugin in ${dataDir}`);
    }
    return { dataDir };
  } catch (error) {
    await removeTempDir(work);
    throw error;
  }
};

/** Set by the test command to a data folder it prepared once for all the NUT processes of a run. */
const PREPARED = 'SF_CC_INSTALLED_PLUGIN_DATA';

/**
 * The data folder (~/.local/share/sf) of an sf with the packed plugin installed: the one the test
 * command prepared, else one made once per process (removed at exit unless `keep`).
 */
export const installedPluginData = (options: { keep?: boolean } = {}): Promise<Installed> => {
  const prepared = process.env[PREPARED];
  if (prepared && existsSync(join(prepared, 'node_modules', 'sf-plugin-client-credentials'))) return Promise.resolve({ dataDir: prepared });
  installing ??= install(options.keep === true);
  return installing;
};

/** Gives a sandbox's data folder the installed plugin: its package.json, and its node_modules linked (sf only reads them). */
export const useInstalledPlugin = async (dataDir: string, installed: Installed): Promise<void> => {
  await cp(join(installed.dataDir, 'package.json'), join(dataDir, 'package.json'));
  await symlink(join(installed.dataDir, 'node_modules'), join(dataDir, 'node_modules'), 'dir');
};

/**
 * sf releases and Node 20 as users get them, from the npm registry, for the compatibility matrix
 * (scripts/compat.mjs) and its NUT (test/nuts/compat.nut.ts).
 *
 * An sf release is installed as its installers do: `npm pack @salesforce/cli@V`, extract, then
 * `npm install --omit=dev --ignore-scripts` inside `package/`, which honours the release's
 * npm-shrinkwrap.json. A plain `npm install @salesforce/cli@V` floats sf's dependencies to their
 * newest versions, and the result crashes sf itself on Node 20.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { childOutput } from '../support/childOutput.js';
import { REPO_ROOT } from '../support/sfHome.js';

/** A command's outputs, or an error naming it with its exit code and the end of its output. */
const exec = async (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<string> => {
  const { code, stdout, stderr } = await childOutput(spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  if (code === 0) return stdout;
  throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${String(code)}: ${`${stdout}\n${stderr}`.trim().slice(-2000)}`);
};

/** The version `latest` stands for on the npm registry. */
export const latestSfVersion = async (): Promise<string> =>
  (await exec('npm', ['view', '@salesforce/cli', 'version'], REPO_ROOT)).trim();

/** Written last by installSf: an install without it was interrupted and is made again. */
const COMPLETE = '.complete';

/**
 * Installs sf `version` under `root` (`root/sf/<version>/package`), unless a complete install is
 * already there; resolves with the package folder (its bin/run.js is sf).
 */
export const installSf = async (version: string, root: string, log: (line: string) => void = () => {}): Promise<string> => {
  const dir = resolve(root, 'sf', version);
  const pkg = join(dir, 'package');
  if (existsSync(join(dir, COMPLETE)) && existsSync(join(pkg, 'bin', 'run.js'))) return pkg;
  log(`installing sf ${version} from the npm registry (npm pack, then npm install --omit=dev with its shrinkwrap) into ${dir}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await exec('npm', ['pack', `@salesforce/cli@${version}`, '--silent', '--pack-destination', dir], dir);
  const tarball = (await readdir(dir)).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack @salesforce/cli@${version} left no tarball in ${dir}`);
  await exec('tar', ['-xzf', tarball], dir);
  await rm(join(dir, tarball));
  await exec('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], pkg);
  await writeFile(join(dir, COMPLETE), `${new Date().toISOString()}\n`);
  return pkg;
};

const majorOf = (node: string): number | undefined => {
  const result = spawnSync(node, ['--version'], { encoding: 'utf8' });
  const match = /^v(\d+)\./.exec(result.stdout ?? '');
  return match ? Number(match[1]) : undefined;
};

/** A `node` of this major version on PATH, outside node_modules folders (the project's own Node 22 is there). */
const nodeOnPath = (major: number): string | undefined =>
  (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && !dir.includes('node_modules'))
    .map((dir) => join(dir, 'node'))
    .find((node) => existsSync(node) && majorOf(node) === major);

/**
 * A Node 20 binary: COMPAT_NODE20 when set, else the machine's `node` when it is Node 20, else the
 * npm `node` package at major 20 installed under `root` (`root/node20`).
 */
export const node20 = async (root: string, log: (line: string) => void = () => {}): Promise<string> => {
  const given = process.env.COMPAT_NODE20;
  if (given) {
    if (majorOf(given) !== 20) throw new Error(`COMPAT_NODE20=${given} is not a Node 20`);
    return given;
  }
  const onPath = nodeOnPath(20);
  if (onPath) return onPath;
  const prefix = resolve(root, 'node20');
  const binary = join(prefix, 'node_modules', '.bin', 'node');
  if (existsSync(binary) && majorOf(binary) === 20) return binary;
  log(`installing Node 20 (npm i node@20) into ${prefix}`);
  await mkdir(prefix, { recursive: true });
  await exec('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error', 'node@20'], prefix);
  if (majorOf(binary) !== 20) throw new Error(`npm i node@20 left no Node 20 at ${binary}`);
  return binary;
};

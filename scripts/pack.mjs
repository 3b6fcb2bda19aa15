// The plugin's tarball, as `npm pack` makes it, built outside this checkout:
//
//   node scripts/pack.mjs <destination folder>
//
// Copies what the package ships (package.json, README, messages/, schemas/) to a temporary folder,
// bundles lib/ there (scripts/build.mjs), writes oclif.manifest.json with oclif's own command,
// packs it with `npm pack --ignore-scripts` into the destination folder, and prints the tarball's
// absolute path as the last line of standard output. The checkout's working tree is not touched
// (no lib/, no manifest), so tests and benchmarks can call it while other work goes on.
// `sf plugins install file:<tarball>` installs the result.
//
// The packed package.json lists as dependencies only those the bundle still imports from
// node_modules (today none: @salesforce/core comes from the sf that runs the plugin, see
// src/extension/hostCore.ts, and the rest is inside the bundle), so `sf plugins install` fetches nothing.
// `npm pack` in the checkout (its prepack runs scripts/build.mjs) ships the same lib/ with the
// checkout's package.json as it is.
//
// From code: `import { packPlugin } from '<repo>/scripts/pack.mjs'; const tarball = await packPlugin(dir);`
import { spawnSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlugin } from './build.mjs';
import { binPath, repoRoot } from './node22.mjs';

/** Runs a command in `cwd` with TMPDIR at `tmp` (npm keeps Node's compile cache there). */
const run = (command, args, cwd, tmp) => {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: binPath(), TMPDIR: tmp },
  });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stdout}${result.stderr}`);
  }
  return result.stdout;
};

/** '@scope/name/sub' -> '@scope/name', 'name/sub' -> 'name'; undefined for Node's built-ins. */
const packageOf = (specifier) => {
  if (specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
};

/** Keeps in the staged package.json only the dependencies that the bundle imports from node_modules. */
const keepImportedDependencies = async (stage, metafile) => {
  const imported = new Set(
    Object.values(metafile.outputs)
      .flatMap((output) => output.imports)
      .filter((entry) => entry.external)
      .map((entry) => packageOf(entry.path))
  );
  const path = join(stage, 'package.json');
  const manifest = JSON.parse(await readFile(path, 'utf8'));
  manifest.dependencies = Object.fromEntries(Object.entries(manifest.dependencies ?? {}).filter(([name]) => imported.has(name)));
  await writeFile(path, `${JSON.stringify(manifest, null, 2)}\n`);
};

/** Builds and packs the plugin into `destination` (created if missing); resolves with the tarball's path. */
export const packPlugin = async (destination) => {
  const out = resolve(destination);
  await mkdir(out, { recursive: true });
  // The package is staged in scratch/package; scratch/tmp is the TMPDIR of the commands run on it.
  const scratch = await mkdtemp(join(tmpdir(), 'sf-cc-stage-'));
  const stage = join(scratch, 'package');
  const tmp = join(scratch, 'tmp');
  try {
    await mkdir(stage);
    await mkdir(tmp);
    for (const entry of await readdir(repoRoot)) {
      if (entry === 'package.json' || /^(readme|license|licence|changelog)(\.|$)/i.test(entry)) await cp(join(repoRoot, entry), join(stage, entry));
    }
    for (const folder of ['messages', 'schemas']) {
      if (existsSync(join(repoRoot, folder))) await cp(join(repoRoot, folder), join(stage, folder), { recursive: true });
    }
    await keepImportedDependencies(stage, await buildPlugin(stage));
    // oclif reads the commands' flags by importing them: the bundle's @salesforce/core comes from
    // this checkout's node_modules while it does.
    await symlink(join(repoRoot, 'node_modules'), join(stage, 'node_modules'), 'dir');
    run('oclif', ['manifest'], stage, tmp);
    await rm(join(stage, 'node_modules'));
    const packed = run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', out], stage, tmp);
    return join(out, packed.trim().split('\n').at(-1));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!process.argv[2]) {
    console.error('usage: node scripts/pack.mjs <destination folder>');
    process.exit(2);
  }
  console.log(await packPlugin(process.argv[2]));
}

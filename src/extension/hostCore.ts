import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The @salesforce/core of the sf CLI that runs this process ("the host core").
 *
 * The plugin ships without a copy of @salesforce/core: its login, its registration in the auth
 * store and every renewal go through the core that sf itself loaded. That core runs on the
 * user's Node (sf does), has the user's sf's file formats and locks, and logs through sf's own log
 * writer. A copy of the plugin's own would have to run on every Node that every sf supports,
 * which the newest core doesn't (it needs Node 22.19 or later), and would start a second log
 * writer.
 *
 * The host is found, in this order: the package folder of the oclif CLI whose bin script this
 * process runs (process.argv[1], e.g. .../@salesforce/cli/bin/run.js); else a core this process
 * has already loaded; else the one this file resolves (a checkout, in development and tests).
 * Node built-ins only: the prerun hook loads this before every sf command.
 */

type RequireFunction = ReturnType<typeof createRequire>;

export type HostCore = {
  /** Requires a module as the host core would resolve it ('@salesforce/core', '@salesforce/core/messages', ...). */
  require: RequireFunction;
  /** Where the host's @salesforce/core/package.json is. */
  packageRoot: string;
  version: string;
  /** How it was found. */
  source: 'cli' | 'loaded' | 'own';
};

/** The major versions of @salesforce/core the plugin was written and tested against (sf 2.116 to 2.150). */
export const SUPPORTED_CORE_MAJORS = [8, 9];

/** Whether the plugin works with this version of @salesforce/core. */
export const isSupportedCoreVersion = (version: string): boolean => SUPPORTED_CORE_MAJORS.includes(Number(version.split('.')[0]));

/** The version of the CLI whose bin script this process runs (sf's), when it can be read. */
export const cliVersion = (script: string | undefined = process.argv[1]): string | undefined => {
  const root = cliRootOf(script);
  try {
    return root ? (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version : undefined;
  } catch {
    return undefined;
  }
};

const FOUND = Symbol.for('sf-plugin-client-credentials.hostCore');
type Holder = { [FOUND]?: HostCore | null };

/** The folder of the nearest package.json above `start` that has an oclif section (a CLI's root), up to 6 levels. */
export const oclifRootAbove = (start: string): string | undefined => {
  let dir = start;
  for (let level = 0; level < 6; level++) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { oclif?: unknown };
      if (manifest.oclif && typeof manifest.oclif === 'object') return dir;
    } catch {
      // no package.json here, or not JSON
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
};

/** The root of the CLI whose bin script this process runs, if it is an oclif CLI. */
export const cliRootOf = (script: string | undefined = process.argv[1]): string | undefined => {
  if (!script) return undefined;
  try {
    return oclifRootAbove(dirname(realpathSync(script)));
  } catch {
    return undefined;
  }
};

/** The version of the @salesforce/core package that holds this resolved file, and its folder. */
export const corePackageOf = (resolvedFile: string): { packageRoot: string; version: string } | undefined => {
  let dir = dirname(resolvedFile);
  for (let level = 0; level < 4; level++) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === '@salesforce/core') return { packageRoot: dir, version: manifest.version ?? '' };
    } catch {
      // not the package root yet
    }
    dir = dirname(dir);
  }
  return undefined;
};

/** A host core as the code of one file resolves it, or undefined when it resolves none. */
const coreFrom = (file: string, source: HostCore['source']): HostCore | undefined => {
  try {
    const require = createRequire(file);
    const found = corePackageOf(require.resolve('@salesforce/core'));
    return found ? { require, ...found, source } : undefined;
  } catch {
    return undefined;
  }
};

/** A @salesforce/core index that this process has loaded already, if any. */
const loadedCoreIndex = (cache: Record<string, unknown>): string | undefined => {
  const suffix = `${sep}@salesforce${sep}core${sep}lib${sep}index.js`;
  return Object.keys(cache).find((path) => path.endsWith(suffix));
};

/** Finds the host core (see above); `own` is where this file is, for the last resort. */
export const findHostCore = (options: { script?: string; cache?: Record<string, unknown>; own?: string } = {}): HostCore | undefined => {
  const cliRoot = cliRootOf(options.script ?? process.argv[1]);
  const fromCli = cliRoot ? coreFrom(join(cliRoot, 'package.json'), 'cli') : undefined;
  if (fromCli) return fromCli;
  const loaded = loadedCoreIndex(options.cache ?? createRequire(import.meta.url).cache);
  const fromLoaded = loaded ? coreFrom(loaded, 'loaded') : undefined;
  if (fromLoaded) return fromLoaded;
  return coreFrom(options.own ?? fileURLToPath(import.meta.url), 'own');
};

/** The host core of this process, found once (see findHostCore); undefined when there is none. */
export const hostCore = (): HostCore | undefined => {
  const holder = globalThis as Holder;
  if (holder[FOUND] === undefined) holder[FOUND] = findHostCore() ?? null;
  return holder[FOUND] ?? undefined;
};

/**
 * Requires a module of the host core ('@salesforce/core' or one of its subpaths). The bundled
 * plugin's imports of @salesforce/core (its own and sf-plugins-core's) all come here (see
 * scripts/build.mjs). Throws a plain Error naming what is missing when sf has no core.
 */
export const requireHostCore = <T = unknown>(specifier = '@salesforce/core'): T => {
  const host = hostCore();
  if (!host) {
    throw new Error(
      'sf-plugin-client-credentials: this sf CLI has no @salesforce/core that the plugin can use. Run the plugin inside sf (sf plugins install sf-plugin-client-credentials).'
    );
  }
  return host.require(specifier) as T;
};

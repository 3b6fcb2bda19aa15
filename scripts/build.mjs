// The plugin as it ships: the command and the prerun hook bundled with esbuild.
//
//   node scripts/build.mjs [<package folder>]     (default: this checkout)
//
// Writes <package folder>/lib/ (removed first) and nothing else:
// - lib/bundle/: the command (command.js and the chunks it loads, some only on demand);
// - lib/commands/org/login/client-credentials.js: a one-line entry that re-exports it, at the path
//   package.json's oclif section names;
// - lib/hooks/: the prerun hook (prerun.js and the chunks it loads, most only on demand), built
//   apart from the command: every sf command loads it;
// - lib/bundle/sf-plugins-core/messages/: sf-plugins-core's messages, which its bundled code reads.
//
// What is bundled: this plugin's src/, @salesforce/sf-plugins-core, @oclif/core and what they use.
// What is not: @salesforce/core. The plugin ships no copy of it: every import of it is served by
// the core of the sf that runs the plugin (src/extension/hostCore.ts), which runs on the user's
// Node, writes sf's files the way that sf does and logs through sf's log writer. So the package
// has no dependencies at all. sf-plugins-core imports core's index, which loads all of core and
// jsforce (about 900 modules): in the bundle its imports are served from core's light subpaths
// instead (see CORE_INDEX_FOR_SF_PLUGINS_CORE); the heavy names it never uses in this command are
// loaded from core's index on first use.
// @oclif/table (ink, react, yoga) is left out: this command prints no table.
// No test-only code ships: the crash tests' seam (src/shared/crashPoint.ts) is a step that does
// nothing in the bundle (see NO_CRASH_POINT); the crash tests run the tsc build (`sf plugins link`).
//
// oclif's manifest is written by scripts/pack.mjs (or by `npm pack`'s prepack), not here.
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from './node22.mjs';

const require = createRequire(import.meta.url);

/** src/extension/hostCore.ts: finds the @salesforce/core of the sf that runs the plugin. */
const HOST_CORE_MODULE = join(repoRoot, 'src', 'extension', 'hostCore.ts');

/** A name that can be exported as it is. */
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The names a module of @salesforce/core exports, as the checkout's core (the one the plugin is
 * built and type-checked against) has them. Throws when the checkout's core has no such module.
 */
export const coreExportNames = (specifier) => {
  const exported = require(require.resolve(specifier, { paths: [repoRoot] }));
  return Object.keys(exported).filter((name) => name !== 'default' && name !== '__esModule' && IDENTIFIER.test(name));
};

/**
 * A module of sf's @salesforce/core as an ES module of the bundle: its default export is the
 * module's exports, and each name the checkout's core exports is a named export read from the
 * host core. So a static or dynamic import of a name the module does not export fails the build
 * (esbuild: "No matching export"), not the user's first login, and a dynamic import gives the
 * module's names (a CommonJS stand-in would give only a default export).
 */
export const hostCoreModule = (specifier) => {
  const names = coreExportNames(specifier);
  return [
    `import { requireHostCore } from ${JSON.stringify(HOST_CORE_MODULE)};`,
    `const hostModule = requireHostCore(${JSON.stringify(specifier)});`,
    'export default hostModule;',
    ...names.map((name) => `export const ${name} = hostModule.${name};`),
    '',
  ].join('\n');
};

/**
 * What sf-plugins-core imports from '@salesforce/core' (its index), from the subpaths core exports
 * (loading core's index loads all of core and jsforce, about 900 modules, unless sf has already).
 * Names it uses only in code this command never runs (org flags, help sections, projects) come
 * from core's index when first touched.
 */
const CORE_INDEX_FOR_SF_PLUGINS_CORE = `
import { requireHostCore } from ${JSON.stringify(HOST_CORE_MODULE)};
export { Messages } from '@salesforce/core/messages';
export { SfError } from '@salesforce/core/sfError';
export { Lifecycle } from '@salesforce/core/lifecycle';
export { ConfigAggregator } from '@salesforce/core/configAggregator';
export { envVars, EnvironmentVariable, SUPPORTED_ENV_VARS } from '@salesforce/core/envVars';
export { Mode } from '@salesforce/core/global';
export { SFDX_ALLOWED_PROPERTIES } from '@salesforce/core/config';

let index;
const coreIndex = () => (index ??= requireHostCore('@salesforce/core'));
/** A stand-in for a class, object or array of core's index, loaded on first use. */
const onFirstUse = (name) => {
  const real = () => coreIndex()[name];
  return new Proxy(function () {}, {
    get: (_, key) => {
      const value = Reflect.get(real(), key);
      return typeof value === 'function' && key !== 'constructor' ? value.bind(real()) : value;
    },
    set: (_, key, value) => Reflect.set(real(), key, value),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      return descriptor ? { ...descriptor, configurable: true } : undefined;
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    apply: (_, self, args) => Reflect.apply(real(), self, args),
    construct: (_, args) => Reflect.construct(real(), args),
  });
};
export const SfProject = onFirstUse('SfProject');
export const Org = onFirstUse('Org');
export const OrgConfigProperties = onFirstUse('OrgConfigProperties');
export const ORG_CONFIG_ALLOWED_PROPERTIES = onFirstUse('ORG_CONFIG_ALLOWED_PROPERTIES');
export const validateSalesforceId = (...args) => coreIndex().validateSalesforceId(...args);
export const validateApiVersion = (...args) => coreIndex().validateApiVersion(...args);
`;

const NO_TABLE = `
const unavailable = () => {
  throw new Error('sf-plugin-client-credentials: tables are not part of this bundle');
};
export const makeTable = unavailable;
export const printTable = unavailable;
`;

/** src/shared/crashPoint.ts as the bundle has it: no variable read, no process killed (the tsc build keeps the seam). */
const CRASH_POINT_MODULE = /[\\/]src[\\/]shared[\\/]crashPoint\.ts$/;
const NO_CRASH_POINT = `export const crashPoint = () => {};
`;

/** Where sf-plugins-core's bundled code finds its messages: lib/bundle/sf-plugins-core/messages. */
const SF_PLUGINS_CORE_MESSAGES = `__sfccSfPluginsCoreRoot()`;
const SF_PLUGINS_CORE_PRELUDE = `import { fileURLToPath as __sfccFileURLToPath } from 'node:url';
import { dirname as __sfccDirname, join as __sfccJoin } from 'node:path';
const __sfccSfPluginsCoreRoot = () => __sfccJoin(__sfccDirname(__sfccFileURLToPath(import.meta.url)), 'sf-plugins-core');
`;

export const shipping = {
  name: 'sf-plugin-client-credentials',
  setup(build) {
    // Every import of @salesforce/core is served by the core of the sf that runs the plugin
    // (src/extension/hostCore.ts); sf-plugins-core's imports of core's index by the light stand-in.
    build.onResolve({ filter: /^@salesforce\/core(\/.*)?$/ }, (args) =>
      args.path === '@salesforce/core' && /[\\/]node_modules[\\/]@salesforce[\\/]sf-plugins-core[\\/]/.test(args.importer)
        ? { path: 'core-index-for-sf-plugins-core', namespace: 'sfcc' }
        : { path: args.path, namespace: 'host-core' }
    );
    build.onLoad({ filter: /.*/, namespace: 'host-core' }, (args) => ({ contents: hostCoreModule(args.path), loader: 'js', resolveDir: repoRoot }));
    build.onResolve({ filter: /^@oclif\/table$/ }, () => ({ path: 'no-table', namespace: 'sfcc' }));
    build.onLoad({ filter: /^core-index-for-sf-plugins-core$/, namespace: 'sfcc' }, () => ({
      contents: CORE_INDEX_FOR_SF_PLUGINS_CORE,
      loader: 'js',
      resolveDir: repoRoot,
    }));
    build.onLoad({ filter: /^no-table$/, namespace: 'sfcc' }, () => ({ contents: NO_TABLE, loader: 'js' }));
    build.onLoad({ filter: CRASH_POINT_MODULE }, () => ({ contents: NO_CRASH_POINT, loader: 'js' }));
    // sf-plugins-core finds its messages next to its own files (import.meta.url): point it at the copy.
    build.onLoad({ filter: /[\\/]@salesforce[\\/]sf-plugins-core[\\/]lib[\\/].*\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const call = /Messages\.importMessagesDirectoryFromMetaUrl\(import\.meta\.url\)/g;
      if (!call.test(source)) return undefined;
      const contents = source.replace(
        call,
        `Messages.importMessagesDirectory(${SF_PLUGINS_CORE_MESSAGES}, false, '@salesforce/sf-plugins-core')`
      );
      return { contents: SF_PLUGINS_CORE_PRELUDE + contents, loader: 'js' };
    });
  },
};

/** Bundles the plugin into <packageRoot>/lib. Returns the outputs of esbuild's metafiles. */
export const buildPlugin = async (packageRoot = repoRoot) => {
  const esbuild = await import('esbuild');
  const lib = join(resolve(packageRoot), 'lib');
  await rm(lib, { recursive: true, force: true });
  const common = {
    absWorkingDir: repoRoot,
    chunkNames: '[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    // sf 2.116 to 2.146 run on Node 20.
    target: 'node20',
    mainFields: ['module', 'main'],
    // Loaded only when oclif reads a tsconfig or runs TypeScript, never in an installed plugin.
    external: ['typescript', 'ts-node', 'tsx', 'tsx/*'],
    // The CommonJS packages in the bundle require Node's built-ins.
    banner: { js: "import { createRequire as __sfccCreateRequire } from 'node:module'; const require = __sfccCreateRequire(import.meta.url);" },
    plugins: [shipping],
    sourcemap: false,
    metafile: true,
    logLevel: 'warning',
  };
  // Every file sits two folders below the package root, as src/<folder>/<file>.ts does:
  // src/shared/messages.ts finds messages/ from its own location.
  const command = await esbuild.build({
    ...common,
    entryPoints: { command: 'src/commands/org/login/client-credentials.ts' },
    outdir: join(lib, 'bundle'),
    // Class and function names as in the sources: sf prints a command's class name as the context of its errors.
    keepNames: true,
  });
  // The hook, which every sf command loads, on its own: its static part in as few files as can be
  // (the prerun file and the chunks it shares with the renewal it loads when one is due), none
  // shared with the command, without the helpers that keeping names adds to every file.
  const hook = await esbuild.build({
    ...common,
    entryPoints: { prerun: 'src/hooks/prerun.ts' },
    outdir: join(lib, 'hooks'),
  });
  // oclif finds the command at lib/commands/org/login/client-credentials.js (package.json's oclif section).
  await mkdir(join(lib, 'commands', 'org', 'login'), { recursive: true });
  await writeFile(join(lib, 'commands', 'org', 'login', 'client-credentials.js'), "export { default } from '../../../bundle/command.js';\n");
  const sfPluginsCore = join(dirname(require.resolve('@salesforce/sf-plugins-core')), '..');
  await cp(join(sfPluginsCore, 'messages'), join(lib, 'bundle', 'sf-plugins-core', 'messages'), { recursive: true });
  await cp(join(sfPluginsCore, 'LICENSE.txt'), join(lib, 'bundle', 'sf-plugins-core', 'LICENSE.txt'));
  return { outputs: { ...command.metafile.outputs, ...hook.metafile.outputs } };
};

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? repoRoot);
  const metafile = await buildPlugin(root);
  const outputs = Object.entries(metafile.outputs);
  const bytes = outputs.reduce((sum, [, output]) => sum + output.bytes, 0);
  console.log(`${join(root, 'lib')}: ${outputs.length} files, ${Math.round(bytes / 1024)} KiB`);
}

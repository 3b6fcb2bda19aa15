import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Makes `root` a package folder whose code resolves a @salesforce/core of this version, with
 * `indexSource` as its lib/index.js: a core of another version or shape, for the tests of how
 * the plugin finds and checks the core a command has loaded. Nothing is loaded here.
 */
export const writeFakeCorePackage = async (root: string, version: string, indexSource: string, rootManifest: object = {}): Promise<void> => {
  const core = join(root, 'node_modules', '@salesforce', 'core');
  await mkdir(join(core, 'lib'), { recursive: true });
  await writeFile(join(root, 'package.json'), JSON.stringify(rootManifest));
  await writeFile(join(core, 'package.json'), JSON.stringify({ name: '@salesforce/core', version, main: 'lib/index.js' }));
  await writeFile(join(core, 'lib', 'index.js'), indexSource);
};

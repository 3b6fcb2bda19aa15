import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { buildPlugin, coreExportNames, shipping } from '../../scripts/build.mjs';
import { rejection } from '../support/rejection.js';
import { REPO_ROOT } from '../support/sfHome.js';
import { useTempDir } from '../support/tempHome.js';

/** What only tests use: the crash seam's variable (src/shared/crashPoint.ts) and the test routes that HttpOptions.route replaced. */
const TEST_ONLY = ['SF_CLIENT_CREDENTIALS_TEST_CRASH', 'routeOriginForTests'];

/** Every file under a folder, as paths relative to it. */
const filesUnder = async (root: string): Promise<string[]> =>
  (await readdir(root, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath ?? entry.path, entry.name)));

describe('the shipped bundle (scripts/build.mjs)', function () {
  this.timeout(300_000);
  const tempDir = useTempDir();

  it('carries no test-only code: no crash seam, no test routes', async () => {
    const root = tempDir();
    await buildPlugin(root);
    const lib = join(root, 'lib');
    const files = await filesUnder(lib);
    expect(files).to.include.members([join('bundle', 'command.js'), join('hooks', 'prerun.js')]);
    const found: string[] = [];
    for (const file of files) {
      const text = await readFile(join(lib, file), 'utf8');
      found.push(...TEST_ONLY.filter((name) => text.includes(name)).map((name) => `${file}: ${name}`));
    }
    expect(found).to.deep.equal([]);
  });

  /** Bundles one entry file with the shipping plugin, as the build does. */
  const bundle = async (source: string): Promise<string> => {
    const esbuild = await import('esbuild');
    const dir = tempDir();
    await writeFile(join(dir, 'entry.ts'), source);
    const result = await esbuild.build({
      absWorkingDir: REPO_ROOT,
      entryPoints: [join(dir, 'entry.ts')],
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      outdir: join(dir, 'out'),
      plugins: [shipping],
      logLevel: 'silent',
      write: false,
    });
    return result.outputFiles.map((file) => file.text).join('\n');
  };

  it('fails the build on a name a module of core does not export', async () => {
    const error = await rejection<Error>(bundle("import { NoSuchExport } from '@salesforce/core/project';\nconsole.log(NoSuchExport);\n"));
    expect(error.message).to.match(/No matching export .*NoSuchExport/);
  });

  it('gives a dynamically imported module of core its named exports, read from the host core (not a default export alone)', async () => {
    const text = await bundle("const { SfProject } = await import('@salesforce/core/project');\nconsole.log(SfProject);\n");
    expect(text).to.match(/export\s*{[^}]*\bSfProject\b/);
    expect(text).to.include('requireHostCore("@salesforce/core/project")');
    expect(coreExportNames('@salesforce/core/project')).to.include('SfProject');
  });
});

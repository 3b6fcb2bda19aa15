import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { buildPlugin } from '../../scripts/build.mjs';
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
});

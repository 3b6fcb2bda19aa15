import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { cliRootOf, corePackageOf, findHostCore, oclifRootAbove } from '../../src/extension/hostCore.js';
import { writeFakeCorePackage } from '../support/fakeCore.js';
import { REPO_ROOT } from '../support/sfSandbox.js';
import { useTempDir } from '../support/tempHome.js';

describe('hostCore', () => {
  const tempDir = useTempDir();

  /** An oclif CLI folder (a package.json with an oclif section, bin/run.js) whose code resolves a core of this version. */
  const fakeCli = async (version: string): Promise<{ root: string; script: string }> => {
    const root = tempDir();
    await writeFakeCorePackage(root, version, 'module.exports = { version: "fake" };\n', { name: '@salesforce/cli', oclif: { bin: 'sf' } });
    await mkdir(join(root, 'bin'));
    await writeFile(join(root, 'bin', 'run.js'), '');
    return { root, script: join(root, 'bin', 'run.js') };
  };

  it('finds the oclif CLI whose bin script this process runs, and only an oclif one', async () => {
    const { root, script } = await fakeCli('8.27.0');
    expect(cliRootOf(script)).to.equal(root);
    expect(oclifRootAbove(join(root, 'bin'))).to.equal(root);
    const plain = tempDir();
    await writeFile(join(plain, 'package.json'), JSON.stringify({ name: 'not-a-cli' }));
    await writeFile(join(plain, 'x.js'), '');
    expect(oclifRootAbove(plain), 'no oclif section above a plain package (below the temp folder)').to.not.equal(plain);
    expect(cliRootOf(join(plain, 'missing.js'))).to.equal(undefined);
    expect(cliRootOf('')).to.equal(undefined);
  });

  it("takes the CLI's core first: sf's own, whatever core the plugin's folder would resolve", async () => {
    const { root, script } = await fakeCli('8.24.0');
    const host = findHostCore({ script, cache: {} });
    expect(host).to.include({ version: '8.24.0', source: 'cli', packageRoot: join(root, 'node_modules', '@salesforce', 'core') });
    expect(host?.require('@salesforce/core')).to.deep.equal({ version: 'fake' });
  });

  it('then a core this process has loaded, then the one this checkout resolves', async () => {
    const loaded = tempDir();
    await writeFakeCorePackage(loaded, '9.1.0', 'module.exports = {};\n');
    const index = join(loaded, 'node_modules', '@salesforce', 'core', 'lib', 'index.js');
    expect(findHostCore({ script: join(tempDir(), 'none.js'), cache: { [index]: {} } })).to.include({ version: '9.1.0', source: 'loaded' });
    const own = findHostCore({ script: join(tempDir(), 'none.js'), cache: {}, own: join(REPO_ROOT, 'package.json') });
    expect(own).to.include({ source: 'own' });
    expect(own?.version).to.match(/^9\./);
  });

  it('names the version of the package a resolved file belongs to', async () => {
    const root = tempDir();
    await writeFakeCorePackage(root, '8.30.3', '');
    expect(corePackageOf(join(root, 'node_modules', '@salesforce', 'core', 'lib', 'index.js'))).to.deep.equal({
      packageRoot: join(root, 'node_modules', '@salesforce', 'core'),
      version: '8.30.3',
    });
    expect(corePackageOf(join(tempDir(), 'lib', 'index.js'))).to.equal(undefined);
  });
});

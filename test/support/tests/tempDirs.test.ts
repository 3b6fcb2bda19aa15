import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../sfHome.js';
import { makeTempDir, removeTempDir, useOwnTmpdir, useTempDir } from '../tempHome.js';

/** What a folder holds, but tsx's own transpile cache (tsx-<uid>), which a child run under tsx makes. */
const entries = async (dir: string): Promise<string[]> => (await readdir(dir)).filter((name) => !/^tsx-\d+$/.test(name));

/** The test command fails a run that leaves anything in the temp folder: these helpers leave nothing. */
describe('makeTempDir', () => {
  const scratch = useTempDir();

  it('makes an empty folder in os.tmpdir() named by the prefix, and removeTempDir removes it', async () => {
    const dir = await makeTempDir('cc-made-');
    expect(dirname(dir)).to.equal(tmpdir());
    expect(basename(dir)).to.match(/^cc-made-.{6}$/);
    expect(await readdir(dir)).to.deep.equal([]);
    await writeFile(join(dir, 'file'), 'x');
    await removeTempDir(dir);
    expect(existsSync(dir)).to.equal(false);
  });

  it('removes, when the process exits, what a failing process made and never removed', async () => {
    const childTmp = join(scratch(), 'tmp');
    await mkdir(childTmp);
    const script = join(scratch(), 'child.mjs');
    await writeFile(
      script,
      [
        `import { makeTempDir, removeTempDir } from ${JSON.stringify(join(REPO_ROOT, 'test', 'support', 'tempHome.ts'))};`,
        "import { writeFileSync } from 'node:fs';",
        "const kept = await makeTempDir('cc-kept-');",
        "writeFileSync(kept + '/file', 'x');",
        "await removeTempDir(await makeTempDir('cc-removed-'));",
        "await makeTempDir('cc-also-kept-');",
        'console.log(kept);',
        "throw new Error('the test failed');",
      ].join('\n')
    );
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, env: { ...process.env, TMPDIR: childTmp }, encoding: 'utf8' });
    expect(child.status, child.stderr).to.equal(1);
    expect(child.stderr).to.include('the test failed');
    expect(child.stdout).to.include(join(childTmp, 'cc-kept-'));
    expect(await entries(childTmp)).to.deep.equal([]);
  });
});

describe('useOwnTmpdir', () => {
  const outside = { tmpdir: tmpdir(), TMPDIR: process.env.TMPDIR };
  const seen: { dirs: string[] } = { dirs: [] };

  describe('during the describe', () => {
    useOwnTmpdir();

    it('points os.tmpdir() at a fresh folder inside the one outside', async () => {
      expect(dirname(tmpdir())).to.equal(outside.tmpdir);
      expect(basename(tmpdir())).to.match(/^cc-tmpdir-/);
      expect(await readdir(tmpdir())).to.deep.equal([]);
      // What is written there under a fixed name, as core's TestContext writes its alias file.
      await mkdir(join(tmpdir(), '.sfdx'));
      await writeFile(join(tmpdir(), '.sfdx', 'alias.json'), '{}');
      seen.dirs.push(tmpdir());
    });

    it('keeps the same folder for the whole describe', () => {
      expect(tmpdir()).to.equal(seen.dirs[0]);
    });
  });

  describe('after the describe', () => {
    it('has put TMPDIR back and removed the folder with all in it', () => {
      expect(seen.dirs).to.have.length(1);
      expect(process.env.TMPDIR).to.equal(outside.TMPDIR);
      expect(tmpdir()).to.equal(outside.tmpdir);
      expect(existsSync(seen.dirs[0])).to.equal(false);
    });
  });
});

import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { readIfExists, restoreFile, writeFileAtomic } from '../../src/store/files.js';
import { rejection } from '../support/rejection.js';
import { useTempDir } from '../support/tempHome.js';

const FILES_MODULE = fileURLToPath(new URL('../../src/store/files.ts', import.meta.url));

const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe('files', () => {
  const tempDir = useTempDir();
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });

  describe('writeFileAtomic', () => {
    it('creates a file, and its folders, with the new-file mode', async () => {
      const path = join(dir, 'a', 'b', 'auth.json');
      await writeFileAtomic(path, '{"x":1}');
      expect(await readFile(path, 'utf8')).to.equal('{"x":1}');
      expect(await modeOf(path)).to.equal(0o600);
      await writeFileAtomic(join(dir, 'alias.json'), '{}', 0o644);
      expect(await modeOf(join(dir, 'alias.json'))).to.equal(0o644);
    });

    for (const mode of [0o644, 0o640, 0o664, 0o600]) {
      it(`replaces an existing file and keeps its mode ${mode.toString(8)}`, async () => {
        const path = join(dir, 'state.json');
        await writeFile(path, 'old');
        await chmod(path, mode);
        await writeFileAtomic(path, 'new', 0o600);
        expect(await readFile(path, 'utf8')).to.equal('new');
        expect(await modeOf(path)).to.equal(mode);
      });
    }

    it('leaves no temporary file behind', async () => {
      const path = join(dir, 'state.json');
      await writeFileAtomic(path, 'one');
      await writeFileAtomic(path, 'two');
      await Promise.all([writeFileAtomic(path, 'three'), writeFileAtomic(path, 'four')]);
      expect(await readdir(dir)).to.deep.equal(['state.json']);
      expect(['three', 'four']).to.include(await readFile(path, 'utf8'));
    });

    it('removes its temporary file when the rename fails', async () => {
      const path = join(dir, 'taken');
      await mkdir(join(path, 'child'), { recursive: true });
      const error = await rejection<NodeJS.ErrnoException>(writeFileAtomic(path, 'data'));
      expect(error.code).to.be.oneOf(['EISDIR', 'ENOTEMPTY', 'EEXIST']);
      expect(await readdir(dir)).to.deep.equal(['taken']);
    });

    it('removes its temporary file, which holds the new bytes, when writing it fails (a full disk, here a file size limit)', async () => {
      const path = join(dir, 'user@acme.com.json');
      await writeFile(path, 'old');
      // In a child process under a 64-byte file size limit (prlimit): the write fails with EFBIG, for root too.
      const code = `const { writeFileAtomic } = await import(${JSON.stringify(FILES_MODULE)});
        try { await writeFileAtomic(${JSON.stringify(path)}, 'x'.repeat(4096)); } catch (error) { process.stdout.write(error.code); }`;
      const run = spawnSync('prlimit', ['--fsize=64', '--', process.execPath, '--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
      expect(run.stdout, run.stderr).to.equal('EFBIG');
      expect(await readdir(dir)).to.deep.equal(['user@acme.com.json']);
      expect(await readFile(path, 'utf8')).to.equal('old');
    });
  });

  describe('readIfExists', () => {
    it('reads a file, or returns undefined when there is none', async () => {
      await writeFile(join(dir, 'f'), 'bytes');
      expect(await readIfExists(join(dir, 'f'))).to.equal('bytes');
      expect(await readIfExists(join(dir, 'missing'))).to.equal(undefined);
    });

    it('throws other errors', async () => {
      expect((await rejection<NodeJS.ErrnoException>(readIfExists(dir))).code).to.equal('EISDIR');
    });
  });

  describe('restoreFile', () => {
    it('puts the old bytes back', async () => {
      const path = join(dir, 'alias.json');
      await writeFile(path, 'changed');
      await restoreFile(path, '{"orgs":{}}');
      expect(await readFile(path, 'utf8')).to.equal('{"orgs":{}}');
    });

    it('removes a file that did not exist before', async () => {
      const path = join(dir, 'new.json');
      await writeFile(path, 'created');
      await restoreFile(path, undefined);
      expect(await readdir(dir)).to.deep.equal([]);
      await restoreFile(path, undefined);
    });

    it('puts an empty file back as an empty file', async () => {
      const path = join(dir, 'empty.json');
      await writeFile(path, 'changed');
      await restoreFile(path, '');
      expect(await readFile(path, 'utf8')).to.equal('');
    });
  });
});

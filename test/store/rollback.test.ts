import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { Rollback } from '../../src/store/rollback.js';
import { useTempDir } from '../support/tempHome.js';

describe('Rollback', () => {
  const tempDir = useTempDir();

  /** Writes a file as the login does: recorded before and after. */
  const write = async (rollback: Rollback, path: string, text: string): Promise<void> => {
    await rollback.before(path);
    await writeFile(path, text);
    await rollback.written(path);
  };

  it('puts back the bytes a file had before its first write, and removes a file that did not exist', async () => {
    const changed = join(tempDir(), 'alias.json');
    const created = join(tempDir(), 'user@acme.com.json');
    await writeFile(changed, 'before');
    const rollback = new Rollback();
    await write(rollback, changed, 'first write');
    // A second write of the same file keeps the bytes from before the first.
    await write(rollback, changed, 'second write');
    await write(rollback, created, 'new');

    await rollback.restore();

    expect(await readFile(changed, 'utf8')).to.equal('before');
    expect(await readdir(tempDir())).to.deep.equal(['alias.json']);
  });

  it('leaves a file that another process has written since: only what this login wrote is undone', async () => {
    const path = join(tempDir(), 'config.json');
    await writeFile(path, 'before');
    const rollback = new Rollback();
    await write(rollback, path, 'this login');
    await writeFile(path, 'another process');

    await rollback.restore();

    expect(await readFile(path, 'utf8')).to.equal('another process');
  });

  it('runs every undo step, even when one of them fails, and never throws', async () => {
    const path = join(tempDir(), 'config.json');
    await writeFile(path, 'before');
    const rollback = new Rollback();
    await write(rollback, path, 'after');
    const undone: string[] = [];
    rollback.add(() => Promise.reject(new Error('undo failed')));
    rollback.add(() => {
      undone.push('second');
      return Promise.resolve();
    });

    await rollback.restore();

    expect(undone).to.deep.equal(['second']);
    expect(await readFile(path, 'utf8')).to.equal('before');
  });
});

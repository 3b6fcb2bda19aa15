import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { Rollback } from '../../src/store/rollback.js';
import { useTempDir } from '../support/tempHome.js';

describe('Rollback', () => {
  const tempDir = useTempDir();

  it('puts back the bytes a file had before its first write, and removes a file that did not exist', async () => {
    const changed = join(tempDir(), 'alias.json');
    const created = join(tempDir(), 'user@acme.com.json');
    await writeFile(changed, 'before');
    const rollback = new Rollback();
    await rollback.before(changed);
    await writeFile(changed, 'first write');
    // A second before() of the same file keeps the bytes of the first.
    await rollback.before(changed);
    await writeFile(changed, 'second write');
    await rollback.before(created);
    await writeFile(created, 'new');

    await rollback.restore();

    expect(await readFile(changed, 'utf8')).to.equal('before');
    expect(await readdir(tempDir())).to.deep.equal(['alias.json']);
  });

  it('runs every undo step, even when one of them fails, and never throws', async () => {
    const path = join(tempDir(), 'config.json');
    await writeFile(path, 'before');
    const rollback = new Rollback();
    await rollback.before(path);
    await writeFile(path, 'after');
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

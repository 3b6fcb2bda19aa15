import { appendFile, chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { sfLogTexts, snapshotHome, snapshotSfState } from '../sfState.js';
import { useTempDir } from '../tempHome.js';

/** The helper that proves a failed login changed nothing must itself see every change. */
describe('snapshotSfState', () => {
  const tempDir = useTempDir();
  let home: string;
  beforeEach(() => {
    home = tempDir();
  });

  const populate = async (): Promise<void> => {
    await mkdir(join(home, '.sfdx'), { recursive: true });
    await mkdir(join(home, '.sf'), { recursive: true });
    await writeFile(join(home, '.sfdx', 'alias.json'), '{"orgs":{"ci":"a@b.c"}}');
    await writeFile(join(home, '.sfdx', 'key.json'), '{"key":"k"}', { mode: 0o600 });
    await writeFile(join(home, '.sf', 'config.json'), '{}');
    await writeFile(join(home, '.sf', 'sf-2026-01-01.log'), 'line\n');
  };

  it('is empty for a HOME without sf state, and ignores other folders', async () => {
    await mkdir(join(home, '.cache'));
    await writeFile(join(home, '.cache', 'x'), 'x');
    expect(await snapshotSfState(home)).to.deep.equal({});
  });

  it("ignores sf's log files, and ~/.sf when it holds nothing else", async () => {
    await mkdir(join(home, '.sf'));
    await writeFile(join(home, '.sf', 'sf-2026-01-01.log'), 'first run\n');
    expect(await snapshotSfState(home)).to.deep.equal({});
    await populate();
    const before = await snapshotSfState(home);
    await appendFile(join(home, '.sf', 'sf-2026-01-01.log'), 'another run\n');
    await writeFile(join(home, '.sf', 'sf-2026-01-02.log'), 'next day\n');
    expect(await snapshotSfState(home)).to.deep.equal(before);
  });

  for (const [what, change] of [
    ['one changed byte', (h: string): Promise<void> => writeFile(join(h, '.sfdx', 'alias.json'), '{"orgs":{"ci":"a@b.d"}}')],
    ['a new file', (h: string): Promise<void> => writeFile(join(h, '.sfdx', 'other@b.c.json'), '{}')],
    ['a removed file', (h: string): Promise<void> => rm(join(h, '.sf', 'config.json'))],
    ['a changed mode', (h: string): Promise<void> => chmod(join(h, '.sfdx', 'key.json'), 0o644)],
    ['a left-over lock folder', (h: string): Promise<void> => mkdir(join(h, '.sfdx', 'alias.json.lock')).then(() => undefined)],
    ['a log file in a sub-folder', (h: string): Promise<void> => mkdir(join(h, '.sfdx', 'logs')).then(() => writeFile(join(h, '.sfdx', 'logs', 'a.log'), ''))],
  ] as Array<[string, (h: string) => Promise<void>]>) {
    it(`sees ${what}`, async () => {
      await populate();
      const before = await snapshotSfState(home);
      await change(home);
      expect(await snapshotSfState(home)).not.to.deep.equal(before);
    });
  }

  it('snapshotHome sees all of HOME, a file far from ~/.sfdx too, but sf\'s logs and caches', async () => {
    await populate();
    await mkdir(join(home, '.cache', 'sf'), { recursive: true });
    const before = await snapshotHome(home);
    await writeFile(join(home, '.cache', 'sf', 'manifest.json'), '{}');
    await appendFile(join(home, '.sf', 'sf-2026-01-01.log'), 'more\n');
    expect(await snapshotHome(home)).to.deep.equal(before);
    await mkdir(join(home, 'victim'));
    await writeFile(join(home, 'victim', 'settings.json'), '{"accessToken":"x"}');
    expect(await snapshotHome(home)).not.to.deep.equal(before);
  });

  it("sfLogTexts reads sf's own log files in ~/.sf, nothing else, and nothing without ~/.sf", async () => {
    expect(await sfLogTexts(home)).to.deep.equal([]);
    await populate();
    await mkdir(join(home, '.sf', 'sub'));
    await writeFile(join(home, '.sf', 'sub', 'other.log'), 'not sf\'s\n');
    expect(await sfLogTexts(home)).to.deep.equal(['line\n']);
  });
});

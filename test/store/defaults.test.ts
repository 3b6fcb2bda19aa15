import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { defaultsConfigPath, setDefaults } from '../../src/store/defaults.js';
import { Rollback } from '../../src/store/rollback.js';
import { rejection } from '../support/rejection.js';
import { useTempDir, useTempHome } from '../support/tempHome.js';

describe('store: defaults (config.json)', () => {
  const home = useTempHome();
  const scratch = useTempDir();
  const read = async (path: string): Promise<unknown> => JSON.parse(await readFile(path, 'utf8')) as unknown;

  it("is the project's .sf/config.json inside a project (from any folder below it), else the global one", async () => {
    const project = join(scratch(), 'project');
    await mkdir(join(project, 'force-app', 'main'), { recursive: true });
    await writeFile(join(project, 'sfdx-project.json'), '{}');
    expect(defaultsConfigPath(join(project, 'force-app', 'main'))).to.deep.equal({ path: join(project, '.sf', 'config.json'), isGlobal: false });
    expect(defaultsConfigPath(scratch())).to.deep.equal({ path: join(home(), '.sf', 'config.json'), isGlobal: true });
  });

  it('sets target-org and target-dev-hub as asked, keeping the other settings, with no temporary file left', async () => {
    const path = join(home(), '.sf', 'config.json');
    await mkdir(join(home(), '.sf'));
    await writeFile(path, JSON.stringify({ 'org-api-version': '65.0', 'target-org': 'old' }));
    await setDefaults(path, 'ci', { org: true, devHub: false }, new Rollback());
    expect(await read(path)).to.deep.equal({ 'org-api-version': '65.0', 'target-org': 'ci' });
    await setDefaults(path, 'hub', { org: false, devHub: true }, new Rollback());
    expect(await read(path)).to.deep.equal({ 'org-api-version': '65.0', 'target-org': 'ci', 'target-dev-hub': 'hub' });
    expect(await readdir(join(home(), '.sf'))).to.deep.equal(['config.json']);
  });

  it('creates the file, and its folder, when there is none; an empty file counts as no settings', async () => {
    const path = join(scratch(), 'p', '.sf', 'config.json');
    await setDefaults(path, 'ci', { org: true, devHub: true }, new Rollback());
    expect(await read(path)).to.deep.equal({ 'target-org': 'ci', 'target-dev-hub': 'ci' });
    await writeFile(path, '  \n');
    await setDefaults(path, 'other', { org: true, devHub: false }, new Rollback());
    expect(await read(path)).to.deep.equal({ 'target-org': 'other' });
  });

  it('records its write for the rollback: restore puts the file back, or removes the one it created', async () => {
    const existing = join(home(), '.sf', 'config.json');
    await mkdir(join(home(), '.sf'));
    await writeFile(existing, '{"target-org":"old"}');
    const created = join(scratch(), '.sf', 'config.json');
    const rollback = new Rollback();
    await setDefaults(existing, 'ci', { org: true, devHub: false }, rollback);
    await setDefaults(created, 'ci', { org: true, devHub: false }, rollback);
    await rollback.restore();
    expect(await readFile(existing, 'utf8')).to.equal('{"target-org":"old"}');
    expect(existsSync(created)).to.equal(false);
  });

  it('fails on a config.json that is not JSON, and leaves it as it was', async () => {
    const path = join(home(), '.sf', 'config.json');
    await mkdir(join(home(), '.sf'));
    await writeFile(path, '{ broken');
    expect(await rejection(setDefaults(path, 'ci', { org: true, devHub: false }, new Rollback()))).to.be.instanceOf(SyntaxError);
    expect(await readFile(path, 'utf8')).to.equal('{ broken');
  });
});

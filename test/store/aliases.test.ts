import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { aliasOf, ensureAliasFile, restoreAlias, setAlias } from '../../src/store/aliases.js';
import { USERNAME } from '../support/registrationInput.js';
import { useTempHome } from '../support/tempHome.js';

/** alias.json as sf and parallel sf processes share it. */
describe('aliases', () => {
  const tempHome = useTempHome();
  let home: string;
  let aliasPath: string;

  const aliases = async (): Promise<Record<string, string>> =>
    (JSON.parse(await readFile(aliasPath, 'utf8')) as { orgs: Record<string, string> }).orgs;

  beforeEach(() => {
    home = tempHome();
    aliasPath = join(home, '.sfdx', 'alias.json');
  });

  describe('aliasOf', () => {
    it('gives the first alias that names the username, as sf org list shows it', async () => {
      await mkdir(join(home, '.sfdx'));
      await writeFile(aliasPath, JSON.stringify({ orgs: { other: 'other@acme.com', ci: USERNAME, second: USERNAME } }));
      expect(await aliasOf(USERNAME)).to.equal('ci');
      expect(await aliasOf('nobody@acme.com')).to.equal(undefined);
    });

    it('gives none without an alias file', async () => {
      expect(await aliasOf(USERNAME)).to.equal(undefined);
    });
  });

  describe('ensureAliasFile', () => {
    it('creates an empty alias file, readable by sf, with the mode sf gives it', async () => {
      await ensureAliasFile();
      expect(await readFile(aliasPath, 'utf8')).to.equal('{"orgs":{}}');
      expect((await stat(aliasPath)).mode & 0o777).to.equal(0o644);
      expect(await readdir(join(home, '.sfdx'))).to.deep.equal(['alias.json']);
    });

    it('leaves an existing alias file byte for byte', async () => {
      await mkdir(join(home, '.sfdx'));
      await writeFile(aliasPath, '{ "orgs": { "a": "a@b.c" } }\n');
      await ensureAliasFile();
      expect(await readFile(aliasPath, 'utf8')).to.equal('{ "orgs": { "a": "a@b.c" } }\n');
    });
  });

  describe('restoreAlias', () => {
    const original = '{ "orgs": { "keep": "k@acme.com", "ci": "old@acme.com" } }\n';
    beforeEach(async () => {
      await mkdir(join(home, '.sfdx'));
      await writeFile(aliasPath, original);
    });

    it('puts the old bytes back when no one changed alias.json since', async () => {
      const change = await setAlias('ci', USERNAME);
      expect(change.previous).to.equal('old@acme.com');
      await restoreAlias('ci', USERNAME, change);
      expect(await readFile(aliasPath, 'utf8')).to.equal(original);
    });

    it('points the alias back to its previous target, keeping an alias set meanwhile', async () => {
      const change = await setAlias('ci', USERNAME);
      await setAlias('parallel', 'parallel@acme.com');
      await restoreAlias('ci', USERNAME, change);
      expect(await aliases()).to.deep.equal({ keep: 'k@acme.com', ci: 'old@acme.com', parallel: 'parallel@acme.com' });
    });

    it('removes an alias that did not exist before, keeping an alias set meanwhile', async () => {
      const change = await setAlias('new', USERNAME);
      await setAlias('parallel', 'parallel@acme.com');
      await restoreAlias('new', USERNAME, change);
      expect(await aliases()).to.deep.equal({ keep: 'k@acme.com', ci: 'old@acme.com', parallel: 'parallel@acme.com' });
    });

    it('leaves an alias that another process has pointed elsewhere meanwhile', async () => {
      const change = await setAlias('ci', USERNAME);
      await setAlias('ci', 'parallel@acme.com');
      await restoreAlias('ci', USERNAME, change);
      expect(await aliases()).to.deep.equal({ keep: 'k@acme.com', ci: 'parallel@acme.com' });
    });
  });
});

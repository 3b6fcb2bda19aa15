import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { StateAggregator } from '@salesforce/core';
import type { SfError } from '@salesforce/core/sfError';
import { TestContext } from '@salesforce/core/testSetup';
import { ensureAliasFile, restoreAlias, setAlias } from '../../src/store/aliases.js';
import { registerLogin } from '../../src/store/registration.js';
import { registrationInput, USERNAME } from '../support/registrationInput.js';
import { useTempHome } from '../support/tempHome.js';

const input = registrationInput({
  clientId: '3MVG9Concurrency',
  clientSecret: 'ConcurrencySecret-0123456789',
  accessToken: '00DXX0000000001!AQ4AQConcurrencyToken',
});

/** The parts of registration that parallel sf processes depend on. */
describe('registration with other processes around', () => {
  const $$ = new TestContext();
  const tempHome = useTempHome();
  let home: string;
  let aliasPath: string;

  const aliases = async (): Promise<Record<string, string>> =>
    (JSON.parse(await readFile(aliasPath, 'utf8')) as { orgs: Record<string, string> }).orgs;

  beforeEach(() => {
    home = tempHome();
    aliasPath = join(home, '.sfdx', 'alias.json');
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

  it('creates alias.json before @salesforce/core first reads its state (core would create it without a lock)', async () => {
    const seen: boolean[] = [];
    const original = StateAggregator.getInstance.bind(StateAggregator);
    $$.SANDBOX.stub(StateAggregator, 'getInstance').callsFake(() => {
      seen.push(existsSync(aliasPath));
      return original();
    });
    await registerLogin(input());
    expect(seen.length).to.be.greaterThan(0);
    expect(seen.every(Boolean), 'alias.json existed at every call').to.equal(true);
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

  it('a failed registration undoes its own alias but keeps the ones another process set meanwhile', async () => {
    await mkdir(join(home, '.sfdx'));
    await writeFile(aliasPath, JSON.stringify({ orgs: { keep: 'k@acme.com' } }));
    $$.configStubs.Config = {
      // While this login writes the config, another sf process sets an alias; then the write fails.
      writeFn: async (): Promise<never> => {
        await setAlias('parallel', 'parallel@acme.com');
        throw new Error('config disk full');
      },
    };
    let error: SfError | undefined;
    try {
      await registerLogin(input({ alias: 'ci', setDefault: true }));
    } catch (caught) {
      error = caught as SfError;
    }
    expect(error?.name).to.equal('RegistrationFailedError');
    expect(await aliases()).to.deep.equal({ keep: 'k@acme.com', parallel: 'parallel@acme.com' });
    expect(existsSync(join(home, '.sfdx', `${USERNAME}.json`))).to.equal(false);
  });
});

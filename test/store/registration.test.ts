import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { AuthInfo, StateAggregator } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import { EXPIRY_FIELD } from '../../src/preflight/authFields.js';
import { setAlias } from '../../src/store/aliases.js';
import { registerLogin } from '../../src/store/registration.js';
import { registrationInput, USERNAME } from '../support/registrationInput.js';
import { rejection } from '../support/rejection.js';
import { useTempHome } from '../support/tempHome.js';

const SECRET = 'RegistrationSecret-0123456789';
const TOKEN = '00DXX0000000001!AQ4AQRegistrationToken';
const input = registrationInput({ clientId: '3MVG9RegistrationClient', clientSecret: SECRET, accessToken: TOKEN });

describe('registration', () => {
  describe('registerLogin', () => {
    const $$ = new TestContext();
    const home = useTempHome();
    let sfdx: string;

    beforeEach(() => {
      sfdx = join(home(), '.sfdx');
    });

    const authFile = async (): Promise<Record<string, unknown>> =>
      JSON.parse(await readFile(join(sfdx, `${USERNAME}.json`), 'utf8')) as Record<string, unknown>;

    it('writes an auth file with the access token and client secret encrypted', async () => {
      const registration = await registerLogin(input());
      const raw = await readFile(join(sfdx, `${USERNAME}.json`), 'utf8');
      expect(raw).not.to.include(TOKEN);
      expect(raw).not.to.include(SECRET);
      const file = JSON.parse(raw) as Record<string, unknown>;
      expect(file).to.include({
        username: USERNAME,
        orgId: '00DXX0000000001EAA',
        instanceUrl: 'https://acme.my.salesforce.com',
        loginUrl: 'https://acme.my.salesforce.com',
        clientId: '3MVG9RegistrationClient',
        isDevHub: false,
        [EXPIRY_FIELD]: 1_700_007_200_000,
      });
      expect(file.accessToken).to.be.a('string').and.not.equal(TOKEN);
      expect(file.clientSecret).to.be.a('string').and.not.equal(SECRET);
      expect(file).not.to.have.property('refreshToken');
      expect((await stat(join(sfdx, `${USERNAME}.json`))).mode & 0o077).to.equal(0);
      expect(registration.fields).to.include({ username: USERNAME, accessToken: TOKEN });
      expect(registration.notices).to.deep.equal([]);
    });

    it('writes a file that @salesforce/core reads back and decrypts', async () => {
      await registerLogin(input());
      StateAggregator.clearInstance();
      $$.SANDBOXES.CONFIG.restore(); // read the real file, still with the test key
      const fields = (await AuthInfo.create({ username: USERNAME })).getFields(true);
      expect(fields).to.include({ accessToken: TOKEN, clientSecret: SECRET, orgId: '00DXX0000000001EAA' });
    });

    it('replaces an earlier login of another kind, dropping its refresh token', async () => {
      $$.SANDBOXES.CONFIG.restore(); // let core read the earlier auth file
      await mkdir(sfdx, { recursive: true });
      await writeFile(join(sfdx, `${USERNAME}.json`), JSON.stringify({ username: USERNAME, refreshToken: 'x', orgId: 'old' }));
      await registerLogin(input());
      const file = await authFile();
      expect(file.orgId).to.equal('00DXX0000000001EAA');
      expect(file).not.to.have.property('refreshToken');
    });

    it('sets the alias and keeps the other aliases', async () => {
      await mkdir(sfdx, { recursive: true });
      await writeFile(join(sfdx, 'alias.json'), JSON.stringify({ orgs: { other: 'someone@else.com' } }));
      const registration = await registerLogin(input({ alias: 'ci-org' }));
      expect(registration.warnings).to.deep.equal([]);
      expect(registration.notices).to.deep.equal([]);
      expect(JSON.parse(await readFile(join(sfdx, 'alias.json'), 'utf8'))).to.deep.equal({
        orgs: { other: 'someone@else.com', 'ci-org': USERNAME },
      });
      expect(await readdir(sfdx)).to.have.members([`${USERNAME}.json`, 'alias.json']);
    });

    it('reports an alias that pointed to another username', async () => {
      await mkdir(sfdx, { recursive: true });
      await writeFile(join(sfdx, 'alias.json'), JSON.stringify({ orgs: { ci: 'old@acme.com' } }));
      const registration = await registerLogin(input({ alias: 'ci' }));
      expect(registration.warnings).to.deep.equal([`The alias "ci" pointed to old@acme.com; it now points to ${USERNAME}.`]);
      expect(registration.notices).to.deep.equal([]);
    });

    it('does not report an alias that already pointed to the same username', async () => {
      await mkdir(sfdx, { recursive: true });
      await writeFile(join(sfdx, 'alias.json'), JSON.stringify({ orgs: { ci: USERNAME } }));
      const registration = await registerLogin(input({ alias: 'ci' }));
      expect(registration.warnings).to.deep.equal([]);
      expect(registration.notices).to.deep.equal([]);
    });

    it('sets target-org and target-dev-hub in the project config', async () => {
      const registration = await registerLogin(input({ alias: 'ci', setDefault: true, setDefaultDevHub: true }));
      expect($$.getConfigStubContents('Config')).to.include({ 'target-org': 'ci', 'target-dev-hub': 'ci' });
      expect(registration.notices).to.deep.equal([]);
    });

    it('says so when it sets the default globally outside a project', async () => {
      $$.inProject(false);
      const registration = await registerLogin(input({ setDefault: true }));
      expect($$.getConfigStubContents('Config')).to.include({ 'target-org': USERNAME });
      expect($$.getConfigStubContents('Config')).not.to.have.property('target-dev-hub');
      expect(registration.notices).to.have.length(1);
      expect(registration.notices[0]).to.include(`so ${USERNAME} was set as the global default`);
    });

    it('puts the auth file and alias.json back when a later step fails', async () => {
      await mkdir(sfdx, { recursive: true });
      const oldAuth = JSON.stringify({ username: USERNAME, accessToken: 'old-encrypted' });
      const oldAliases = JSON.stringify({ orgs: { ci: 'old@acme.com' } });
      await writeFile(join(sfdx, `${USERNAME}.json`), oldAuth);
      await writeFile(join(sfdx, 'alias.json'), oldAliases);
      $$.configStubs.Config = { writeFn: () => Promise.reject(new Error('config disk full')) };
      const error = await rejection(registerLogin(input({ alias: 'ci', setDefault: true })));
      expect(error.name).to.equal('RegistrationFailedError');
      expect(error.message).to.include(USERNAME).and.include('config disk full').and.include('put back');
      expect([error.message, ...(error.actions ?? [])].join('\n')).not.to.include(SECRET);
      expect(await readFile(join(sfdx, `${USERNAME}.json`), 'utf8')).to.equal(oldAuth);
      expect(await readFile(join(sfdx, 'alias.json'), 'utf8')).to.equal(oldAliases);
    });

    it('removes the files it created when a later step fails', async () => {
      $$.configStubs.Config = { writeFn: () => Promise.reject(new Error('config disk full')) };
      const error = await rejection(registerLogin(input({ alias: 'ci', setDefaultDevHub: true })));
      expect(error.name).to.equal('RegistrationFailedError');
      // An empty alias file stays: it is created before @salesforce/core reads its state (which
      // would otherwise create it, racily), and removing it would reopen that race.
      expect(await readdir(sfdx)).to.deep.equal(['alias.json']);
      expect(await readFile(join(sfdx, 'alias.json'), 'utf8')).to.equal('{"orgs":{}}');
    });
  });

  /** The parts of registration that parallel sf processes depend on. */
  describe('with other processes around', () => {
    const $$ = new TestContext();
    const home = useTempHome();
    let aliasPath: string;

    const aliases = async (): Promise<Record<string, string>> =>
      (JSON.parse(await readFile(aliasPath, 'utf8')) as { orgs: Record<string, string> }).orgs;

    beforeEach(() => {
      aliasPath = join(home(), '.sfdx', 'alias.json');
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

    it('a failed registration undoes its own alias but keeps the ones another process set meanwhile', async () => {
      await mkdir(join(home(), '.sfdx'));
      await writeFile(aliasPath, JSON.stringify({ orgs: { keep: 'k@acme.com' } }));
      $$.configStubs.Config = {
        // While this login writes the config, another sf process sets an alias; then the write fails.
        writeFn: async (): Promise<never> => {
          await setAlias('parallel', 'parallel@acme.com');
          throw new Error('config disk full');
        },
      };
      const error = await rejection(registerLogin(input({ alias: 'ci', setDefault: true })));
      expect(error.name).to.equal('RegistrationFailedError');
      expect(await aliases()).to.deep.equal({ keep: 'k@acme.com', parallel: 'parallel@acme.com' });
      expect(existsSync(join(home(), '.sfdx', `${USERNAME}.json`))).to.equal(false);
    });
  });
});

import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { globalConfigPath, projectConfigPath, renewalLockTarget } from '../../src/sf/sfFiles.js';
import { setAlias } from '../../src/store/aliases.js';
import { acquireLock } from '../../src/store/lock.js';
import { registerLogin, type RegistrationInput } from '../../src/store/registration.js';
import { rejection } from '../support/rejection.js';
import { useTempDir, useTempHome } from '../support/tempHome.js';

const USERNAME = 'runas@acme.com';
/** An auth file as the login hands it over, already encrypted (opaque strings stand in). */
const stored = { username: USERNAME, accessToken: 'enc:token', clientCredentialsSecret: 'enc:secret', orgId: '00DXX0000000001EAA' };
const input = (overrides: Partial<RegistrationInput> = {}): RegistrationInput => ({ username: USERNAME, stored, ...overrides });

/** Runs fn with the current folder set to dir. */
const inFolder = async <T>(dir: string, fn: () => Promise<T>): Promise<T> => {
  const saved = process.cwd();
  process.chdir(dir);
  try {
    return await fn();
  } finally {
    process.chdir(saved);
  }
};

/** The core-free part of a login's registration: auth file, alias and defaults, with rollback. */
describe('store: registerLogin', () => {
  const home = useTempHome();
  const scratch = useTempDir();
  const sfdx = (): string => join(home(), '.sfdx');
  const aliases = async (): Promise<Record<string, string>> =>
    (JSON.parse(await readFile(join(sfdx(), 'alias.json'), 'utf8')) as { orgs: Record<string, string> }).orgs;

  it('writes the auth file as given, for its owner only, and leaves no temporary file', async () => {
    await registerLogin(input());
    expect(JSON.parse(await readFile(join(sfdx(), `${USERNAME}.json`), 'utf8'))).to.deep.equal(stored);
    expect((await stat(join(sfdx(), `${USERNAME}.json`))).mode & 0o077).to.equal(0);
    // alias.json is the login's to make, before core reads its state (see login/authRecord.ts).
    expect(await readdir(sfdx())).to.have.members([`${USERNAME}.json`]);
  });

  it('reports an alias that pointed to another username, and not one that pointed to the same', async () => {
    await mkdir(sfdx(), { recursive: true });
    await writeFile(join(sfdx(), 'alias.json'), JSON.stringify({ orgs: { ci: 'old@acme.com', same: USERNAME } }));
    expect((await registerLogin(input({ alias: 'ci' }))).warnings).to.deep.equal([
      `The alias "ci" pointed to old@acme.com; it now points to ${USERNAME}.`,
    ]);
    expect((await registerLogin(input({ alias: 'same' }))).warnings).to.deep.equal([]);
  });

  it('sets target-org and target-dev-hub in the config of the project around the current folder, keeping its other settings', async () => {
    const project = scratch();
    await writeFile(join(project, 'sfdx-project.json'), '{"packageDirectories":[{"path":"force-app","default":true}]}');
    await mkdir(join(project, '.sf'));
    await writeFile(projectConfigPath(project), JSON.stringify({ 'org-api-version': '65.0' }));
    const registration = await inFolder(join(project), () => registerLogin(input({ alias: 'ci', setDefault: true, setDefaultDevHub: true })));
    expect(JSON.parse(await readFile(projectConfigPath(project), 'utf8'))).to.deep.equal({
      'org-api-version': '65.0',
      'target-org': 'ci',
      'target-dev-hub': 'ci',
    });
    expect(registration.notices).to.deep.equal([]);
    expect(existsSync(globalConfigPath())).to.equal(false);
  });

  it('sets the global default outside a project, and says so', async () => {
    const registration = await inFolder(scratch(), () => registerLogin(input({ setDefault: true })));
    expect(JSON.parse(await readFile(globalConfigPath(), 'utf8'))).to.deep.equal({ 'target-org': USERNAME });
    expect(registration.notices[0]).to.include(`so ${USERNAME} was set as the global default`);
  });

  it('puts the auth file and alias.json back when a later step fails, and says what failed', async () => {
    await mkdir(sfdx(), { recursive: true });
    const oldAuth = JSON.stringify({ username: USERNAME, accessToken: 'old-encrypted' });
    const oldAliases = JSON.stringify({ orgs: { ci: 'old@acme.com' } });
    await writeFile(join(sfdx(), `${USERNAME}.json`), oldAuth);
    await writeFile(join(sfdx(), 'alias.json'), oldAliases);
    await mkdir(globalConfigPath(), { recursive: true }); // config.json cannot be written: it is a folder
    const error = await rejection(inFolder(scratch(), () => registerLogin(input({ alias: 'ci', setDefault: true }))));
    expect(error.name).to.equal('RegistrationFailedError');
    expect(error.message).to.include(USERNAME).and.include('put back');
    expect(error.cause, 'what failed, kept as the cause').to.be.instanceOf(Error);
    expect(await readFile(join(sfdx(), `${USERNAME}.json`), 'utf8')).to.equal(oldAuth);
    expect(await readFile(join(sfdx(), 'alias.json'), 'utf8')).to.equal(oldAliases);
  });

  it('undoes only its own changes: an alias another process set meanwhile stays', async () => {
    await mkdir(sfdx(), { recursive: true });
    await writeFile(join(sfdx(), 'alias.json'), JSON.stringify({ orgs: { keep: 'k@acme.com' } }));
    // Hold config.json's lock, so that the login waits at its last step while another process sets an alias.
    const configLock = await acquireLock(globalConfigPath());
    const login = rejection(inFolder(scratch(), () => registerLogin(input({ alias: 'ci', setDefault: true }))));
    while (!(await aliases().catch(() => ({} as Record<string, string>))).ci) await sleep(20);
    await setAlias('parallel', 'parallel@acme.com');
    await mkdir(globalConfigPath(), { recursive: true });
    await configLock.release();
    expect((await login).name).to.equal('RegistrationFailedError');
    expect(await aliases()).to.deep.equal({ keep: 'k@acme.com', parallel: 'parallel@acme.com' });
    expect(existsSync(join(sfdx(), `${USERNAME}.json`))).to.equal(false);
  });

  it('waits for a renewal of the same org in progress, so that the renewal cannot write an older token over it', async () => {
    const renewal = await acquireLock(renewalLockTarget(USERNAME));
    let done = false;
    const login = registerLogin(input()).then(() => (done = true));
    await sleep(300);
    expect(done, 'the login waits for the renewal lock').to.equal(false);
    await renewal.release();
    await login;
    expect(done).to.equal(true);
  });

  it('removes the temporary files that killed processes left, secrets inside', async () => {
    await mkdir(sfdx(), { recursive: true });
    const leftover = join(sfdx(), `.${USERNAME}.json.999999.0badf00d.tmp`);
    await writeFile(leftover, '{"clientCredentialsSecret":"enc:old"}');
    await registerLogin(input());
    expect(existsSync(leftover)).to.equal(false);
  });
});

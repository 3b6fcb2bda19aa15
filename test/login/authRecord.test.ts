import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import { AuthInfo, Connection, StateAggregator } from '@salesforce/core';
import { storeLoginRecord } from '../../src/login/authRecord.js';
import { EXPIRY_FIELD, ownershipOf } from '../../src/sf/authFields.js';
import { isTrustedRenewalUrl, LOGIN_URL_STAMP_FIELD, loginUrlStamp } from '../../src/renewal/destination.js';
import { childOutput } from '../support/childOutput.js';
import { registrationInput, USERNAME } from '../support/registrationInput.js';
import { useTempHome } from '../support/tempHome.js';

const SECRET = 'RegistrationSecret-0123456789';
const TOKEN = '00DXX0000000001!AQ4AQRegistrationToken';
const input = registrationInput({ clientId: '3MVG9RegistrationClient', clientSecret: SECRET, accessToken: TOKEN });

/** A login stored: its fields encrypted by @salesforce/core, then written by the store. */
describe('authRecord', () => {
  const home = useTempHome({ SF_USE_GENERIC_UNIX_KEYCHAIN: 'true', SF_DISABLE_LOG_FILE: 'true' });
  const authPath = (): string => join(home(), '.sfdx', `${USERNAME}.json`);
  const authFile = async (): Promise<Record<string, unknown>> => JSON.parse(await readFile(authPath(), 'utf8')) as Record<string, unknown>;

  it('writes an auth file with the access token and client secret encrypted, readable by the owner only', async () => {
    const registration = await storeLoginRecord(input());
    const raw = await readFile(authPath(), 'utf8');
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
    expect(file.clientSecret).to.be.a('string').and.not.equal(SECRET);
    expect(ownershipOf(file)).to.equal('ours');
    // The stamp that lets renewal send the secret to this login URL, whatever its host; no other URL passes.
    expect(isTrustedRenewalUrl('https://proxy.acme.example', SECRET, file[LOGIN_URL_STAMP_FIELD])).to.equal(false);
    expect(file[LOGIN_URL_STAMP_FIELD]).to.equal(loginUrlStamp(SECRET, 'https://acme.my.salesforce.com'));
    expect((await stat(authPath())).mode & 0o077).to.equal(0);
    expect(registration.fields).to.include({ username: USERNAME, accessToken: TOKEN });
    expect(registration.notices).to.deep.equal([]);
  });

  it('writes a file that @salesforce/core reads back and decrypts, as an access-token auth', async () => {
    await storeLoginRecord(input());
    StateAggregator.clearInstance();
    const authInfo = await AuthInfo.create({ username: USERNAME });
    expect(authInfo.isAccessTokenFlow()).to.equal(true);
    expect(authInfo.getFields(true)).to.include({ accessToken: TOKEN, clientSecret: SECRET, orgId: '00DXX0000000001EAA' });
  });

  it("stores the org's API version as core's cache: for a day, sf commands ask the org for no versions", async () => {
    await storeLoginRecord(input({ org: { ...input().org, apiVersion: '66.0' } }));
    const file = await authFile();
    expect(file.instanceApiVersion).to.equal('66.0');
    expect(Math.abs(Date.parse(String(file.instanceApiVersionLastRetrieved)) - Date.now())).to.be.below(60_000);
    StateAggregator.clearInstance();
    // The org's host is not reachable from here: a connection that asked for the versions would fail.
    const connection = await Connection.create({ authInfo: await AuthInfo.create({ username: USERNAME }) });
    expect(connection.getApiVersion()).to.equal('66.0');
  });

  it('stores no API version cache when the org named no version', async () => {
    await storeLoginRecord(input());
    const file = await authFile();
    expect(file).not.to.have.property('instanceApiVersion');
    expect(file).not.to.have.property('instanceApiVersionLastRetrieved');
  });

  it('replaces an earlier login of another kind, dropping its refresh token', async () => {
    await mkdir(join(home(), '.sfdx'), { recursive: true });
    await writeFile(
      authPath(),
      JSON.stringify({ username: USERNAME, refreshToken: 'x', orgId: 'old', clientId: 'PlatformCLI', clientSecret: 'enc', authCode: 'c' })
    );
    await storeLoginRecord(input());
    const file = await authFile();
    expect(file.orgId).to.equal('00DXX0000000001EAA');
    for (const field of ['refreshToken', 'authCode']) expect(file, field).not.to.have.property(field);
    expect(file.clientId).to.equal('3MVG9RegistrationClient');
  });

  it('saves nothing when core cannot encrypt with the key it finds (a key.json without a key): NotEncryptedError', async () => {
    await mkdir(join(home(), '.sfdx'), { recursive: true });
    await writeFile(join(home(), '.sfdx', 'key.json'), '{}', { mode: 0o600 });
    const error = await storeLoginRecord(input()).then(
      () => undefined,
      (e: unknown) => e as Error
    );
    expect(error?.name).to.equal('NotEncryptedError');
    expect(error?.message).to.include(USERNAME).and.not.include(SECRET).and.not.include(TOKEN);
    expect(existsSync(authPath()), 'no auth file').to.equal(false);
  });

  it('loads neither AuthInfo nor jsforce, only what StateAggregator needs (in a process of its own)', async () => {
    const script = [
      "import { createRequire } from 'node:module';",
      `const { storeLoginRecord } = await import(${JSON.stringify(new URL('../../src/login/authRecord.ts', import.meta.url).href)});`,
      `const { registrationInput } = await import(${JSON.stringify(new URL('../support/registrationInput.ts', import.meta.url).href)});`,
      "await storeLoginRecord(registrationInput({ clientId: 'c', clientSecret: 'Secret-0123456789', accessToken: '00DXX0000000001!AQ4AQTok' })());",
      'const loaded = Object.keys(createRequire(import.meta.url).cache);',
      "console.log(JSON.stringify({ stateAggregator: loaded.some((f) => f.includes('stateAggregator')), authInfo: loaded.some((f) => f.endsWith('authInfo.js')), jsforce: loaded.some((f) => f.includes('jsforce')) }));",
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { env: { ...process.env, HOME: home() }, stdio: ['ignore', 'pipe', 'pipe'] });
    const { code, stdout, stderr } = await childOutput(child, 60_000);
    expect(code, stderr).to.equal(0);
    expect(JSON.parse(stdout.trim().split('\n').pop() ?? '')).to.deep.equal({ stateAggregator: true, authInfo: false, jsforce: false });
  });

  it('sets the alias and keeps the other aliases', async () => {
    await mkdir(join(home(), '.sfdx'), { recursive: true });
    await writeFile(join(home(), '.sfdx', 'alias.json'), JSON.stringify({ orgs: { other: 'someone@else.com' } }));
    const registration = await storeLoginRecord(input({ alias: 'ci-org' }));
    expect(registration.warnings).to.deep.equal([]);
    expect(JSON.parse(await readFile(join(home(), '.sfdx', 'alias.json'), 'utf8'))).to.deep.equal({
      orgs: { other: 'someone@else.com', 'ci-org': USERNAME },
    });
    expect(await readdir(join(home(), '.sfdx'))).to.have.members([`${USERNAME}.json`, 'alias.json', 'key.json']);
  });

  it('creates alias.json before @salesforce/core first reads its state (core would create it without a lock)', async () => {
    const aliasPath = join(home(), '.sfdx', 'alias.json');
    const seen: boolean[] = [];
    const original = StateAggregator.getInstance.bind(StateAggregator);
    const stub = sinon.stub(StateAggregator, 'getInstance').callsFake(() => {
      seen.push(existsSync(aliasPath));
      return original();
    });
    try {
      await storeLoginRecord(input());
    } finally {
      stub.restore();
    }
    expect(seen.length).to.be.greaterThan(0);
    expect(seen.every(Boolean), 'alias.json existed at every call').to.equal(true);
  });
});

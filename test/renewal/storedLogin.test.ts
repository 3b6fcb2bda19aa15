import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { EXPIRY_FIELD, LIFETIME_FIELD, stampsFor } from '../../src/sf/authFields.js';
import type { CoreAuthInfo } from '../../src/extension/coreExtension.js';
import { LOGIN_URL_STAMP_FIELD, loginUrlStamp } from '../../src/renewal/destination.js';
import { disown, loadLogin, sameId, sameLogin } from '../../src/renewal/storedLogin.js';
import { thrown } from '../support/rejection.js';
import { useTempHome } from '../support/tempHome.js';

const USERNAME = 'runas@acme.com';

/** The part of a core AuthInfo that loadLogin uses: fields given "decrypted" as they are, updates recorded. */
const authInfoWith = (fields: Record<string, unknown>): CoreAuthInfo & { updates: unknown[] } => {
  const updates: unknown[] = [];
  let current = { ...fields };
  return {
    updates,
    getUsername: () => USERNAME,
    getFields: () => current,
    update: (patch: Record<string, unknown>) => {
      updates.push(patch);
      current = { ...current, ...patch };
    },
    getConnectionOptions: () => ({}),
  };
};

const LOGIN = { clientId: 'KEY', clientSecret: 'S3cr3t-value', accessToken: '00D!token', instanceUrl: 'https://acme.my.salesforce.com', orgId: '00DXX0000000001EAA', userId: '005XX0000000001AAA' };

describe('renewal: the stored login', () => {
  const home = useTempHome();

  describe('loadLogin', () => {
    it('brings the AuthInfo up to date with the file, then reads credentials, token, lifetime and IDs from it', () => {
      const authInfo = authInfoWith({ clientId: 'OLD' });
      const stored = { ...LOGIN, loginUrl: 'https://acme.my.salesforce.com/', [LIFETIME_FIELD]: 7_200_000 };
      expect(loadLogin(authInfo, USERNAME, stored)).to.deep.equal({
        credentials: { clientId: 'KEY', clientSecret: 'S3cr3t-value', loginUrl: 'https://acme.my.salesforce.com' },
        accessToken: '00D!token',
        lifetimeMs: 7_200_000,
        orgId: LOGIN.orgId,
        userId: LOGIN.userId,
      });
      expect(authInfo.updates).to.deep.equal([stored]);
    });

    it('falls back on the instance URL without a login URL, and ignores a lifetime that is not a positive number', () => {
      const login = loadLogin(authInfoWith({}), USERNAME, { ...LOGIN, [LIFETIME_FIELD]: -1 });
      expect(login.credentials.loginUrl).to.equal('https://acme.my.salesforce.com');
      expect(login.lifetimeMs).to.equal(undefined);
    });

    for (const missing of ['orgId', 'userId']) {
      it(`refuses a login without ${missing} (a renewed token could not be checked): MissingIds, naming the user`, () => {
        const error = thrown(() => loadLogin(authInfoWith({}), USERNAME, { ...LOGIN, [missing]: undefined }));
        expect(error.name).to.equal('MissingIdsError');
        expect(error.message).to.include(USERNAME);
        expect(error.actions?.join('\n')).to.include('sf org login client-credentials');
      });
    }

    it('refuses a login URL that is neither a My Domain, this machine nor the stamped one, naming the auth file', () => {
      for (const loginUrl of ['https://evil.example.com', 'https://acme.salesforce.com.evil.example', 'http://evil.localhost:8080', 'https://na1.salesforce.com']) {
        const error = thrown(() => loadLogin(authInfoWith({}), USERNAME, { ...LOGIN, loginUrl }));
        expect(error.name, loginUrl).to.equal('UntrustedRenewalUrlError');
        expect(error.message).to.include(join(home(), '.sfdx', `${USERNAME}.json`)).and.not.include(LOGIN.clientSecret);
        expect(error.actions?.join('\n')).to.include('sf org login client-credentials');
      }
    });

    it('accepts a My Domain, a loopback address or localhost, and a login URL stamped with the secret', () => {
      for (const loginUrl of ['https://acme--uat.sandbox.my.salesforce.com', 'http://127.0.0.1:6789', 'https://localhost:8443', 'http://[::1]:6789']) {
        expect(loadLogin(authInfoWith({}), USERNAME, { ...LOGIN, loginUrl }).credentials.loginUrl, loginUrl).to.equal(loginUrl);
      }
      const custom = 'https://login.acme-corp.example';
      const stamped = { ...LOGIN, loginUrl: custom, [LOGIN_URL_STAMP_FIELD]: loginUrlStamp(LOGIN.clientSecret, custom) };
      expect(loadLogin(authInfoWith({}), USERNAME, stamped).credentials.loginUrl).to.equal(custom);
      // A stamp copied to another URL, or made without the secret, opens nothing.
      const moved = { ...stamped, loginUrl: 'https://evil.example.com' };
      expect(thrown(() => loadLogin(authInfoWith({}), USERNAME, moved)).name).to.equal('UntrustedRenewalUrlError');
      const forged = { ...stamped, [LOGIN_URL_STAMP_FIELD]: loginUrlStamp('guessed', custom) };
      expect(thrown(() => loadLogin(authInfoWith({}), USERNAME, forged)).name).to.equal('UntrustedRenewalUrlError');
    });

    for (const missing of ['clientId', 'clientSecret', 'accessToken', 'instanceUrl']) {
      it(`fails with MissingCredentials, naming the user, without ${missing}`, () => {
        const stored: Record<string, unknown> = { ...LOGIN, [missing]: '' };
        const error = thrown(() => loadLogin(authInfoWith({}), USERNAME, stored));
        expect(error.name).to.equal('MissingCredentialsError');
        expect(error.message).to.include(USERNAME).and.not.include(LOGIN.clientSecret).and.not.include(LOGIN.accessToken);
      });
    }
  });

  it('sameLogin: the same token, consumer key, secret and login URL, whatever else changed', () => {
    const read = { accessToken: 'a', clientId: 'k', clientSecret: 's', loginUrl: 'u', [EXPIRY_FIELD]: 1 };
    expect(sameLogin({ ...read, [EXPIRY_FIELD]: 2, instanceUrl: 'x' }, read)).to.equal(true);
    for (const field of ['accessToken', 'clientId', 'clientSecret', 'loginUrl']) expect(sameLogin({ ...read, [field]: 'other' }, read), field).to.equal(false);
  });

  it('sameId: IDs compare on their 15-character form; a missing ID matches nothing', () => {
    expect(sameId('00DXX0000000001', '00DXX0000000001EAA')).to.equal(true);
    expect(sameId('00DXX0000000002EAA', '00DXX0000000001EAA')).to.equal(false);
    expect(sameId('00dXX0000000001EAA', '00DXX0000000001EAA'), 'case-sensitive').to.equal(false);
    expect(sameId(undefined, '00DXX0000000001EAA')).to.equal(false);
  });

  describe('disown', () => {
    const path = (): string => join(home(), '.sfdx', `${USERNAME}.json`);
    const ours = { username: USERNAME, accessToken: 'enc:cc', clientId: 'KEY', clientSecret: 'enc:secret', loginUrl: 'https://acme.my.salesforce.com', [EXPIRY_FIELD]: 1 };
    const stamped = { ...ours, ...stampsFor(ours) };
    /** The file after sf org login access-token of the same user: core merged its token into the old file. */
    const replaced = { ...stamped, accessToken: 'enc:other-token' };
    const store = async (fields: Record<string, unknown>): Promise<void> => {
      await mkdir(join(home(), '.sfdx'), { recursive: true });
      await writeFile(path(), JSON.stringify(fields));
    };
    const stored = async (): Promise<Record<string, unknown>> => JSON.parse(await readFile(path(), 'utf8')) as Record<string, unknown>;

    it("removes the plugin's fields, secret and consumer key from a login another one replaced, and keeps the other login", async () => {
      await store(replaced);
      expect(await disown(USERNAME, replaced)).to.equal(true);
      expect(await stored()).to.deep.equal({ username: USERNAME, accessToken: 'enc:other-token', loginUrl: 'https://acme.my.salesforce.com' });
    });

    it("changes nothing in the plugin's own login, in a file that changed since it was read, or in a login with nothing left of the plugin", async () => {
      await store(stamped);
      expect(await disown(USERNAME, stamped)).to.equal(false);
      expect(await stored()).to.deep.equal(stamped);

      await store({ ...replaced, accessToken: 'enc:newest' });
      expect(await disown(USERNAME, replaced)).to.equal(false);
      expect((await stored()).clientSecret).to.equal('enc:secret');

      const plain = { username: USERNAME, accessToken: 'enc:at' };
      await store(plain);
      expect(await disown(USERNAME, plain)).to.equal(false);
      expect(await stored()).to.deep.equal(plain);
    });
  });
});

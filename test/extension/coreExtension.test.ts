import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { EXPIRY_FIELD, stampsFor } from '../../src/sf/authFields.js';
import { extendCore, findLoadedCore, shapeProblem, type CoreAuthInfo, type CoreModule, type ExtensionContext, type Renewal } from '../../src/extension/coreExtension.js';
import { writeFakeCorePackage } from '../support/fakeCore.js';
import { REPO_ROOT } from '../support/sfSandbox.js';
import { useTempDir, useTempHome } from '../support/tempHome.js';

type Options = Record<string, unknown>;
type Callback = (error: Error | null, token?: string) => void;

/** A stand-in for core's AuthInfo with the methods the extension relies on, fresh for each test. */
const fakeCore = (
  fields: Record<string, unknown>,
  options: Options = { accessToken: 'AT', instanceUrl: 'https://x' },
  created: Options[] = []
): CoreModule => {
  class AuthInfo implements CoreAuthInfo {
    public static create(createOptions: Options): Promise<CoreAuthInfo> {
      created.push(createOptions);
      return Promise.resolve(new AuthInfo());
    }
    public getUsername(): string {
      return 'ci@acme.com';
    }
    public getFields(): Record<string, unknown> {
      return fields;
    }
    public update(): this {
      return this;
    }
    public getConnectionOptions(clientApp?: string): unknown {
      return clientApp ? { clientApp } : { ...options };
    }
  }
  return { AuthInfo } as unknown as CoreModule;
};

/** An AuthInfo of a fake core, as core.AuthInfo.create gives one. */
const instance = (core: CoreModule): CoreAuthInfo => new (core.AuthInfo as unknown as new () => CoreAuthInfo)();

const ourLogin = (): Record<string, unknown> => {
  const stored = { accessToken: 'enc:t', clientId: 'key', clientSecret: 'enc:s', [EXPIRY_FIELD]: 1 };
  // Stored an hour ago: due by its expiry, and past the floor between renewals.
  return { ...stored, ...stampsFor(stored, Date.now() - 60 * 60 * 1000) };
};

const renewalGiving = (outcome: () => Promise<string>, calls: unknown[][]): (() => Promise<Renewal>) => () =>
  Promise.resolve({
    renewRejected: (authInfo: CoreAuthInfo, rejected: string | undefined) => {
      calls.push([authInfo.getUsername(), rejected]);
      return outcome();
    },
    renewBeforeUse: (_authInfo: CoreAuthInfo, username: string) => {
      calls.push(['before use', username]);
      return Promise.resolve(outcome().then(() => ({}), (error: Error) => ({ warning: { message: error.message, actions: ['do this'] } })));
    },
  });

/** The extension's context for one test: this renewal, renewal before use on, warnings collected. */
const contextOf = (loadRenewal: () => Promise<Renewal>, overrides: Partial<ExtensionContext> = {}): ExtensionContext & { warnings: string[] } => {
  const warnings: string[] = [];
  return { loadRenewal, renewBeforeUse: true, warn: (message) => warnings.push(message), signupApps: new Map(), env: {}, warnings, ...overrides };
};

const refresh = (options: unknown, rejected: string): Promise<{ error: Error | null; token?: string }> =>
  new Promise((resolve) =>
    (options as { refreshFn: (conn: unknown, cb: Callback) => void }).refreshFn({ accessToken: rejected }, (error, token) => resolve({ error, token }))
  );

describe('coreExtension', () => {
  describe('shapeProblem', () => {
    it('accepts core 8 and 9 with the AuthInfo methods relied on', () => {
      expect(shapeProblem(fakeCore({}), '9.4.0')).to.equal(undefined);
      expect(shapeProblem(fakeCore({}), '8.24.0')).to.equal(undefined);
    });

    it('refuses another major version, or an AuthInfo without those methods', () => {
      expect(shapeProblem(fakeCore({}), '10.0.0')).to.include('10.0.0');
      expect(shapeProblem(fakeCore({}), '7.5.1')).to.include('is not 8.x or 9.x');
      expect(shapeProblem(fakeCore({}), '')).to.include('is not 8.x or 9.x');
      expect(shapeProblem({}, '9.1.0')).to.include('AuthInfo.create');
      class Bare {
        public static create(): void {}
      }
      expect(shapeProblem({ AuthInfo: Bare }, '9.1.0')).to.equal('AuthInfo has no getConnectionOptions, getFields, getUsername, update');
    });
  });

  describe('findLoadedCore', () => {
    const tempDir = useTempDir();

    it("finds the copy this process has loaded, as the package folder's code resolves it", async () => {
      await import('@salesforce/core');
      const found = findLoadedCore([REPO_ROOT]);
      expect(found).to.have.property('version').that.matches(/^9\./);
      expect((found as { path: string }).path).to.match(/@salesforce\/core\/lib\/index\.js$/);
    });

    it('loads nothing: a core that is installed but not loaded is left alone, and so is a folder without one', async () => {
      const root = tempDir();
      await writeFakeCorePackage(root, '9.9.9', 'throw new Error("loaded!")');
      const found = findLoadedCore([root, join(root, 'nowhere')]);
      expect(found).to.have.property('problem').that.includes('is not loaded');
      expect(findLoadedCore([undefined])).to.deep.equal({ problem: 'no package folder to look in' });
    });
  });

  describe('extendCore', () => {
    it('gives a connection of a login of this plugin a refresh function that renews through the renewal', async () => {
      const core = fakeCore(ourLogin());
      const calls: unknown[][] = [];
      expect(extendCore(core, undefined, contextOf(renewalGiving(() => Promise.resolve('NEW'), calls)))).to.equal(true);
      const options = instance(core).getConnectionOptions() as Options;
      expect(options).to.include({ accessToken: 'AT', instanceUrl: 'https://x' });
      expect(await refresh(options, 'OLD')).to.deep.equal({ error: null, token: 'NEW' });
      expect(calls).to.deep.equal([['ci@acme.com', 'OLD']]);
    });

    it("passes the renewal's failure to jsforce", async () => {
      const core = fakeCore(ourLogin());
      extendCore(core, undefined, contextOf(renewalGiving(() => Promise.reject(new Error('secret rotated')), [])));
      const { error } = await refresh(instance(core).getConnectionOptions(), 'OLD');
      expect(error?.message).to.equal('secret rotated');
    });

    it('leaves every other auth exactly as core returns it', () => {
      const replaced = { ...ourLogin(), accessToken: 'enc:token-of-another-login' };
      for (const fields of [{ accessToken: 'enc:t', refreshToken: 'enc:r' }, replaced, {}]) {
        const core = fakeCore(fields);
        extendCore(core, undefined, contextOf(renewalGiving(() => Promise.resolve('x'), [])));
        expect(instance(core).getConnectionOptions()).to.deep.equal({ accessToken: 'AT', instanceUrl: 'https://x' });
      }
      const jwt = fakeCore(ourLogin(), { accessToken: 'AT', refreshFn: 'core-own' });
      extendCore(jwt, undefined, contextOf(renewalGiving(() => Promise.resolve('x'), [])));
      expect(instance(jwt).getConnectionOptions()).to.deep.equal({ accessToken: 'AT', refreshFn: 'core-own' });
      const apps = fakeCore(ourLogin());
      extendCore(apps, undefined, contextOf(renewalGiving(() => Promise.resolve('x'), [])));
      expect(instance(apps).getConnectionOptions('my-app')).to.deep.equal({ clientApp: 'my-app' });
    });

    /* eslint-disable @typescript-eslint/unbound-method -- the methods are compared, never called */
    it('extends a core once, however many hooks run', () => {
      const core = fakeCore(ourLogin());
      const original = core.AuthInfo.prototype.getConnectionOptions;
      expect(extendCore(core, undefined, contextOf(renewalGiving(() => Promise.resolve('x'), [])))).to.equal(true);
      const extended = core.AuthInfo.prototype.getConnectionOptions;
      expect(extended).to.not.equal(original);
      expect(extendCore(core, undefined, contextOf(renewalGiving(() => Promise.resolve('x'), [])))).to.equal(false);
      expect(core.AuthInfo.prototype.getConnectionOptions).to.equal(extended);
    });
    /* eslint-enable @typescript-eslint/unbound-method */
  });

  describe('extendCore: when core opens a stored auth', () => {
    const home = useTempHome();
    const notDue = (): Record<string, unknown> => ({ ...ourLogin(), [EXPIRY_FIELD]: Date.now() + 60 * 60 * 1000 });

    it('renews a login of this plugin whose stored expiry is due, once core has created its AuthInfo', async () => {
      const calls: unknown[][] = [];
      const core = fakeCore(ourLogin());
      extendCore(core, undefined, contextOf(renewalGiving(() => Promise.resolve('NEW'), calls)));
      const authInfo = await core.AuthInfo.create({ username: 'ci@acme.com' });
      expect(authInfo.getUsername()).to.equal('ci@acme.com');
      expect(calls).to.deep.equal([['before use', 'ci@acme.com']]);
    });

    it('renews nothing for a token that is not due, a login of another kind, a new login, or a logout', async () => {
      const calls: unknown[][] = [];
      const renewal = renewalGiving(() => Promise.resolve('NEW'), calls);
      const cases: Array<[Record<string, unknown>, Options, Partial<ExtensionContext>]> = [
        [notDue(), { username: 'ci@acme.com' }, {}],
        [{ accessToken: 'enc:t', refreshToken: 'enc:r' }, { username: 'ci@acme.com' }, {}],
        [ourLogin(), { username: 'ci@acme.com', accessTokenOptions: { accessToken: 'x' } }, {}],
        [ourLogin(), { username: 'ci@acme.com', oauth2Options: { authCode: 'c' } }, {}],
        [ourLogin(), { username: 'ci@acme.com' }, { renewBeforeUse: false }],
      ];
      for (const [fields, options, overrides] of cases) {
        const core = fakeCore(fields);
        extendCore(core, undefined, contextOf(renewal, overrides));
        // eslint-disable-next-line no-await-in-loop
        await core.AuthInfo.create(options);
      }
      expect(calls).to.deep.equal([]);
    });

    it('cleans up after a login that another login replaced, whatever its expiry', async () => {
      const calls: unknown[][] = [];
      const core = fakeCore({ ...notDue(), accessToken: 'enc:token-of-another-login' });
      extendCore(core, undefined, contextOf(renewalGiving(() => Promise.resolve('NEW'), calls)));
      await core.AuthInfo.create({ username: 'ci@acme.com' });
      expect(calls).to.deep.equal([['before use', 'ci@acme.com']]);
    });

    it("turns a failed renewal into a warning through the context, and still gives core's AuthInfo", async () => {
      const context = contextOf(renewalGiving(() => Promise.reject(new Error('Could not renew')), []));
      const core = fakeCore(ourLogin());
      extendCore(core, undefined, context);
      expect((await core.AuthInfo.create({ username: 'ci@acme.com' })).getUsername()).to.equal('ci@acme.com');
      expect(context.warnings).to.deep.equal(['Could not renew\n  do this']);
    });

    it("exchanges a scratch org's auth code of a hub of this plugin with the signup app, never with the hub's key and secret", async () => {
      await mkdir(join(home(), '.sfdx'), { recursive: true });
      await writeFile(join(home(), '.sfdx', 'hub@acme.com.json'), JSON.stringify({ username: 'hub@acme.com', ...ourLogin() }));
      const exchange = { authCode: 'code', redirectUri: 'http://localhost:1717/OauthRedirect', loginUrl: 'https://s.my.salesforce.com' };
      const created: Options[] = [];
      const core = fakeCore({}, undefined, created);
      const context = contextOf(renewalGiving(() => Promise.resolve('x'), []));
      extendCore(core, undefined, context);

      await core.AuthInfo.create({ username: 'new@scratch.org', parentUsername: 'hub@acme.com', oauth2Options: exchange });
      context.signupApps.set('hub@acme.com', 'MyApp');
      await core.AuthInfo.create({ username: 'new@scratch.org', parentUsername: 'hub@acme.com', oauth2Options: { ...exchange, clientSecret: 'mine' } });
      await core.AuthInfo.create({ username: 'new@scratch.org', parentUsername: 'jwt-hub@acme.com', oauth2Options: exchange });

      expect(created[0]).to.deep.equal({ username: 'new@scratch.org', parentUsername: undefined, oauth2Options: { ...exchange, clientId: 'PlatformCLI', clientSecret: undefined } });
      expect(created[1].oauth2Options).to.deep.equal({ ...exchange, clientId: 'MyApp', clientSecret: 'mine' });
      expect(created[1].parentUsername).to.equal(undefined);
      expect(created[2], 'a hub of another kind: as core has it').to.deep.equal({ username: 'new@scratch.org', parentUsername: 'jwt-hub@acme.com', oauth2Options: exchange });
    });
  });
});

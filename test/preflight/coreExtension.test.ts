import { join } from 'node:path';
import { expect } from 'chai';
import { EXPIRY_FIELD, stampsFor } from '../../src/preflight/authFields.js';
import { extendCore, findLoadedCore, shapeProblem, type CoreAuthInfo, type CoreModule, type Renewal } from '../../src/preflight/coreExtension.js';
import { writeFakeCorePackage } from '../support/fakeCore.js';
import { REPO_ROOT } from '../support/sfSandbox.js';
import { useTempDir } from '../support/tempHome.js';

type Options = Record<string, unknown>;
type Callback = (error: Error | null, token?: string) => void;

/** A stand-in for core's AuthInfo with the methods the extension relies on, fresh for each test. */
const fakeCore = (fields: Record<string, unknown>, options: Options = { accessToken: 'AT', instanceUrl: 'https://x' }): CoreModule => {
  class AuthInfo implements CoreAuthInfo {
    public static create(): Promise<CoreAuthInfo> {
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
  return { ...stored, ...stampsFor(stored) };
};

const renewalGiving = (outcome: () => Promise<string>, calls: unknown[][]): (() => Promise<Renewal>) => () =>
  Promise.resolve({
    renewRejected: (authInfo: CoreAuthInfo, rejected: string | undefined) => {
      calls.push([authInfo.getUsername(), rejected]);
      return outcome();
    },
  });

const refresh = (options: unknown, rejected: string): Promise<{ error: Error | null; token?: string }> =>
  new Promise((resolve) =>
    (options as { refreshFn: (conn: unknown, cb: Callback) => void }).refreshFn({ accessToken: rejected }, (error, token) => resolve({ error, token }))
  );

describe('coreExtension', () => {
  describe('shapeProblem', () => {
    it('accepts core 9 with the AuthInfo methods relied on', () => {
      expect(shapeProblem(fakeCore({}), '9.4.0')).to.equal(undefined);
    });

    it('refuses another major version, or an AuthInfo without those methods', () => {
      expect(shapeProblem(fakeCore({}), '10.0.0')).to.include('10.0.0');
      expect(shapeProblem(fakeCore({}), '')).to.include('is not 9');
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
      expect(extendCore(core, renewalGiving(() => Promise.resolve('NEW'), calls))).to.equal(true);
      const options = instance(core).getConnectionOptions() as Options;
      expect(options).to.include({ accessToken: 'AT', instanceUrl: 'https://x' });
      expect(await refresh(options, 'OLD')).to.deep.equal({ error: null, token: 'NEW' });
      expect(calls).to.deep.equal([['ci@acme.com', 'OLD']]);
    });

    it("passes the renewal's failure to jsforce", async () => {
      const core = fakeCore(ourLogin());
      extendCore(core, renewalGiving(() => Promise.reject(new Error('secret rotated')), []));
      const { error } = await refresh(instance(core).getConnectionOptions(), 'OLD');
      expect(error?.message).to.equal('secret rotated');
    });

    it('leaves every other auth exactly as core returns it', () => {
      const replaced = { ...ourLogin(), accessToken: 'enc:token-of-another-login' };
      for (const fields of [{ accessToken: 'enc:t', refreshToken: 'enc:r' }, replaced, {}]) {
        const core = fakeCore(fields);
        extendCore(core, renewalGiving(() => Promise.resolve('x'), []));
        expect(instance(core).getConnectionOptions()).to.deep.equal({ accessToken: 'AT', instanceUrl: 'https://x' });
      }
      const jwt = fakeCore(ourLogin(), { accessToken: 'AT', refreshFn: 'core-own' });
      extendCore(jwt, renewalGiving(() => Promise.resolve('x'), []));
      expect(instance(jwt).getConnectionOptions()).to.deep.equal({ accessToken: 'AT', refreshFn: 'core-own' });
      const apps = fakeCore(ourLogin());
      extendCore(apps, renewalGiving(() => Promise.resolve('x'), []));
      expect(instance(apps).getConnectionOptions('my-app')).to.deep.equal({ clientApp: 'my-app' });
    });

    /* eslint-disable @typescript-eslint/unbound-method -- the methods are compared, never called */
    it('extends a core once, however many hooks run', () => {
      const core = fakeCore(ourLogin());
      const original = core.AuthInfo.prototype.getConnectionOptions;
      expect(extendCore(core, renewalGiving(() => Promise.resolve('x'), []))).to.equal(true);
      const extended = core.AuthInfo.prototype.getConnectionOptions;
      expect(extended).to.not.equal(original);
      expect(extendCore(core, renewalGiving(() => Promise.resolve('x'), []))).to.equal(false);
      expect(core.AuthInfo.prototype.getConnectionOptions).to.equal(extended);
    });
    /* eslint-enable @typescript-eslint/unbound-method */
  });
});

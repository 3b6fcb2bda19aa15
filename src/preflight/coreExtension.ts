import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ownershipOf } from './authFields.js';

/**
 * Extends the @salesforce/core that the running sf command uses, so that every connection it opens
 * to an org logged in with this plugin renews its token when the org rejects the session, the way
 * core gives a JWT login a refresh function.
 *
 * The command's core is already loaded when the prerun hook runs (oclif loads the command first):
 * it is found in Node's module cache, never loaded here. Its shape is checked; a core of another
 * major version, or without the methods relied on, is left as it is.
 */

/** The part of core's AuthInfo the extension and the renewal rely on. */
export type CoreAuthInfo = {
  getUsername(): string | undefined;
  /** The auth fields, encrypted (false) or decrypted (true). */
  getFields(decrypt?: boolean): Record<string, unknown>;
  update(fields: Record<string, unknown>): unknown;
  getConnectionOptions(clientApp?: string): unknown;
};

export type CoreLogger = { debug(...args: unknown[]): unknown };

/** The part of a @salesforce/core module the plugin uses. */
export type CoreModule = {
  AuthInfo: { prototype: CoreAuthInfo; create(options: { username: string }): Promise<CoreAuthInfo> };
  Logger?: { childFromRoot?(name: string): CoreLogger };
};

/** A copy of core found in the module cache, with its path and version. */
export type FoundCore = { core: CoreModule; path: string; version: string };

/** The renewal the refresh function calls, loaded only when a session is rejected. */
export type Renewal = {
  /** A new (or another process's newer) access token for an org whose session the org rejected. */
  renewRejected(authInfo: CoreAuthInfo, rejectedToken: string | undefined): Promise<string>;
};

type RefreshCallback = (error: Error | null, accessToken?: string) => void;

/** The major version of @salesforce/core this extension was written and tested against. */
export const SUPPORTED_MAJOR = 9;
const EXTENDED = Symbol.for('sf-plugin-client-credentials.extendedGetConnectionOptions');

const isFunction = (value: unknown): value is (...args: unknown[]) => unknown => typeof value === 'function';

/** Why a module is not a core this extension can work with, or undefined when it is. */
export const shapeProblem = (candidate: unknown, version: string): string | undefined => {
  if (Number(version.split('.')[0]) !== SUPPORTED_MAJOR) return `version ${version} is not ${SUPPORTED_MAJOR}.x`;
  const authInfo = (candidate as Partial<CoreModule> | undefined)?.AuthInfo;
  if (!isFunction(authInfo) || !isFunction((authInfo as { create?: unknown }).create)) return 'it has no AuthInfo.create';
  const prototype = (authInfo as { prototype?: Record<string, unknown> }).prototype ?? {};
  const missing = ['getConnectionOptions', 'getFields', 'getUsername', 'update'].filter((name) => !isFunction(prototype[name]));
  return missing.length > 0 ? `AuthInfo has no ${missing.join(', ')}` : undefined;
};

/** The version in the package.json of the package that holds a resolved module file. */
const versionOf = (modulePath: string): string => {
  let dir = dirname(modulePath);
  for (let i = 0; i < 4; i++) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === '@salesforce/core') return manifest.version ?? '';
    } catch {
      // not the package root yet
    }
    dir = dirname(dir);
  }
  return '';
};

/**
 * The @salesforce/core that code in one of these package folders resolves, if it is loaded in this
 * process (the first root that has one wins); otherwise why not.
 */
export const findLoadedCore = (roots: Array<string | undefined>): FoundCore | { problem: string } => {
  const problems: string[] = [];
  for (const root of roots) {
    if (!root) continue;
    let path: string;
    try {
      const require = createRequire(join(root, 'package.json'));
      path = require.resolve('@salesforce/core');
      const cached = require.cache[path];
      if (!cached) {
        problems.push(`${root}: its @salesforce/core is not loaded`);
        continue;
      }
      const version = versionOf(path);
      const problem = shapeProblem(cached.exports, version);
      if (problem) {
        problems.push(`${path}: ${problem}`);
        continue;
      }
      return { core: cached.exports as CoreModule, path, version };
    } catch {
      problems.push(`${root}: no @salesforce/core`);
    }
  }
  return { problem: problems.join('; ') || 'no package folder to look in' };
};

/**
 * Gives every connection to an org logged in with this plugin a refresh function: core's
 * getConnectionOptions returns none for such an auth (it has neither a refresh token nor a JWT
 * key). Other auths are left exactly as core returns them. Extends a core once; returns whether
 * this call extended it.
 */
export const extendCore = (core: CoreModule, loadRenewal: () => Promise<Renewal>): boolean => {
  const prototype = core.AuthInfo.prototype as CoreAuthInfo & { [EXTENDED]?: true };
  if (prototype[EXTENDED]) return false;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with its AuthInfo as `this`
  const original = prototype.getConnectionOptions;
  prototype.getConnectionOptions = function (this: CoreAuthInfo, clientApp?: string): unknown {
    const options = original.call(this, clientApp) as Record<string, unknown> | undefined;
    if (clientApp !== undefined || !options || typeof options !== 'object' || options.refreshFn) return options;
    let stored: Record<string, unknown>;
    try {
      stored = this.getFields(false);
    } catch {
      return options;
    }
    if (ownershipOf(stored) !== 'ours') return options;
    const refreshFn = (connection: { accessToken?: string } | undefined, callback: RefreshCallback): void => {
      loadRenewal()
        .then((renewal) => renewal.renewRejected(this, connection?.accessToken))
        .then(
          (accessToken) => callback(null, accessToken),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)))
        );
    };
    return { ...options, refreshFn };
  };
  Object.defineProperty(prototype, EXTENDED, { value: true });
  return true;
};

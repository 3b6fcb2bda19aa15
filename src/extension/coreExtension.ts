import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ownershipOf } from '../sf/authFields.js';
import { corePackageOf, isSupportedCoreVersion, SUPPORTED_CORE_MAJORS } from './hostCore.js';
import { expiryOf, isRenewalDue, readStoredState } from './renewalCheck.js';
import { BUILT_IN_APP, exchangeAppFor, wrapSignup, type SignupApps, type SignupModules } from './scratchSignup.js';

/**
 * Extends the @salesforce/core that the running sf command uses (sf's own, or the copy of the
 * plugin that owns the command), so that its orgs logged in with this plugin behave as if core
 * knew the client credentials flow. Every decision is taken from what that core resolved: the org
 * it opens, the Dev Hub it signs a scratch org up with.
 *
 * AuthInfo.prototype.getConnectionOptions: a refresh function for such an org, which core gives
 * only to logins with a refresh token or a JWT key. jsforce calls it when the org rejects the
 * session (a REST 401, a SOAP INVALID_SESSION_ID) and repeats the request with its token.
 *
 * AuthInfo.create, when core opens a stored auth: a token whose stored expiry is due is renewed
 * there and then, before any request (which saves the rejected one), and what a replaced login
 * left behind is removed. The code exchange of a scratch org of such a hub uses the signup app,
 * never the hub's consumer key and secret (see scratchSignup.ts, which also wraps core's scratch
 * org signup functions).
 *
 * The command's core is already loaded when the prerun hook runs (oclif loads the command first):
 * it is found in Node's module cache, never loaded here. Its shape is checked; a core of another
 * major version, or without the methods relied on, is left exactly as it is.
 */

/** The part of core's AuthInfo the extension and the renewal rely on. */
export type CoreAuthInfo = {
  getUsername(): string | undefined;
  /** The auth fields, encrypted (false) or decrypted (true). */
  getFields(decrypt?: boolean): Record<string, unknown>;
  update(fields: Record<string, unknown>): unknown;
  getConnectionOptions(clientApp?: string): unknown;
};

type CreateOptions = {
  username?: string;
  parentUsername?: string;
  oauth2Options?: Record<string, unknown>;
  accessTokenOptions?: unknown;
} & Record<string, unknown>;

/** The part of a @salesforce/core module the plugin uses. */
export type CoreModule = {
  AuthInfo: { prototype: CoreAuthInfo; create(options: CreateOptions): Promise<CoreAuthInfo> };
};

/** A copy of core found in the module cache, with its path and version. */
export type FoundCore = { core: CoreModule; path: string; version: string };

/** The renewal, loaded only when a session is rejected or a stored expiry is due. */
export type Renewal = {
  /** A new (or another process's newer) access token for an org whose session the org rejected. */
  renewRejected(authInfo: CoreAuthInfo, rejectedToken: string | undefined): Promise<string>;
  /** Renews a due token of an org core has just opened, or cleans up after a replaced login; a warning when that failed. */
  renewBeforeUse(authInfo: CoreAuthInfo, username: string): Promise<{ warning?: { message: string; actions: string[] } }>;
};

/** What one process's extension shares: the renewal, the switch for commands that need no live token, the signup apps. */
export type ExtensionContext = {
  loadRenewal: () => Promise<Renewal>;
  /** False for commands that need no live token (logout): nothing is renewed before they use an org. */
  renewBeforeUse: boolean;
  /** Shows a warning to the user (sf's Lifecycle warning, which every sf command prints). */
  warn: (message: string) => void;
  signupApps: SignupApps;
  env: NodeJS.ProcessEnv;
};

type RefreshCallback = (error: Error | null, accessToken?: string) => void;

const EXTENDED = Symbol.for('sf-plugin-client-credentials.extendedGetConnectionOptions');

const isFunction = (value: unknown): value is (...args: unknown[]) => unknown => typeof value === 'function';

/** Why a module is not a core this extension can work with, or undefined when it is. */
export const shapeProblem = (candidate: unknown, version: string): string | undefined => {
  if (!isSupportedCoreVersion(version)) return `version ${version} is not ${SUPPORTED_CORE_MAJORS.join('.x or ')}.x`;
  const authInfo = (candidate as Partial<CoreModule> | undefined)?.AuthInfo;
  if (!isFunction(authInfo) || !isFunction((authInfo as { create?: unknown }).create)) return 'it has no AuthInfo.create';
  const prototype = (authInfo as { prototype?: Record<string, unknown> }).prototype ?? {};
  const missing = ['getConnectionOptions', 'getFields', 'getUsername', 'update'].filter((name) => !isFunction(prototype[name]));
  return missing.length > 0 ? `AuthInfo has no ${missing.join(', ')}` : undefined;
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
      const version = corePackageOf(path)?.version ?? '';
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

/** core's signup modules, as loaded with this core's index (undefined when they are not loaded). */
const signupModulesOf = (indexPath: string): SignupModules | undefined => {
  const cache = createRequire(indexPath).cache;
  const generator = cache[join(dirname(indexPath), 'org', 'scratchOrgInfoGenerator.js')]?.exports as SignupModules['generator'] | undefined;
  const api = cache[join(dirname(indexPath), 'org', 'scratchOrgInfoApi.js')]?.exports as SignupModules['api'] | undefined;
  return generator && api ? { generator, api } : undefined;
};

/** A refresh function (jsforce's contract: `(connection, callback)`) for an AuthInfo of this plugin. */
const refreshFor =
  (authInfo: CoreAuthInfo, context: ExtensionContext) =>
  (connection: { accessToken?: string } | undefined, callback: RefreshCallback): void => {
    context
      .loadRenewal()
      .then((renewal) => renewal.renewRejected(authInfo, connection?.accessToken))
      .then(
        (accessToken) => callback(null, accessToken),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error), { cause: error }))
      );
  };

/** When core opens a stored auth of this plugin: renew a due token, or clean up after a replaced login. */
const beforeUse = async (authInfo: CoreAuthInfo, context: ExtensionContext): Promise<void> => {
  if (!context.renewBeforeUse) return;
  const username = authInfo.getUsername();
  let stored: Record<string, unknown>;
  try {
    stored = authInfo.getFields(false);
  } catch {
    return;
  }
  const ownership = ownershipOf(stored);
  const expiry = username ? expiryOf(username, stored) : undefined;
  const due = expiry !== undefined && isRenewalDue(expiry, Date.now(), context.env);
  if (!username || (!due && ownership !== 'replaced')) return;
  const { warning } = await (await context.loadRenewal()).renewBeforeUse(authInfo, username);
  if (warning) context.warn(`${warning.message}\n${warning.actions.map((action) => `  ${action}`).join('\n')}`);
};

/**
 * The options of a scratch org's code exchange for a hub of this plugin: the signup app, without
 * the parent, so that core neither loads nor copies the hub's consumer key and secret.
 */
const exchangeOptions = async (options: CreateOptions, context: ExtensionContext): Promise<CreateOptions> => {
  const hub = options.parentUsername;
  const oauth2 = options.oauth2Options;
  if (!hub || !oauth2 || typeof oauth2.authCode !== 'string' || (await readStoredState(hub)).ownership !== 'ours') return options;
  const app = exchangeAppFor(hub, context.signupApps, context.env);
  const secret = app === BUILT_IN_APP ? {} : { clientSecret: context.env.SFDX_CLIENT_SECRET ?? oauth2.clientSecret };
  return { ...options, parentUsername: undefined, oauth2Options: { ...oauth2, clientId: app, clientSecret: undefined, ...secret } };
};

/**
 * Extends a core (see above); `indexPath` is the file of its index, next to which its signup
 * modules are. Extends a core once; returns whether this call extended it.
 */
export const extendCore = (core: CoreModule, indexPath: string | undefined, context: ExtensionContext): boolean => {
  const authInfoClass = core.AuthInfo as CoreModule['AuthInfo'] & { [EXTENDED]?: true };
  const prototype = authInfoClass.prototype;
  if (authInfoClass[EXTENDED]) return false;

  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with its AuthInfo as `this`
  const getConnectionOptions = prototype.getConnectionOptions;
  prototype.getConnectionOptions = function (this: CoreAuthInfo, clientApp?: string): unknown {
    const options = getConnectionOptions.call(this, clientApp) as Record<string, unknown> | undefined;
    if (clientApp !== undefined || !options || typeof options !== 'object' || options.refreshFn) return options;
    let stored: Record<string, unknown>;
    try {
      stored = this.getFields(false);
    } catch {
      return options;
    }
    return ownershipOf(stored) === 'ours' ? { ...options, refreshFn: refreshFor(this, context) } : options;
  };

  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with its class as `this`
  const create = authInfoClass.create;
  authInfoClass.create = async function (this: unknown, options: CreateOptions): Promise<CoreAuthInfo> {
    const opensStoredAuth = Boolean(options?.username) && !options.oauth2Options && !options.accessTokenOptions;
    const authInfo = await create.call(this, options?.parentUsername ? await exchangeOptions(options, context) : options);
    // A failed renewal is a warning (the command's first request then says why); nothing of it fails core's create.
    if (opensStoredAuth) await beforeUse(authInfo, context).catch(() => undefined);
    return authInfo;
  };

  const signup = indexPath ? signupModulesOf(indexPath) : undefined;
  if (signup) wrapSignup(signup, context.signupApps, context.env);
  Object.defineProperty(authInfoClass, EXTENDED, { value: true });
  return true;
};

import { ownershipOf } from '../sf/authFields.js';
import { textOf } from '../sf/sfFiles.js';

/**
 * Which connected app signs a scratch org up, and authorizes it, when its Dev Hub is a login of
 * this plugin: decided inside the command's @salesforce/core, from the hub core itself uses.
 *
 * Left alone, core sends the hub auth's consumer key as the signup app, exchanges the new org's
 * auth code with the hub's consumer key and secret, and copies that secret into the scratch org's
 * auth file. For a client-credentials hub that app is the wrong one: an External Client App can't
 * be replicated into a scratch org (signup error C-1016), and the hub's secret would spread into
 * throw-away orgs. So for such a hub the signup goes through sf's own app, PlatformCLI (core's own
 * advice for C-1016), or the app the user chose (`org create scratch --client-id`, or
 * SF_SCRATCH_SIGNUP_CONNECTED_APP, which core 8 doesn't read), and the code exchange never loads
 * the hub's credentials. Hubs of other logins are left exactly as core handles them.
 *
 * Three functions of core are wrapped, each at the moment core reads the hub. First,
 * scratchOrgInfoGenerator.generateScratchOrgInfo({ hubOrg, scratchOrgInfoPayload }): the signup
 * app of a new ScratchOrgInfo (core 8 and 9 take the hub's clientId when the payload has none).
 * Second, scratchOrgInfoApi.authorizeScratchOrg({ hubOrg, scratchOrgInfoComplete }), for org create
 * and org resume: the app the ScratchOrgInfo was signed up with, which the code exchange must use.
 * Third, AuthInfo.create({ parentUsername, oauth2Options }) (in coreExtension.ts): the exchange,
 * which core otherwise does with the parent's (the hub's) consumer key and secret.
 */

const SIGNUP_APP_VARIABLE = 'SF_SCRATCH_SIGNUP_CONNECTED_APP';
const SIGNUP_CALLBACK_VARIABLE = 'SF_SCRATCH_SIGNUP_CALLBACK_URL';
/** sf's own connected app (core's DEFAULT_CONNECTED_APP_INFO), which needs no secret. */
export const BUILT_IN_APP = 'PlatformCLI';

type HubOrg = { getUsername(): string | undefined; getConnection(): { getAuthInfoFields(): Record<string, unknown> } };
type GeneratorOptions = { hubOrg?: HubOrg; scratchOrgInfoPayload?: Record<string, unknown> };
type AuthorizeOptions = { hubOrg?: HubOrg; scratchOrgInfoComplete?: { ConnectedAppConsumerKey?: unknown } };
type AnyFunction = (...args: never[]) => unknown;

/** The modules of core that the signup goes through: their exports objects, as core's own code reads them. */
export type SignupModules = {
  generator: { generateScratchOrgInfo?: unknown };
  api: { authorizeScratchOrg?: unknown };
};

const WRAPPED = Symbol.for('sf-plugin-client-credentials.scratchSignup');

/** Whether a Dev Hub that core has opened is a login of this plugin (its stored fields; nothing decrypted). */
export const isOurHub = (hubOrg: HubOrg | undefined): boolean => {
  try {
    return ownershipOf(hubOrg?.getConnection().getAuthInfoFields()) === 'ours';
  } catch {
    return false;
  }
};

/** The app a scratch org of one of this plugin's hubs signs up with: the user's choice, else sf's own. */
export const signupAppFor = (chosen: unknown, env: NodeJS.ProcessEnv): string =>
  textOf(chosen) ?? textOf(env[SIGNUP_APP_VARIABLE]) ?? BUILT_IN_APP;

/** Per process: the app each of this plugin's hubs signed its scratch org up with (hub username -> consumer key). */
export type SignupApps = Map<string, string>;

/** The consumer key the code exchange of a scratch org of this hub must use. */
export const exchangeAppFor = (hub: string, apps: SignupApps, env: NodeJS.ProcessEnv): string => apps.get(hub) ?? signupAppFor(undefined, env);

const isFunction = (value: unknown): value is AnyFunction => typeof value === 'function';

/** Why these modules are not the signup modules this extension was written for, or undefined. */
const signupShapeProblem = (modules: Partial<SignupModules>): string | undefined => {
  if (!isFunction(modules.generator?.generateScratchOrgInfo)) return 'scratchOrgInfoGenerator has no generateScratchOrgInfo';
  if (!isFunction(modules.api?.authorizeScratchOrg)) return 'scratchOrgInfoApi has no authorizeScratchOrg';
  return undefined;
};

/**
 * Wraps core's signup functions (see above) for the hubs of this plugin. Returns false, changing
 * nothing, when their shape differs or they are wrapped already.
 */
export const wrapSignup = (modules: SignupModules, apps: SignupApps, env: NodeJS.ProcessEnv = process.env): boolean => {
  if (signupShapeProblem(modules) !== undefined) return false;
  const generator = modules.generator as { generateScratchOrgInfo: AnyFunction } & { [WRAPPED]?: true };
  const api = modules.api as { authorizeScratchOrg: AnyFunction };
  if (generator[WRAPPED]) return false;
  const generate = generator.generateScratchOrgInfo;
  const authorize = api.authorizeScratchOrg;

  generator.generateScratchOrgInfo = async function (this: unknown, ...args: never[]): Promise<unknown> {
    const options = args[0] as GeneratorOptions | undefined;
    if (!options || !isOurHub(options.hubOrg)) return generate.apply(this, args);
    const payload = options.scratchOrgInfoPayload ?? {};
    const app = signupAppFor(payload.connectedAppConsumerKey, env);
    const hub = options.hubOrg?.getUsername();
    if (hub) apps.set(hub, app);
    const info = (await generate.apply(this, [{ ...options, scratchOrgInfoPayload: { ...payload, connectedAppConsumerKey: app } }] as never[])) as
      | Record<string, unknown>
      | undefined;
    // core 8 has no SF_SCRATCH_SIGNUP_CALLBACK_URL; core 9 has already applied it.
    const callback = env[SIGNUP_CALLBACK_VARIABLE];
    if (info && typeof info === 'object' && callback) info.connectedAppCallbackUrl = callback;
    return info;
  };

  api.authorizeScratchOrg = function (this: unknown, ...args: never[]): unknown {
    const options = args[0] as AuthorizeOptions | undefined;
    const hub = options?.hubOrg?.getUsername();
    const app = textOf(options?.scratchOrgInfoComplete?.ConnectedAppConsumerKey);
    if (hub && app && isOurHub(options?.hubOrg)) apps.set(hub, app);
    return authorize.apply(this, args);
  };

  Object.defineProperty(generator, WRAPPED, { value: true });
  return true;
};

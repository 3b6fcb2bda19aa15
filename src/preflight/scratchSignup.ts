import { homedir } from 'node:os';
import { readJsonObject, scratchCreateCachePath } from './sfFiles.js';

/**
 * Which connected app signs a scratch org up when its Dev Hub is a login of this plugin.
 *
 * @salesforce/core sends the hub auth's consumer key as the signup app, exchanges the new org's
 * auth code with the hub's consumer key and secret, and copies that secret into the scratch org's
 * auth file. For a client-credentials hub that app is the wrong one: an External Client App can't
 * be replicated into a scratch org (signup error C-1016), and the hub's secret would spread into
 * throw-away orgs. So the plugin has core sign up through sf's own app, PlatformCLI, the way core
 * itself advises for C-1016, by setting SF_SCRATCH_SIGNUP_CONNECTED_APP for that one command; then
 * core copies no secret. What the user set (the variables, or --client-id) always wins.
 */

export const SIGNUP_APP_VARIABLE = 'SF_SCRATCH_SIGNUP_CONNECTED_APP';
export const SIGNUP_CALLBACK_VARIABLE = 'SF_SCRATCH_SIGNUP_CALLBACK_URL';
/** sf's own connected app (core's DEFAULT_CONNECTED_APP_INFO), which needs no secret. */
export const BUILT_IN_APP = 'PlatformCLI';

/** The commands that sign a scratch org up, by oclif id (their aliases resolve to the same id). */
export const SIGNUP_COMMANDS = new Set(['org:create:scratch', 'org:resume:scratch']);

/** Whether the user chose the signup app: by the variables, or by `--client-id` / `-i` of org create scratch. */
export const userChoseSignupApp = (env: NodeJS.ProcessEnv, argv: string[]): boolean =>
  Boolean(env[SIGNUP_APP_VARIABLE]) ||
  Boolean(env[SIGNUP_CALLBACK_VARIABLE]) ||
  argv.some((arg) => arg === '--client-id' || arg.startsWith('--client-id=') || arg === '-i' || /^-i./.test(arg));

/** The Dev Hubs of the scratch org creations sf has in progress, for org resume scratch. */
export const cachedSignupHubs = async (home = homedir()): Promise<string[]> => {
  const cache = await readJsonObject(scratchCreateCachePath(home));
  const hubs = Object.values(cache ?? {}).map((entry) => {
    const job = entry as { value?: { hubUsername?: unknown }; hubUsername?: unknown } | undefined;
    return job?.value?.hubUsername ?? job?.hubUsername;
  });
  return hubs.filter((hub): hub is string => typeof hub === 'string');
};

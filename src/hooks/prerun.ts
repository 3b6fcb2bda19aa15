import type { Hook } from '@oclif/core';
import { extendCore, findLoadedCore, type CoreModule, type FoundCore, type Renewal } from '../preflight/coreExtension.js';
import { isRenewalDisabled, isRenewalDue, readStoredState, type StoredState } from '../preflight/renewalCheck.js';
import { BUILT_IN_APP, cachedSignupHubs, SIGNUP_APP_VARIABLE, SIGNUP_COMMANDS, userChoseSignupApp } from '../preflight/scratchSignup.js';
import { resolveTarget, resolveUsername, type TargetKind } from '../preflight/target.js';

/** Commands that need no live token, so nothing is renewed before them: a renewal would mint a token that logout then drops. */
const NO_RENEWAL_COMMANDS = new Set(['org:logout', 'auth:logout', 'force:auth:logout']);

/** The renewal, loaded only when a session is rejected or a stored expiry is due. */
const loadRenewal = async (): Promise<Renewal & typeof import('../renewal/engine.js')> => import('../renewal/engine.js');

/**
 * This plugin's own @salesforce/core, for the renewal before a command whose core could not be
 * extended; it logs through sf's root logger rather than starting a log writer of its own.
 */
const ownCore = async (cliRoot: string): Promise<CoreModule> => {
  const { shareHostLogger } = await import('../login/hostLogger.js');
  shareHostLogger(cliRoot);
  return (await import('@salesforce/core')) as unknown as CoreModule;
};

/** The orgs a command targets, by username, each with the name (alias or username) that named it first. */
const targetsOf = async (kinds: TargetKind[], argv: string[]): Promise<Map<string, string>> => {
  const context = { argv, env: process.env, cwd: process.cwd() };
  const targets = new Set<string>();
  for (const kind of kinds) {
    // eslint-disable-next-line no-await-in-loop
    const target = await resolveTarget(kind, context);
    if (target) targets.add(target);
  }
  // One renewal (and at most one warning) per org, however many names point at it.
  const byUsername = new Map<string, string>();
  for (const target of targets) {
    // eslint-disable-next-line no-await-in-loop
    const username = await resolveUsername(target);
    if (!byUsername.has(username)) byUsername.set(username, target);
  }
  return byUsername;
};

type CommandClass = { id?: string; flags?: Record<string, unknown>; plugin?: { root?: string } };
type HookOptions = Parameters<Hook<'prerun'>>[0];

/** The command's @salesforce/core, extended (see preflight/coreExtension.ts); undefined, and a debug line, when it can't be. */
const extendCommandCore = (command: CommandClass, options: HookOptions, debug: (message: string) => void): FoundCore | undefined => {
  const found = findLoadedCore([command.plugin?.root, options.config.root]);
  if ('core' in found) {
    extendCore(found.core, loadRenewal);
    return found;
  }
  debug(`sf-plugin-client-credentials: the command's @salesforce/core was not extended (${found.problem}); tokens are renewed only before commands`);
  return undefined;
};

/** A scratch org of a client-credentials Dev Hub signs up through sf's own app (see preflight/scratchSignup.ts). */
const chooseSignupApp = async (command: CommandClass, argv: string[], targetStates: Map<string, StoredState>): Promise<void> => {
  if (!SIGNUP_COMMANDS.has(command.id ?? '') || userChoseSignupApp(process.env, argv)) return;
  const states =
    command.id === 'org:resume:scratch'
      ? await Promise.all((await cachedSignupHubs()).map((hub) => readStoredState(hub)))
      : [...targetStates.values()];
  if (states.some((state) => state.ownership === 'ours')) process.env[SIGNUP_APP_VARIABLE] = BUILT_IN_APP;
};

/**
 * Before every sf command, first extends the command's @salesforce/core so that each connection to
 * an org logged in with this plugin renews its token when the org rejects the session (see
 * preflight/coreExtension.ts). Then, if the command targets such an org and its stored expiry is
 * due, renews the token at once, which saves a rejected request; and it cleans up after a login of
 * this plugin that another login replaced. For every other command this reads at most the config
 * files, alias.json and one auth file, and loads nothing but src/preflight/.
 */
const hook: Hook<'prerun'> = async function (options) {
  if (isRenewalDisabled(process.env)) return;
  try {
    const command = options.Command as CommandClass;
    const core = extendCommandCore(command, options, (message) => this.debug(message));
    if (NO_RENEWAL_COMMANDS.has(command.id ?? '')) {
      // What killed logins and renewals left behind goes with the org.
      await (await import('../store/cleanup.js')).removeLeftovers();
      return;
    }
    const flags = command.flags ?? {};
    const kinds = (['target-org', 'target-dev-hub'] as TargetKind[]).filter((kind) => kind in flags);
    const targets = kinds.length > 0 ? await targetsOf(kinds, options.argv) : new Map<string, string>();
    // Each target's auth file, read once (nothing decrypted).
    const states = new Map(await Promise.all([...targets.keys()].map(async (username) => [username, await readStoredState(username)] as const)));
    await chooseSignupApp(command, options.argv, states);

    for (const [username, target] of targets) {
      const state = states.get(username) as StoredState;
      const due = state.expiry && isRenewalDue(state.expiry, Date.now(), process.env);
      if (!due && state.ownership !== 'replaced') continue;
      // Only now load the renewal, and the plugin's own core if the command's could not be used.
      // eslint-disable-next-line no-await-in-loop
      const renewal = await loadRenewal();
      // eslint-disable-next-line no-await-in-loop
      const { warning } = await renewal.renewDue(core?.core ?? (await ownCore(options.config.root)), username, target);
      if (warning) this.warn(`${warning.message}\n${warning.actions.map((action) => `  ${action}`).join('\n')}`);
    }
  } catch (error) {
    // The hook never stops a command: at worst the org rejects the session, and the command says so.
    this.debug(`sf-plugin-client-credentials: the prerun hook failed: ${(error as Error)?.name ?? 'Error'}`);
  }
};

export default hook;

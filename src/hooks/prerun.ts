import type { Hook } from '@oclif/core';
import { extendCore, findLoadedCore, shapeProblem, type CoreModule, type ExtensionContext, type FoundCore } from '../extension/coreExtension.js';
import { hostCore } from '../extension/hostCore.js';
import { isRenewalDisabled } from '../extension/renewalCheck.js';

/** Commands that need no live token, so nothing is renewed before they use an org: a renewal would mint a token that logout then drops. */
const NO_RENEWAL_COMMANDS = new Set(['org:logout', 'auth:logout', 'force:auth:logout']);

/** This package's name, to know its own command (which runs on the host core, see extension/hostCore.ts). */
const PLUGIN_NAME = 'sf-plugin-client-credentials';

type CommandClass = { id?: string; plugin?: { root?: string; name?: string } };
type HookOptions = Parameters<Hook<'prerun'>>[0];
type Lifecycle = { getInstance(): { emitWarning(message: string): Promise<void> } };

/** The core the command runs on, if it is loaded: its plugin's own copy, else sf's. */
const commandCore = (command: CommandClass, options: HookOptions): FoundCore | { problem: string } => {
  if (command.plugin?.name === PLUGIN_NAME) {
    const host = hostCore();
    if (!host) return { problem: 'sf has no @salesforce/core' };
    const path = host.require.resolve('@salesforce/core');
    const cached = host.require.cache[path];
    if (!cached) return { problem: `${path} is not loaded` };
    const problem = shapeProblem(cached.exports, host.version);
    return problem ? { problem } : { core: cached.exports as CoreModule, path, version: host.version };
  }
  return findLoadedCore([command.plugin?.root, options.config.root]);
};

/** A warning for the user, through the Lifecycle of that core (sf commands print its warnings), else on stderr. */
const warnThrough =
  (found: FoundCore) =>
  (message: string): void => {
    const lifecycle = (found.core as unknown as { Lifecycle?: Lifecycle }).Lifecycle;
    if (lifecycle?.getInstance) {
      void lifecycle.getInstance().emitWarning(message);
    } else {
      process.stderr.write(`Warning: ${message}\n`);
    }
  };

/**
 * Before every sf command: extends the @salesforce/core the command runs on (see
 * extension/coreExtension.ts), so that each org logged in with this plugin renews its token when
 * the org rejects the session, or when core opens it with a stored expiry that is due, and its
 * scratch orgs sign up through sf's own app. Nothing is read or decided here about which org the
 * command targets: the extension acts on the orgs core opens. For a logout it also removes what
 * killed logins and renewals left behind. Loads nothing but src/extension/ and src/sf/ (and the
 * renewal or cleanup when needed).
 */
const hook: Hook<'prerun'> = async function (options) {
  if (isRenewalDisabled(process.env)) return;
  try {
    const command = options.Command as CommandClass;
    const found = commandCore(command, options);
    const noRenewal = NO_RENEWAL_COMMANDS.has(command.id ?? '');
    if ('core' in found) {
      const context: ExtensionContext = {
        // One renewal state for the process: what it minted, which renewals failed, the secrets seen.
        loadRenewal: async () => {
          const engine = await import('../renewal/engine.js');
          return engine.renewalWith(engine.processRenewalState);
        },
        renewBeforeUse: !noRenewal,
        warn: warnThrough(found),
        signupApps: new Map(),
        env: process.env,
      };
      extendCore(found.core, found.path, context);
    } else {
      this.debug(`${PLUGIN_NAME}: the command's @salesforce/core was not extended (${found.problem}); its tokens are not renewed`);
    }
    // What killed logins and renewals left behind goes with the org.
    if (noRenewal) await (await import('../store/cleanup.js')).removeLeftovers();
  } catch (error) {
    // The hook never stops a command: at worst the org rejects the session, and the command says so.
    this.debug(`${PLUGIN_NAME}: the prerun hook failed: ${(error as Error)?.name ?? 'Error'}`);
  }
};

export default hook;

import type { Hook } from '@oclif/core';
import { isRenewalDisabled, isRenewalDue, readStoredExpiry } from '../preflight/renewalCheck.js';
import { resolveTarget, resolveUsername, type TargetKind } from '../preflight/target.js';

/**
 * Before every sf command: if the command targets an org logged in with client credentials whose
 * token has expired or is about to, renew it first. For every other command this reads at most
 * the config files, alias.json and one auth file, and loads no @salesforce/core.
 */
const hook: Hook<'prerun'> = async function (options) {
  if (isRenewalDisabled(process.env)) return;
  const flags = (options.Command as { flags?: Record<string, unknown> }).flags ?? {};
  const kinds = (['target-org', 'target-dev-hub'] as TargetKind[]).filter((kind) => kind in flags);
  if (kinds.length === 0) return;

  const context = { argv: options.argv, env: process.env, cwd: process.cwd() };
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
  for (const [username, target] of byUsername) {
    // eslint-disable-next-line no-await-in-loop
    const stored = await readStoredExpiry(username);
    if (!stored || !isRenewalDue(stored, Date.now(), process.env)) continue;
    // Only now, with a renewal due, load the part that needs @salesforce/core and the network.
    // eslint-disable-next-line no-await-in-loop
    const { renewOrWarn } = await import('../renewal/runner.js');
    // eslint-disable-next-line no-await-in-loop
    const warning = await renewOrWarn(target, username, options.config.root);
    if (warning) this.warn(warning);
  }
};

export default hook;

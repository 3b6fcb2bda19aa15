import { isLoopbackHost, isMyDomainHost } from '../oauth/trust.js';
import { textOf } from '../sf/sfFiles.js';
import { loadMessages, warningOf, type PluginError, type PluginWarning } from '../shared/messages.js';
import { redactError, redactText } from '../shared/redaction.js';
import { aliasOf } from '../store/aliases.js';
import type { StoredAuth } from '../store/authFile.js';

const messages = loadMessages('renewal');

/** The org as the user knows it, and the parts of the login command that fixes it. */
/** A stored URL fit to suggest in a login command: a My Domain or this machine, never a host an edited file names. */
const suggestable = (url: string | undefined): string | undefined => {
  if (!url) return undefined;
  try {
    const { hostname } = new URL(url);
    return isMyDomainHost(hostname) || isLoopbackHost(hostname) ? url : undefined;
  } catch {
    return undefined;
  }
};

const loginHints = async (
  username: string,
  target: string | undefined,
  stored: StoredAuth | undefined
): Promise<{ name: string; clientId: string; instanceUrl: string; aliasFlag: string }> => {
  const alias = target && target !== username ? target : await aliasOf(username);
  const url = suggestable(textOf(stored?.loginUrl) ?? textOf(stored?.instanceUrl));
  const clientId = textOf(stored?.clientId);
  return {
    name: alias ? `${alias} (${username})` : username,
    clientId: clientId ?? messages.getMessage('placeholder.ClientId'),
    instanceUrl: url?.replace(/\/+$/, '') ?? messages.getMessage('placeholder.InstanceUrl'),
    aliasFlag: alias ? ` --alias ${alias}` : '',
  };
};

const reasonOf = (cause: unknown, secrets: string[]): string => {
  const reason = redactText(cause instanceof Error ? cause.message : String(cause), secrets);
  return reason.endsWith('.') ? reason : `${reason}.`;
};

/**
 * What a failed renewal tells the user, both ways, from one look at the org's names: the error a
 * command fails with when the org rejected its session (jsforce passes on only the message of a
 * failed refresh, so the message itself names the org, the cause and the login command to run),
 * and the warning shown before a command when renewing its org's expired token failed.
 */
export const renewalFailure = async (
  username: string,
  target: string | undefined,
  cause: unknown,
  stored: StoredAuth | undefined,
  secrets: string[]
): Promise<{ error: PluginError; warning: PluginWarning }> => {
  const hints = await loginHints(username, target, stored);
  const reason = reasonOf(cause, secrets);
  return {
    // The cause goes with the error, every secret of the renewal taken out of it (a command prints its error's causes).
    error: messages.createError(
      'error.RenewalFailed',
      [hints.name, reason, hints.clientId, hints.instanceUrl, hints.aliasFlag],
      [],
      redactError(cause, secrets)
    ),
    warning: warningOf(messages, 'warning.RenewalFailed', [hints.name, reason], [hints.clientId, hints.instanceUrl, hints.aliasFlag]),
  };
};

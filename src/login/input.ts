import { loadMessages } from '../shared/messages.js';
import { conversionNotice, resolveInstanceUrl, type NormalizedInstanceUrl } from './instanceUrl.js';
import { projectLoginUrl } from './projectLoginUrl.js';

const messages = loadMessages('input');

/** What the user typed, as the command's flags give it. */
export type RawLoginInput = {
  clientId: string;
  alias?: string;
  /** --instance-url; without it, the project's sfdcLoginUrl is used. */
  instanceUrl?: string;
};

/** The login's input, checked: every later step takes it as it is. */
export type LoginInput = {
  clientId: string;
  alias?: string;
  instance: NormalizedInstanceUrl;
  /** An info line for the user when the instance URL was rewritten (a Lightning host). */
  notice?: string;
};

/** Trims the client ID and refuses an empty one. */
export const normalizeClientId = (clientId: string): string => {
  const trimmed = clientId.trim();
  if (trimmed === '') throw messages.createError('error.EmptyClientId');
  return trimmed;
};

/** Refuses an alias that sf commands could not use without quoting. */
export const validateAlias = (alias: string | undefined): string | undefined => {
  if (alias === undefined) return undefined;
  const trimmed = alias.trim();
  if (/\s/.test(trimmed) || trimmed === '') {
    throw messages.createError('error.AliasHasSpaces', [alias], [trimmed.replace(/\s+/g, '-') || 'my-org']);
  }
  return trimmed;
};

/**
 * Checks the whole input of a login, once, before anything is read from the user or sent to the
 * org: the client ID, the alias, and the instance URL (the flag, else the project's sfdcLoginUrl,
 * checked as projectLoginUrl.ts says).
 */
export const resolveLoginInput = async (raw: RawLoginInput, readProjectLoginUrl = projectLoginUrl): Promise<LoginInput> => {
  const clientId = normalizeClientId(raw.clientId);
  const alias = validateAlias(raw.alias);
  const fromProject = raw.instanceUrl === undefined ? await readProjectLoginUrl() : undefined;
  const instance = resolveInstanceUrl(raw.instanceUrl, fromProject);
  return { clientId, alias, instance, notice: conversionNotice(instance) };
};

import { loadMessages, type PluginError } from '../shared/messages.js';
import { cleanServerText } from '../shared/redaction.js';

const messages = loadMessages('oauth-errors');

export type OAuthErrorBody = { error: string; error_description?: string };

export type OAuthErrorContext = {
  status: number;
  clientId: string;
  instanceUrl: string;
  /** Values that must never be shown, such as the client secret. */
  secrets: string[];
};

/** Reads an OAuth error body ({"error":…,"error_description":…}), or undefined if it is not one. */
export const parseOAuthError = (body: string): OAuthErrorBody | undefined => {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as OAuthErrorBody).error === 'string') {
      const { error, error_description: description } = parsed as OAuthErrorBody;
      return { error, error_description: typeof description === 'string' ? description : undefined };
    }
  } catch {
    // not JSON
  }
  return undefined;
};

/**
 * A server's text fit to show: no control character, then every secret replaced (in case a server
 * echoes what it was sent), and not longer than an error description needs to be.
 */
const redact = (text: string, secrets: string[]): string => cleanServerText(text, secrets).slice(0, 500);

/**
 * Maps an OAuth error from the token endpoint to an error that names the cause and the fix.
 * Unknown errors show the server's code and description verbatim, with secrets redacted.
 */
export const oauthErrorToError = (body: OAuthErrorBody, context: OAuthErrorContext): PluginError => {
  const description = redact(body.error_description ?? '', context.secrets);
  const normalized = description.toLowerCase();
  switch (body.error) {
    case 'invalid_client_id':
      return messages.createError('error.InvalidClientId', [redact(context.clientId, context.secrets)]);
    case 'invalid_client':
      return messages.createError('error.InvalidClient', [redact(context.clientId, context.secrets)]);
    case 'invalid_grant':
      if (normalized.includes('no client credentials user enabled')) return messages.createError('error.NoRunAsUser');
      if (normalized.includes('not supported on this domain')) {
        return messages.createError('error.WrongDomain', [new URL(context.instanceUrl).host]);
      }
      if (normalized.includes('ip restricted') || normalized.includes('login hours')) {
        return messages.createError('error.IpRestricted');
      }
      return messages.createError('error.InvalidGrant', [description]);
    case 'unsupported_grant_type':
      return messages.createError('error.FlowNotEnabled', [description]);
    case 'inactive_user':
      return messages.createError('error.InactiveUser');
    case 'inactive_org':
      return messages.createError('error.InactiveOrg');
    case 'invalid_app_access':
      return messages.createError('error.AppNotApproved');
    case 'rate_limit_exceeded':
      return messages.createError('error.RateLimited');
    default:
      return messages.createError('error.OAuthError', [
        redact(body.error, context.secrets),
        description,
        String(context.status),
      ]);
  }
};

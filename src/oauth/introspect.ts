import { httpSend, type HttpOptions } from '../shared/http.js';
import { oauthEndpoint, type ClientCredentials } from './tokenExchange.js';
import { trustedLoginUrl } from './trust.js';

export type Introspection = {
  active: boolean;
  /** Expiry, epoch milliseconds, when the org said. */
  expiresAt?: number;
};

/**
 * Asks the org whether an access token is alive and until when (POST /services/oauth2/introspect,
 * authenticated with the client credentials). Returns undefined when the org does not answer
 * usefully, so that callers can fall back to a conservative guess. Like the token request, it
 * sends the secret only to an https login URL (or plain http on this machine), else throws.
 */
export const introspectToken = async (
  credentials: ClientCredentials,
  accessToken: string,
  options: HttpOptions = {}
): Promise<Introspection | undefined> => {
  trustedLoginUrl(credentials.loginUrl);
  try {
    const response = await httpSend(
      {
        method: 'POST',
        url: oauthEndpoint(credentials.loginUrl, 'introspect'),
        headers: { accept: 'application/json' },
        form: {
          token: accessToken,
          token_type_hint: 'access_token',
          client_id: credentials.clientId,
          client_secret: credentials.clientSecret,
        },
      },
      { maxTries: 1, ...options }
    );
    if (response.status !== 200) return undefined;
    const body = JSON.parse(response.body) as { active?: unknown; exp?: unknown };
    if (typeof body.active !== 'boolean') return undefined;
    const exp = Number(body.exp);
    return { active: body.active, expiresAt: body.active && Number.isFinite(exp) && exp > 0 ? exp * 1000 : undefined };
  } catch {
    return undefined;
  }
};

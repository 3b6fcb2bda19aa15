import { createHmac, timingSafeEqual } from 'node:crypto';
import { httpSend, type HttpOptions, type HttpResponse } from '../shared/http.js';
import { loadMessages } from '../shared/messages.js';
import { printable } from '../shared/redaction.js';
import { ORG_ID_PATTERN, USER_ID_PATTERN } from '../shared/salesforceIds.js';
import { oauthErrorToError, parseOAuthError } from './oauthErrors.js';
import { trustedInstanceUrl, trustedLoginUrl } from './trust.js';

const messages = loadMessages('token-exchange');

export type ClientCredentials = {
  /** Where the token is asked for: the origin of the org's My Domain (a login URL), no trailing slash. */
  loginUrl: string;
  clientId: string;
  clientSecret: string;
};

export type IssuedToken = {
  accessToken: string;
  /** instance_url of the answer, no trailing slash. */
  instanceUrl: string;
  orgId: string;
  userId: string;
  /** issued_at, epoch milliseconds. */
  issuedAt: number;
  /** 'opaque' or 'jwt' when the org says so. */
  tokenFormat?: string;
};

type RawTokenResponse = Record<string, unknown>;

/** An OAuth endpoint of the org at a login URL ('token', 'introspect'), with or without a trailing slash. */
export const oauthEndpoint = (loginUrl: string, name: 'token' | 'introspect'): string => `${loginUrl.replace(/\/+$/, '')}/services/oauth2/${name}`;

/** The org's token endpoint at a login URL. */
export const tokenEndpoint = (loginUrl: string): string => oauthEndpoint(loginUrl, 'token');

/** base64(HMAC-SHA256(secret, id + issued_at)), as Salesforce signs its token responses. */
const expectedSignature = (clientSecret: string, identityUrl: string, issuedAt: string): string =>
  createHmac('sha256', clientSecret).update(identityUrl + issuedAt).digest('base64');

/** Constant-time comparison of a response's signature with the expected one. */
export const signatureMatches = (signature: string, clientSecret: string, identityUrl: string, issuedAt: string): boolean => {
  const expected = Buffer.from(expectedSignature(clientSecret, identityUrl, issuedAt));
  const actual = Buffer.from(signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
};

const looksLikeHtml = (response: HttpResponse): boolean =>
  (response.headers['content-type'] ?? '').includes('html') || /^\s*<(!doctype|html)/i.test(response.body);

const requireString = (raw: RawTokenResponse, field: string, host: string): string => {
  const value = raw[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw messages.createError('error.IncompleteResponse', [host, field]);
  }
  return value;
};

const IDENTITY_URL_END = new RegExp(`/(${ORG_ID_PATTERN})/(${USER_ID_PATTERN})/?$`);

/** Splits an identity URL (…/id/ORG_ID/USER_ID) into its org and user IDs. */
export const parseIdentityUrl = (identityUrl: string, host: string): { orgId: string; userId: string } => {
  const match = IDENTITY_URL_END.exec(identityUrl);
  if (!match) throw messages.createError('error.BadIdentityUrl', [host]);
  return { orgId: match[1], userId: match[2] };
};

/**
 * Checks a 200 answer of the token endpoint: JSON, the fields a login needs, a Bearer token,
 * and the signature when the org sends one. Returns the token or throws an error.
 */
const verifyTokenResponse = (response: HttpResponse, credentials: ClientCredentials): IssuedToken => {
  const url = tokenEndpoint(credentials.loginUrl);
  const host = new URL(url).host;
  let raw: RawTokenResponse;
  try {
    raw = JSON.parse(response.body) as RawTokenResponse;
  } catch {
    if (looksLikeHtml(response)) throw messages.createError('error.HtmlResponse', [host, String(response.status)], [credentials.loginUrl]);
    throw messages.createError('error.InvalidJson', [host, String(response.status)]);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw messages.createError('error.InvalidJson', [host, String(response.status)]);
  }
  const accessToken = requireString(raw, 'access_token', host);
  const instanceUrl = trustedInstanceUrl(requireString(raw, 'instance_url', host), credentials.loginUrl);
  const identityUrl = requireString(raw, 'id', host);
  const issuedAtText = typeof raw.issued_at === 'string' || typeof raw.issued_at === 'number' ? String(raw.issued_at) : '';
  const tokenType = typeof raw.token_type === 'string' ? raw.token_type : 'Bearer';
  if (tokenType.toLowerCase() !== 'bearer') {
    throw messages.createError('error.UnexpectedTokenType', [host, printable(tokenType).slice(0, 100)]);
  }
  if (raw.signature !== undefined) {
    if (typeof raw.signature !== 'string' || !signatureMatches(raw.signature, credentials.clientSecret, identityUrl, issuedAtText)) {
      throw messages.createError('error.BadSignature', [host]);
    }
  }
  const { orgId, userId } = parseIdentityUrl(identityUrl, host);
  const issuedAt = Number(issuedAtText);
  return {
    accessToken,
    instanceUrl,
    orgId,
    userId,
    issuedAt: Number.isFinite(issuedAt) && issuedAt > 0 ? issuedAt : Date.now(),
    tokenFormat: typeof raw.token_format === 'string' ? raw.token_format : undefined,
  };
};

/** Turns a non-200 answer of the token endpoint into an error. */
const tokenErrorFromResponse = (response: HttpResponse, credentials: ClientCredentials): Error => {
  const url = tokenEndpoint(credentials.loginUrl);
  const host = new URL(url).host;
  const oauthError = parseOAuthError(response.body);
  if (oauthError) {
    return oauthErrorToError(oauthError, {
      status: response.status,
      clientId: credentials.clientId,
      instanceUrl: credentials.loginUrl,
      secrets: [credentials.clientSecret],
    });
  }
  if (response.status >= 500) {
    return messages.createError('error.ServerUnavailable', [host, String(response.status), String(response.tries)]);
  }
  if (looksLikeHtml(response)) {
    return messages.createError('error.HtmlResponse', [host, String(response.status)], [credentials.loginUrl]);
  }
  return messages.createError('error.UnexpectedStatus', [host, String(response.status)]);
};

/**
 * Sends the client credentials grant to the org's token endpoint and returns the verified
 * token. Transient failures are retried (see httpSend); OAuth errors become errors that name
 * the cause and the fix. The secret goes only into the request body.
 */
export const requestToken = async (credentials: ClientCredentials, options: HttpOptions = {}): Promise<IssuedToken> => {
  // The secret goes only to an https login URL (or plain http on this machine).
  trustedLoginUrl(credentials.loginUrl);
  const response = await httpSend(
    {
      method: 'POST',
      url: tokenEndpoint(credentials.loginUrl),
      headers: { accept: 'application/json' },
      form: {
        grant_type: 'client_credentials',
        client_id: credentials.clientId,
        client_secret: credentials.clientSecret,
      },
    },
    options
  );
  if (response.status !== 200) throw tokenErrorFromResponse(response, credentials);
  return verifyTokenResponse(response, credentials);
};

import type { AuthFields } from '@salesforce/core';
import { introspectToken } from '../oauth/introspect.js';
import { requestToken, type ClientCredentials } from '../oauth/tokenExchange.js';
import { FALLBACK_LIFETIME_MS } from '../extension/renewalCheck.js';
import type { HttpOptions } from '../shared/http.js';
import { loadMessages, warningOf, type PluginWarning } from '../shared/messages.js';
import { redactAuthFields } from '../shared/redaction.js';
import { sameSalesforceId } from '../shared/salesforceIds.js';
import type { AliasAndDefaults } from '../store/registration.js';
import { checkHost } from './hostCheck.js';
import { describeOrg } from './orgInfo.js';

const messages = loadMessages('login');

export type LoginRequest = ClientCredentials & AliasAndDefaults & { http?: HttpOptions };

/** The --json result: the auth fields sf's token logins return, token redacted, no secret, plus the alias. */
export type LoginResult = {
  username: string;
  orgId: string;
  userId?: string;
  /** Always redacted. */
  accessToken: string;
  instanceUrl: string;
  loginUrl: string;
  clientId: string;
  isDevHub: boolean;
  name?: string;
  instanceName?: string;
  namespacePrefix?: string | null;
  isSandbox?: boolean;
  isScratch?: boolean;
  trailExpirationDate?: string | null;
  orgEdition?: string;
  alias?: string;
  /** When the token expires unless used (ISO 8601), as the org reported it. */
  expiresAt: string;
};

const toResult = (fields: AuthFields & { userId?: string }, clientId: string, alias: string | undefined, expiresAt: number): LoginResult => {
  const redacted = redactAuthFields(fields) as AuthFields & { userId?: string };
  return {
    username: redacted.username ?? '',
    orgId: redacted.orgId ?? '',
    userId: redacted.userId,
    accessToken: redacted.accessToken ?? '',
    instanceUrl: redacted.instanceUrl ?? '',
    loginUrl: redacted.loginUrl ?? '',
    clientId,
    isDevHub: redacted.isDevHub ?? false,
    name: redacted.name,
    instanceName: redacted.instanceName,
    namespacePrefix: redacted.namespacePrefix,
    isSandbox: redacted.isSandbox,
    isScratch: redacted.isScratch,
    trailExpirationDate: redacted.trailExpirationDate,
    orgEdition: redacted.orgEdition,
    alias,
    expiresAt: new Date(expiresAt).toISOString(),
  };
};

/** A warning for the user, with what to do about it when there is something to do. */
export type Warning = string | PluginWarning;

export type LoginOutcome = {
  result: LoginResult;
  warnings: Warning[];
  notices: string[];
};

/**
 * The whole login: token request, then in parallel who the token belongs to (userinfo, Dev Hub
 * check, Organization record) and when it expires (introspection), then registration in the
 * auth store. Two round trips to the org in sequence; nothing is written before both succeed.
 */
export const loginWithClientCredentials = async (request: LoginRequest): Promise<LoginOutcome> => {
  const { alias } = request;
  const credentials: ClientCredentials = {
    loginUrl: request.loginUrl,
    clientId: request.clientId,
    clientSecret: request.clientSecret,
  };
  checkHost();
  const token = await requestToken(credentials, request.http);
  const [org, introspection] = await Promise.all([
    describeOrg(token.instanceUrl, token.accessToken, request.http),
    introspectToken(credentials, token.accessToken, request.http),
  ]);
  // userinfo must speak of the user and org the token was issued for.
  if (!sameSalesforceId(org.orgId, token.orgId) || !sameSalesforceId(org.userId, token.userId)) {
    throw messages.createError('error.IdentityMismatch', [new URL(token.instanceUrl).host]);
  }
  const expiresAt = introspection?.expiresAt ?? token.issuedAt + FALLBACK_LIFETIME_MS;
  const lifetimeMs = introspection?.expiresAt ? introspection.expiresAt - token.issuedAt : undefined;
  // Loaded only once the org has answered: it brings in @salesforce/core's AuthInfo, and jsforce with it.
  const { storeLoginRecord } = await import('./authRecord.js');
  const registration = await storeLoginRecord({
    credentials,
    token,
    org,
    expiresAt,
    lifetimeMs,
    alias,
    setDefault: request.setDefault,
    setDefaultDevHub: request.setDefaultDevHub,
  });
  const warnings: Warning[] = [
    ...(token.tokenFormat === 'jwt' ? [warningOf(messages, 'warning.JwtToken')] : []),
    ...registration.warnings,
  ];
  return {
    result: toResult(registration.fields, credentials.clientId, alias, expiresAt),
    warnings,
    notices: registration.notices,
  };
};

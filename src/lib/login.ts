import { SfProject, type AuthFields } from '@salesforce/core';
import type { HttpOptions } from './http.js';
import { introspectToken } from './introspect.js';
import { loadMessages } from './messages.js';
import { describeOrg } from './orgInfo.js';
import { redactAuthFields } from './redaction.js';
import { registerLogin, validateAlias } from './registration.js';
import { requestToken, type ClientCredentials } from './tokenExchange.js';

const tokenMessages = loadMessages('token');

/**
 * Expiry assumed when the org does not answer introspection: short enough that the renewal hook
 * checks again soon (the shortest session timeout Salesforce offers is 15 minutes).
 */
export const FALLBACK_LIFETIME_MS = 15 * 60 * 1000;

export type LoginRequest = ClientCredentials & {
  alias?: string;
  setDefault?: boolean;
  setDefaultDevHub?: boolean;
  http?: HttpOptions;
};

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

const toResult = (fields: AuthFields & { userId?: string }, alias: string | undefined, expiresAt: number): LoginResult => {
  const redacted = redactAuthFields(fields) as AuthFields & { userId?: string };
  return {
    username: redacted.username ?? '',
    orgId: redacted.orgId ?? '',
    userId: redacted.userId,
    accessToken: redacted.accessToken ?? '',
    instanceUrl: redacted.instanceUrl ?? '',
    loginUrl: redacted.loginUrl ?? '',
    clientId: redacted.clientId ?? '',
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

export type LoginOutcome = {
  result: LoginResult;
  warnings: string[];
  notices: string[];
};

/** The sfdcLoginUrl of the sfdx-project.json around the current folder, if any. */
export const projectLoginUrl = async (): Promise<string | undefined> => {
  try {
    const project = await SfProject.resolve();
    const config = await project.resolveProjectConfig();
    return typeof config.sfdcLoginUrl === 'string' ? config.sfdcLoginUrl : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The whole login: token request, then in parallel who the token belongs to (userinfo, Dev Hub
 * check, Organization record) and when it expires (introspection), then registration in the
 * auth store. Two round trips to the org in sequence; nothing is written before both succeed.
 */
export const loginWithClientCredentials = async (request: LoginRequest): Promise<LoginOutcome> => {
  const alias = validateAlias(request.alias);
  const credentials: ClientCredentials = {
    instanceUrl: request.instanceUrl,
    clientId: request.clientId,
    clientSecret: request.clientSecret,
  };
  const token = await requestToken(credentials, request.http);
  const [org, introspection] = await Promise.all([
    describeOrg(token.instanceUrl, token.accessToken, request.http),
    introspectToken(credentials, token.accessToken, request.http),
  ]);
  const expiresAt = introspection?.expiresAt ?? token.issuedAt + FALLBACK_LIFETIME_MS;
  const registration = await registerLogin({
    credentials,
    token,
    org,
    expiresAt,
    lifetimeMs: introspection?.expiresAt ? introspection.expiresAt - token.issuedAt : undefined,
    alias,
    setDefault: request.setDefault,
    setDefaultDevHub: request.setDefaultDevHub,
  });
  const warnings = [
    ...(token.tokenFormat === 'jwt' ? [tokenMessages.getMessage('warning.JwtToken')] : []),
    ...registration.warnings,
  ];
  return {
    result: toResult(registration.fields, alias, expiresAt),
    warnings,
    notices: registration.notices,
  };
};

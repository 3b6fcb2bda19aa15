import { StateAggregator, type AuthFields } from '@salesforce/core';
import type { OrgInfo } from '../login/orgInfo.js';
import type { ClientCredentials, IssuedToken } from '../oauth/tokenExchange.js';
import { EXPIRY_FIELD, LIFETIME_FIELD } from '../preflight/authFields.js';
import { authFilePath } from '../preflight/sfFiles.js';
import { loadMessages } from '../shared/messages.js';
import { ensureAliasFile, restoreAlias, setAlias } from './aliases.js';
import { buildAuthInfo, writeCachedAuthFile, type StoredFields } from './authFile.js';
import { defaultsConfigPath, setDefaults } from './defaults.js';
import { withFileLock } from './files.js';
import { Rollback } from './rollback.js';

const messages = loadMessages('registration');

export type RegistrationInput = {
  credentials: ClientCredentials;
  token: IssuedToken;
  org: OrgInfo;
  /** Token expiry, epoch ms. */
  expiresAt: number;
  /** Lifetime of a fresh token, ms, when the org told. */
  lifetimeMs?: number;
  /** Already checked (see login/input.ts). */
  alias?: string;
  setDefault?: boolean;
  setDefaultDevHub?: boolean;
};

export type Registration = {
  /** Auth fields, decrypted: redact before showing. */
  fields: AuthFields;
  /** For the user's attention, such as an alias taken from another org. */
  warnings: string[];
  notices: string[];
};

/** The auth fields to store: what a token login stores, plus the credentials renewal needs. */
const buildAuthFields = (input: RegistrationInput): StoredFields => {
  const { token, org, credentials } = input;
  return {
    accessToken: token.accessToken,
    instanceUrl: token.instanceUrl,
    loginUrl: credentials.instanceUrl,
    username: org.username,
    orgId: org.orgId,
    userId: org.userId,
    isDevHub: org.isDevHub,
    ...org.organization,
    namespacePrefix: org.organization?.namespacePrefix ?? null,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    [EXPIRY_FIELD]: input.expiresAt,
    [LIFETIME_FIELD]: input.lifetimeMs,
  };
};

/**
 * Registers a verified token in the sf auth store: the auth file (encrypted by @salesforce/core,
 * written atomically under core's lock), the alias, and the defaults. Nothing is written until
 * every network step has succeeded; if a step here fails, the auth file, alias.json and config
 * are put back byte for byte.
 */
export const registerLogin = async (input: RegistrationInput): Promise<Registration> => {
  const { alias } = input;
  const username = input.org.username;
  await ensureAliasFile();
  const authInfo = await buildAuthInfo(buildAuthFields(input));
  // A previous login of another kind may have left credentials that would change how sf uses this auth.
  authInfo.update({ refreshToken: undefined, privateKey: undefined, authCode: undefined } as AuthFields);
  const stateAggregator = await StateAggregator.getInstance();
  const authPath = authFilePath(username);
  const rollback = new Rollback();
  const notices: string[] = [];
  const warnings: string[] = [];
  try {
    await withFileLock(authPath, async () => {
      await rollback.before(authPath);
      await writeCachedAuthFile(stateAggregator, username);
    });
    if (alias) {
      const change = await setAlias(alias, username);
      rollback.add(() => restoreAlias(alias, username, change));
      if (change.previous && change.previous !== username) {
        warnings.push(messages.getMessage('warning.AliasReassigned', [alias, change.previous, username]));
      }
    }
    if (input.setDefault === true || input.setDefaultDevHub === true) {
      const { path, isGlobal } = await defaultsConfigPath();
      await rollback.before(path);
      const value = alias ?? username;
      await setDefaults(value, isGlobal, { org: Boolean(input.setDefault), devHub: Boolean(input.setDefaultDevHub) });
      if (isGlobal) notices.push(messages.getMessage('info.DefaultSetGlobally', [value]));
    }
  } catch (error) {
    await rollback.restore();
    const reason = error instanceof Error ? error.message : String(error);
    throw messages.createError('error.RegistrationFailed', [username, reason]);
  }
  return { fields: authInfo.getFields(true), warnings, notices };
};

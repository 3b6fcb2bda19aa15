import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StateAggregator, type AuthFields } from '@salesforce/core';
import { DEFAULT_CLIENT, DEFAULT_USER, FakeOrg } from '../fake-org/server.js';
import { EXPIRY_FIELD, STORED_AT_FIELD } from '../../src/sf/authFields.js';
import { loginWithClientCredentials } from '../../src/login/login.js';
import { useTempHome } from './tempHome.js';

/**
 * A real login of this plugin, made against a local fake org in a temporary HOME, for the tests of
 * token renewal: the auth file is the one the plugin writes, encrypted with a key in
 * ~/.sfdx/key.json (SF_USE_GENERIC_UNIX_KEYCHAIN=true), read back through @salesforce/core.
 */

export const { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } = DEFAULT_CLIENT;
export const { username: USERNAME } = DEFAULT_USER;

export type RenewalFixture = {
  home: string;
  org: FakeOrg;
  username: string;
  /** ~/.sfdx/<username>.json */
  authPath: string;
};

/**
 * Registers mocha hooks that give each test a temporary HOME (useTempHome), a fake org (default
 * session timeout of two hours), and a login to it made by the plugin (alias `ci` unless
 * `alias: null`), with the org's request log emptied afterwards. Call inside a describe; read the
 * fixture in the tests.
 */
export const useRenewalFixture = (options: { alias?: string | null } = {}): (() => RenewalFixture) => {
  // Every variable the renewal code or @salesforce/core reads that would change what these tests see.
  const home = useTempHome({
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_DISABLE_LOG_FILE: 'true',
    SF_CLIENT_CREDENTIALS_RENEWAL: undefined,
    SF_CLIENT_CREDENTIALS_RENEWAL_MARGIN: undefined,
    SF_TARGET_ORG: undefined,
    SF_TARGET_DEV_HUB: undefined,
    SFDX_DEFAULTUSERNAME: undefined,
    SFDX_DEFAULTDEVHUBUSERNAME: undefined,
  });
  let fixture: RenewalFixture | undefined;

  beforeEach(async () => {
    const org = await FakeOrg.start();
    const alias = options.alias === null ? undefined : options.alias ?? 'ci';
    const { result } = await loginWithClientCredentials({ loginUrl: org.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, alias });
    org.resetRequests();
    fixture = { home: home(), org, username: result.username, authPath: join(home(), '.sfdx', `${result.username}.json`) };
  });

  afterEach(async () => {
    await fixture?.org.stop();
    fixture = undefined;
  });

  return () => {
    if (!fixture) throw new Error('the renewal fixture is only available inside a test');
    return fixture;
  };
};

/** The auth file as stored: secrets encrypted. */
export const readAuthFile = async (path: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;

/** Changes fields of the stored auth file directly (undefined deletes a field), as another program could. */
export const patchAuthFile = async (path: string, patch: Record<string, unknown>): Promise<void> => {
  const fields = await readAuthFile(path);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete fields[key];
    else fields[key] = value;
  }
  await writeFile(path, JSON.stringify(fields, null, 2));
};

/** Makes the stored token due for renewal: its stored expiry lies in the past, and it was stored long enough ago. */
export const makeDue = async (fixture: RenewalFixture): Promise<void> => {
  await patchAuthFile(fixture.authPath, { [EXPIRY_FIELD]: Date.now() - 60_000, [STORED_AT_FIELD]: Date.now() - 60 * 60 * 1000 });
};

/** The auth fields as @salesforce/core reads them back from disk, decrypted. */
export const decryptedFields = async (username: string): Promise<AuthFields & Record<string, unknown>> => {
  StateAggregator.clearInstance();
  const fields = await (await StateAggregator.getInstance()).orgs.read(username, true);
  StateAggregator.clearInstance();
  if (!fields) throw new Error(`no auth file for ${username}`);
  return fields as AuthFields & Record<string, unknown>;
};

/** The paths of the org's requests since the fixture's login, e.g. ['/services/oauth2/introspect']. */
export const requestPaths = (org: FakeOrg): string[] => org.requests.map((request) => request.path);

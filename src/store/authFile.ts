import { AuthInfo, StateAggregator, type AuthFields } from '@salesforce/core';
import { authFilePath, keyFilePath } from '../preflight/sfFiles.js';
import { withFileLock, writeFileAtomic } from './files.js';

/** Auth fields as this plugin reads and writes them: core's, plus the plugin's own. */
export type StoredFields = AuthFields & Record<string, unknown>;

/**
 * Builds the encrypted contents of an auth file in memory (nothing is written): with every field
 * supplied, core sends no request. Held under a lock on the key file: the first logins on a
 * machine, run in parallel, would otherwise each create their own encryption key and all but one
 * auth file become unreadable.
 */
export const buildAuthInfo = (fields: StoredFields): Promise<AuthInfo> =>
  withFileLock(keyFilePath(), () => AuthInfo.create({ accessTokenOptions: fields as AuthFields & { accessToken: string } }));

/**
 * Writes the cached, encrypted auth fields of a username to its auth file, atomically. The caller
 * holds the auth file's lock.
 */
export const writeCachedAuthFile = async (stateAggregator: StateAggregator, username: string): Promise<void> => {
  const encrypted = stateAggregator.orgs.get(username, false) as Record<string, unknown>;
  await writeFileAtomic(authFilePath(username), JSON.stringify(encrypted, null, 2));
};

/** The auth fields of a username as they are on disk now, decrypted when asked; undefined without a file. */
export const readAuthFields = async (username: string, decrypt: boolean, throwOnNotFound = false): Promise<StoredFields | undefined> => {
  StateAggregator.clearInstance();
  const stateAggregator = await StateAggregator.getInstance();
  return ((await stateAggregator.orgs.read(username, decrypt, throwOnNotFound)) ?? undefined) as StoredFields | undefined;
};

/** Changes some fields of an existing auth file through @salesforce/core (encrypted), under the file's lock. */
export const updateAuthFile = async (username: string, update: Record<string, unknown>): Promise<void> => {
  await withFileLock(authFilePath(username), async () => {
    StateAggregator.clearInstance();
    const authInfo = await AuthInfo.create({ username });
    authInfo.update(update as AuthFields);
    await writeCachedAuthFile(await StateAggregator.getInstance(), username);
  });
};

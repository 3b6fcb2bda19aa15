import { AuthInfo, StateAggregator, type AuthFields } from '@salesforce/core';
import { STAMP_FIELD, tokenStamp } from '../preflight/authFields.js';
import { keyFilePath } from '../preflight/sfFiles.js';
import type { StoredAuth } from '../store/authFile.js';
import { withFileLock } from '../store/files.js';

/** An auth file's fields both ways: as they will be stored (encrypted) and in clear, for the result. */
export type EncryptedAuth = { stored: StoredAuth; fields: AuthFields & Record<string, unknown> };

/**
 * Encrypts a login's auth fields with @salesforce/core, in memory: nothing is written, and with
 * every field supplied core sends no request. A previous auth file of the same username is merged
 * in, as core does for every login, minus the credentials of another kind of login (they would
 * change how sf uses this auth, and which app signs its scratch orgs up). The result carries the
 * stamp of its token.
 *
 * Done under a lock on the key file: the first logins on a machine, run in parallel, would
 * otherwise each create their own encryption key and all but one auth file become unreadable.
 */
export const encryptAuthFields = async (fields: Record<string, unknown>): Promise<EncryptedAuth> => {
  const authInfo = await withFileLock(keyFilePath(), () =>
    AuthInfo.create({ accessTokenOptions: fields as AuthFields & { accessToken: string } })
  );
  authInfo.update({
    refreshToken: undefined,
    privateKey: undefined,
    authCode: undefined,
    clientId: undefined,
    clientSecret: undefined,
  } as AuthFields);
  const username = authInfo.getUsername();
  const stateAggregator = await StateAggregator.getInstance();
  const encrypted = { ...(stateAggregator.orgs.get(username, false) as StoredAuth) };
  const stamps = { [STAMP_FIELD]: tokenStamp(encrypted.accessToken) };
  authInfo.update(stamps as AuthFields);
  return { stored: { ...encrypted, ...stamps }, fields: authInfo.getFields(true) as AuthFields & Record<string, unknown> };
};

/**
 * Makes a login of the plugin due for renewal before the next command, as hours of idling would:
 * the stored expiry passes and the session dies at the org. The plugin renews before a command
 * only a token it stored at least 5 minutes ago (by this machine's clock), so the stored time is
 * set back too. (A fake org with a short idle timeout would do the dying, but a loaded machine
 * can take longer than that between the login's own requests.)
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { FakeOrg } from '../fake-org/server.js';
import { EXPIRY_FIELD, STORED_AT_FIELD } from '../../src/sf/authFields.js';

export const makeDue = async (authFilePath: string, org: FakeOrg): Promise<void> => {
  const fields = JSON.parse(await readFile(authFilePath, 'utf8')) as Record<string, unknown>;
  if (typeof fields[EXPIRY_FIELD] !== 'number') throw new Error(`the auth file holds no ${EXPIRY_FIELD}: not a login of this plugin`);
  fields[EXPIRY_FIELD] = Date.now() - 60_000;
  fields[STORED_AT_FIELD] = Date.now() - 2 * 3_600_000;
  await writeFile(authFilePath, JSON.stringify(fields, null, 2));
  org.expireAllTokens();
};

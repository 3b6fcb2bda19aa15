import { shareHostLogger } from '../shared/hostLogger.js';
import { aliasOf } from '../store/aliases.js';
import { readAuthFields } from '../store/authFile.js';
import { renewalFailureWarning, renewIfDue } from './renew.js';

/** What the user is told to run to log in again, read from the auth file and alias.json. */
const loginHints = async (target: string, username: string): Promise<{ clientId?: string; instanceUrl?: string; alias?: string }> => {
  try {
    const fields = await readAuthFields(username, false);
    return {
      clientId: fields?.clientId,
      instanceUrl: (fields?.loginUrl ?? fields?.instanceUrl)?.replace(/\/+$/, ''),
      alias: target !== username ? target : await aliasOf(username),
    };
  } catch {
    return {};
  }
};

/** Renews the token of one org; returns a warning to show when that failed, else undefined. */
export const renewOrWarn = async (target: string, username: string, cliRoot?: string): Promise<string | undefined> => {
  shareHostLogger(cliRoot);
  try {
    await renewIfDue(username);
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return renewalFailureWarning(target, username, reason, await loginHints(target, username));
  }
};

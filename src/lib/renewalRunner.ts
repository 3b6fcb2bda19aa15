import { StateAggregator } from '@salesforce/core';
import { shareHostLogger } from './hostLogger.js';
import { renewalFailureWarning, renewIfDue } from './renewal.js';

/** What the user is told to run to log in again, read from the auth file and alias.json. */
const loginHints = async (target: string, username: string): Promise<{ clientId?: string; instanceUrl?: string; alias?: string }> => {
  try {
    StateAggregator.clearInstance();
    const stateAggregator = await StateAggregator.getInstance();
    const fields = await stateAggregator.orgs.read(username, false, false);
    return {
      clientId: fields?.clientId,
      instanceUrl: (fields?.loginUrl ?? fields?.instanceUrl)?.replace(/\/+$/, ''),
      alias: target !== username ? target : stateAggregator.aliases.get(username) ?? undefined,
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

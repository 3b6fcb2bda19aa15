import { cliVersion, hostCore, isSupportedCoreVersion, type HostCore } from '../extension/hostCore.js';
import { loadMessages } from '../shared/messages.js';

const messages = loadMessages('login');

/**
 * Refuses, before anything is sent, to log in through an sf whose @salesforce/core the plugin
 * doesn't know (it registers the login and renews tokens through that core): the error names that
 * sf, its core and the Node that runs it, and what to install instead.
 */
export const checkHost = (
  { host, sf, node }: { host?: HostCore; sf?: string; node: string } = { host: hostCore(), sf: cliVersion(), node: process.versions.node }
): void => {
  if (host && isSupportedCoreVersion(host.version)) return;
  throw messages.createError('error.UnsupportedSf', [sf ?? 'unknown', host?.version ?? 'none', node]);
};

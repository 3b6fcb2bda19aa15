import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Logger } from '@salesforce/core/logger';

type LoggerClass = { getRoot?: () => unknown; rootLogger?: unknown };

/**
 * Makes this plugin's copy of @salesforce/core log through the root logger of the sf CLI that
 * runs it, instead of starting a second log writer.
 *
 * A user-installed plugin has its own @salesforce/core. Its first log line would start a second
 * pino transport: a worker thread that keeps the process alive until it has started and flushed,
 * which kept sf running for a second or more after the command's output. Sharing the CLI's root
 * logger writes the same lines to the same file (~/.sf/sf-DATE.log), with one writer.
 * Returns false, and changes nothing, when the CLI's logger cannot be found or ours already exists.
 */
export const shareHostLogger = (cliRoot: string | undefined): boolean => {
  if (!cliRoot) return false;
  try {
    const ours = Logger as unknown as LoggerClass;
    const host = (createRequire(join(cliRoot, 'package.json'))('@salesforce/core/logger') as { Logger?: LoggerClass }).Logger;
    if (!host || host === ours) return host === ours;
    if (ours.rootLogger) return false;
    const hostRoot = host.getRoot?.() as { pinoLogger?: unknown } | undefined;
    if (!hostRoot || typeof hostRoot.pinoLogger !== 'object') return false;
    ours.rootLogger = hostRoot;
    return true;
  } catch {
    return false;
  }
};

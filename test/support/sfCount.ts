import { appendFileSync } from 'node:fs';

/** Set by the test command: a file that gets one line for every sf process the tests start. */
const COUNT_FILE = 'SF_CC_SF_COUNT_FILE';

/**
 * Notes that a test starts an sf process (the command's first word, e.g. `org`), so that the
 * test command can print how many the run started. Does nothing outside the test command.
 */
export const countSfProcess = (args: readonly string[]): void => {
  const file = process.env[COUNT_FILE];
  if (!file) return;
  appendFileSync(file, `${args.filter((arg) => !arg.startsWith('-')).slice(0, 3).join(' ')}\n`);
};

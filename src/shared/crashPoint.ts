/**
 * A test-only seam: the crash tests set SF_CLIENT_CREDENTIALS_TEST_CRASH to the name of a step of
 * a login or renewal that writes a file, and the process kills itself with SIGKILL there, as a
 * power cut or an OOM killer would. Without the variable (always, outside those tests) it does nothing.
 * It is not shipped: in the bundle (scripts/build.mjs) this module is a crashPoint that does
 * nothing; the crash tests run the tsc build of a linked plugin.
 */
export const CRASH_VARIABLE = 'SF_CLIENT_CREDENTIALS_TEST_CRASH';

export type CrashStep =
  /** The auth file's temporary file is written and flushed, not yet renamed over the auth file. */
  | 'auth-file-temporary'
  /** The login's auth file is in place; alias.json and config.json not yet written. */
  | 'auth-file-written'
  /** alias.json is written; the defaults not yet. */
  | 'alias-written'
  /** A renewal has its new token from the org; the auth file not yet written. */
  | 'renewal-minted'
  /** A renewal has written the auth file. */
  | 'renewal-written';

export const crashPoint = (step: CrashStep): void => {
  if (process.env[CRASH_VARIABLE] === step) process.kill(process.pid, 'SIGKILL');
};

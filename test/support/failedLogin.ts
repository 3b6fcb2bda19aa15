import { expect } from 'chai';
import type { RunOptions, SfResult, SfSandbox } from './sfSandbox.js';
import { snapshotHome } from './sfState.js';

export type ExpectedFailure = {
  /** The error's name: the messages/ key without "error.", plus "Error". */
  name: string;
  /** Must match the message. */
  message?: RegExp;
  /** Must match the actions, joined by new lines. */
  actions?: RegExp;
};

/** `sf org login client-credentials` with the given flags, always with --json. */
export const loginArgs = (clientId: string, instanceUrl: string | undefined, extra: string[] = []): string[] => [
  'org',
  'login',
  'client-credentials',
  '--client-id',
  clientId,
  ...(instanceUrl === undefined ? [] : ['--instance-url', instanceUrl]),
  '--json',
  ...extra,
];

/**
 * Runs a login through sf that must fail, and checks what every failure must do: exit code 1, the
 * JSON error shape of sf (name, message, actions, exitCode, status), and all of HOME byte for byte
 * as it was, but sf's logs and caches (see sfState.ts).
 */
export const expectFailedLogin = async (
  sf: SfSandbox,
  args: string[],
  options: RunOptions,
  expected: ExpectedFailure
): Promise<SfResult> => {
  const before = await snapshotHome(sf.home);
  const result = await sf.run(args, options);
  const shown = `${result.stdout}\n${result.stderr}`.slice(0, 3000);
  expect(result.code, shown).to.equal(1);
  expect(result.json, `stdout is not JSON: ${shown}`).to.be.an('object');
  const json = result.json as NonNullable<SfResult['json']>;
  expect(json.name, shown).to.equal(expected.name);
  expect(json).to.include({ status: 1, exitCode: 1, commandName: 'LoginClientCredentials' });
  expect(json.message).to.be.a('string').with.length.greaterThan(0);
  if (expected.message) expect(json.message).to.match(expected.message);
  expect(json.actions, 'every error says what to do next').to.be.an('array').with.length.greaterThan(0);
  if (expected.actions) expect((json.actions ?? []).join('\n')).to.match(expected.actions);
  expect(await snapshotHome(sf.home), 'something under HOME changed').to.deep.equal(before);
  return result;
};

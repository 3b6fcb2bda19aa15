import { TestContext } from '@salesforce/core/testSetup';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import LoginClientCredentials, { type ClientCredentialsLoginResult } from '../../src/commands/org/login/client-credentials.js';
import type { HttpOptions } from '../../src/shared/http.js';
import { DEFAULT_CLIENT, FakeOrg, type FakeOrgOptions } from '../fake-org/server.js';
import { current, useOwnTmpdir, useTempHome } from './tempHome.js';

export type CommandUx = ReturnType<typeof stubSfCommandUx>;

export type LoginCommandFixture = {
  $$: TestContext;
  /** This test's temporary HOME. */
  home: () => string;
  /** This test's fake org (a new one for each test). */
  org: () => FakeOrg;
  /** The stubbed output methods of the command. */
  ux: () => CommandUx;
  /** Everything the command printed, as one text. */
  output: () => string;
  /** Runs the command in process with these arguments. */
  run: (args: string[]) => Promise<ClientCredentialsLoginResult>;
  /** Runs the command with the fake org's default --client-id and its --instance-url, then these arguments. */
  login: (extra?: string[]) => Promise<ClientCredentialsLoginResult>;
};

export type LoginCommandOptions = {
  /** The HTTP options the command's requests are sent with, for this test's fake org (by default none, as in sf). */
  http?: (org: FakeOrg) => HttpOptions;
};

/**
 * Registers mocha hooks for in-process tests of `sf org login client-credentials`: @salesforce/core's
 * TestContext (config files stubbed, a test key), a temporary HOME with no secret variable set, the
 * command's output stubbed, and a fresh fake org for each test. Call inside a describe. The
 * describe gets its own os.tmpdir(), for the alias file that TestContext writes there.
 */
export const useLoginCommand = (orgOptions: FakeOrgOptions = {}, commandOptions: LoginCommandOptions = {}): LoginCommandFixture => {
  useOwnTmpdir();
  const $$ = new TestContext();
  const home = useTempHome({ SALESFORCE_CLIENT_SECRET: undefined, SF_CLIENT_SECRET: undefined, SF_CLIENT_CREDENTIALS_STDIN_TIMEOUT: undefined });
  let org: FakeOrg | undefined;
  let ux: CommandUx | undefined;
  const maxListeners = process.getMaxListeners();

  before(() => {
    // Every in-process run of an SfCommand adds signal listeners; dozens of runs are expected.
    process.setMaxListeners(100);
  });
  after(() => process.setMaxListeners(maxListeners));

  beforeEach(async () => {
    ux = stubSfCommandUx($$.SANDBOX);
    org = await FakeOrg.start(orgOptions);
  });
  afterEach(async () => {
    await org?.stop();
    org = undefined;
  });

  const fixture: LoginCommandFixture = {
    $$,
    home,
    org: () => current(org, 'useLoginCommand: the fake org'),
    ux: () => current(ux, 'useLoginCommand: the ux stub'),
    output: () =>
      Object.values(fixture.ux())
        .flatMap((stub) => stub.args.flat())
        .map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg)))
        .join('\n'),
    run: async (args) => {
      const http = commandOptions.http?.(fixture.org());
      // The command with these HTTP options: the one way in for them, as sf passes none.
      class LoginWithHttpOptions extends LoginClientCredentials {
        protected readonly http: HttpOptions = http ?? {};
      }
      // oclif types the static run as a promise of the instance's run(), itself a promise.
      const result = await (http ? LoginWithHttpOptions : LoginClientCredentials).run(args);
      return result;
    },
    login: (extra = []) => fixture.run(['--client-id', DEFAULT_CLIENT.clientId, '--instance-url', fixture.org().url, ...extra]),
  };
  return fixture;
};

import { expect } from 'chai';
import { DEFAULT_CLIENT, FakeOrg } from '../fake-org/server.js';
import { loginArgs } from '../support/failedLogin.js';
import { SfSandbox, type SfResult } from '../support/sfSandbox.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;

/** Where the client secret comes from, end to end with the real sf CLI. */
describe('client secret sources, end to end', function () {
  this.timeout(300_000);
  let org: FakeOrg;
  let sf: SfSandbox;

  const login = (options: { args?: string[]; env?: Record<string, string>; input?: string } = {}): Promise<SfResult> =>
    sf.run(['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', org.url, '--json', ...(options.args ?? [])], {
      env: options.env,
      input: options.input,
    });

  before(async () => {
    org = await FakeOrg.start();
    sf = await SfSandbox.create({}, { log: 'trace' });
  });

  after(async () => {
    const leaks = await sf.findLeaks([SECRET, ...org.issuedTokens]);
    await org.stop();
    await sf.cleanup();
    expect(leaks).to.deep.equal([]);
  });

  it('reads SALESFORCE_CLIENT_SECRET without a warning', async () => {
    const result = await login({ env: { SALESFORCE_CLIENT_SECRET: SECRET } });
    expect(result.code, result.stderr).to.equal(0);
    expect((result.json?.warnings ?? []).join('\n')).to.not.match(/client secret/i);
  });

  it('reads one line of piped standard input, white space around it trimmed, with a client ID given with a trailing newline', async () => {
    const result = await sf.run(loginArgs(`${CLIENT_ID}\n`, org.url), { input: `  ${SECRET}  \n` });
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    expect(result.json?.result).to.include({ username: 'ci-user@example.com', clientId: CLIENT_ID });
  });

  // sf itself writes the command line and every SF_* variable to its debug log before any plugin
  // runs, so these two cases run in sandboxes of their own at the default log level and stay out
  // of the leak scan above; the plugin's warnings say so.
  const ownSandbox = async (env: Record<string, string>, args: string[] = []): Promise<SfResult> => {
    const own = await SfSandbox.create({ SF_LOG_LEVEL: 'warn' }, { log: 'trace' });
    try {
      return await own.run(
        ['org', 'login', 'client-credentials', '--client-id', CLIENT_ID, '--instance-url', org.url, '--json', ...args],
        { env }
      );
    } finally {
      await own.cleanup();
    }
  };

  it('accepts --client-secret, trimmed, with a warning about process listings and the debug log', async () => {
    const result = await ownSandbox({}, ['--client-secret', `  ${SECRET} `]);
    expect(result.code, result.stderr).to.equal(0);
    const warnings = (result.json?.warnings ?? []).join('\n');
    expect(warnings).to.include('process list').and.include('SALESFORCE_CLIENT_SECRET');
    expect(result.stdout + result.stderr).to.not.include(SECRET);
  });

  it('reads SF_CLIENT_SECRET with a warning that names the log leak and the variable to use', async () => {
    const result = await ownSandbox({ SF_CLIENT_SECRET: SECRET });
    expect(result.code, result.stderr).to.equal(0);
    const warnings = (result.json?.warnings ?? []).join('\n');
    expect(warnings).to.include('SF_CLIENT_SECRET').and.include('SALESFORCE_CLIENT_SECRET').and.include('log');
    expect(result.stdout + result.stderr).to.not.include(SECRET);
  });
});

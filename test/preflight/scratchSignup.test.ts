import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { cachedSignupHubs, userChoseSignupApp } from '../../src/preflight/scratchSignup.js';
import { useTempHome } from '../support/tempHome.js';

describe('scratchSignup', () => {
  const home = useTempHome();

  it("lets the user's choice of signup app win: either variable, or org create scratch --client-id", () => {
    expect(userChoseSignupApp({}, ['--definition-file', 'x.json', '-v', 'hub'])).to.equal(false);
    expect(userChoseSignupApp({ SF_SCRATCH_SIGNUP_CONNECTED_APP: 'MyApp' }, [])).to.equal(true);
    expect(userChoseSignupApp({ SF_SCRATCH_SIGNUP_CALLBACK_URL: 'http://localhost:1717/OauthRedirect' }, [])).to.equal(true);
    for (const argv of [['--client-id', 'k'], ['--client-id=k'], ['-i', 'k'], ['-ik']]) expect(userChoseSignupApp({}, argv), argv.join(' ')).to.equal(true);
    expect(userChoseSignupApp({ SF_SCRATCH_SIGNUP_CONNECTED_APP: '' }, ['--id', 'x'])).to.equal(false);
  });

  it("reads the Dev Hubs of the scratch org creations in sf's cache, for org resume scratch", async () => {
    expect(await cachedSignupHubs()).to.deep.equal([]);
    await mkdir(join(home(), '.sf'), { recursive: true });
    await writeFile(
      join(home(), '.sf', 'scratch-create-cache.json'),
      JSON.stringify({ '2SR000000000001': { value: { hubUsername: 'hub@acme.com', jobId: '2SR000000000001' }, timestamp: 1 }, other: { value: {} } })
    );
    expect(await cachedSignupHubs()).to.deep.equal(['hub@acme.com']);
  });
});

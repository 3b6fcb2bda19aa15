import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { StateAggregator } from '@salesforce/core';
import { EXPIRY_FIELD } from '../../src/preflight/authFields.js';
import type { CoreModule } from '../../src/preflight/coreExtension.js';
import { renewDue, resetRenewalState } from '../../src/renewal/engine.js';
import { CLIENT_ID, CLIENT_SECRET, decryptedFields, makeDue, patchAuthFile, requestPaths, USERNAME, useRenewalFixture } from '../support/renewalFixture.js';

/** The renewal before a command, in the cases the stored expiry and the org can make. */
describe('renewal engine: renewDue, edge cases', () => {
  const fixture = useRenewalFixture();
  let core: CoreModule;
  before(async () => {
    core = (await import('@salesforce/core')) as unknown as CoreModule;
  });
  beforeEach(() => {
    resetRenewalState();
    StateAggregator.clearInstance();
  });

  it('renews a token that the `now` option says is due, and leaves one that is not', async () => {
    const { org } = fixture();
    org.expireAllTokens();
    expect(await renewDue(core, USERNAME, 'ci', { now: () => Date.now() })).to.deep.equal({ status: 'adopted' });
    expect(await renewDue(core, USERNAME, 'ci', { now: () => Date.now() + 3 * 60 * 60 * 1000 })).to.deep.equal({ status: 'renewed' });
  });

  it('mints a new token when the old one is alive but expires within the margin', async () => {
    const { org } = fixture();
    await makeDue(fixture());
    // The org now ends idle sessions after a minute: less than the margin of a two-hour login (five minutes).
    org.setSessionTimeout(60);
    expect(await renewDue(core, USERNAME, 'ci')).to.deep.equal({ status: 'renewed' });
    expect(requestPaths(org)).to.deep.equal(['/services/oauth2/introspect', '/services/oauth2/token']);
    expect((await decryptedFields(USERNAME)).accessToken).to.equal(org.issuedTokens.at(-1));
  });

  it('skips an auth file without a stored expiry (a login of another kind), and a username without an auth file', async () => {
    const { org, authPath } = fixture();
    await patchAuthFile(authPath, { [EXPIRY_FIELD]: undefined });
    expect(await renewDue(core, USERNAME, 'ci')).to.deep.equal({ status: 'disowned' });
    expect(await renewDue(core, 'nobody@example.com', undefined)).to.deep.equal({ status: 'skipped' });
    expect(org.requests).to.deep.equal([]);
  });

  it('refuses to store the token of another user when the Run As user changed', async () => {
    const { org, authPath } = fixture();
    await makeDue(fixture());
    org.expireAllTokens();
    org.setUser({ userId: '005FK0000000002YAA', username: 'other@example.com' });
    org.setClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, runAsUsername: 'other@example.com' });
    const before = await readFile(authPath, 'utf8');
    const { warning } = await renewDue(core, USERNAME, 'ci');
    expect(warning?.message).to.include('issued a token for another user than ci-user@example.com');
    expect(await readFile(authPath, 'utf8')).to.equal(before);
  });

  it('sends nothing for an auth file whose secret is gone, and leaves it to the next login', async () => {
    const { org, authPath } = fixture();
    await makeDue(fixture());
    await patchAuthFile(authPath, { clientSecret: undefined });
    expect((await renewDue(core, USERNAME, 'ci')).status).to.equal('disowned');
    expect(org.requests).to.deep.equal([]);
  });
});

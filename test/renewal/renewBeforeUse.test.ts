import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import * as salesforceCore from '@salesforce/core';
import { EXPIRY_FIELD } from '../../src/sf/authFields.js';
import type { CoreAuthInfo, CoreModule } from '../../src/extension/coreExtension.js';
import { createRenewalState, renewBeforeUse, renewRejected, type RenewalState } from '../../src/renewal/engine.js';
import { rejection } from '../support/rejection.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  decryptedFields,
  makeDue,
  patchAuthFile,
  readAuthFile,
  requestPaths,
  USERNAME,
  useRenewalFixture,
} from '../support/renewalFixture.js';

/** This test process's own core, as the renewal uses the command's. */
const core = salesforceCore as unknown as CoreModule;
const { StateAggregator } = salesforceCore;
/** The AuthInfo core creates when a command opens the org, which the renewal works on. */
const authInfo = (): Promise<CoreAuthInfo> => core.AuthInfo.create({ username: USERNAME });

/** The renewal when a command opens an org whose stored expiry is due, in every case the stored file and the org can make. */
describe('renewal engine: renewBeforeUse', () => {
  const fixture = useRenewalFixture();
  /** This test's renewal state, as a process has one. */
  let state: RenewalState;
  beforeEach(() => {
    state = createRenewalState();
    StateAggregator.clearInstance();
  });

  it('renews a token that the `now` option says is due, and leaves one that is not', async () => {
    const { org } = fixture();
    org.expireAllTokens();
    expect(await renewBeforeUse(await authInfo(), USERNAME, { state, now: () => Date.now() })).to.deep.equal({ status: 'adopted' });
    expect(await renewBeforeUse(await authInfo(), USERNAME, { state, now: () => Date.now() + 3 * 60 * 60 * 1000 })).to.deep.equal({ status: 'renewed' });
  });

  it('mints a new token when the old one is alive but expires within the margin', async () => {
    const { org } = fixture();
    await makeDue(fixture());
    // The org now ends idle sessions after a minute: less than the margin of a two-hour login (five minutes).
    org.setSessionTimeout(60);
    expect(await renewBeforeUse(await authInfo(), USERNAME, { state })).to.deep.equal({ status: 'renewed' });
    expect(requestPaths(org)).to.deep.equal(['/services/oauth2/introspect', '/services/oauth2/token']);
    expect((await decryptedFields(USERNAME)).accessToken).to.equal(org.issuedTokens.at(-1));
  });

  it('skips an auth file without a stored expiry (a login of another kind), and a username without an auth file', async () => {
    const { org, authPath } = fixture();
    await patchAuthFile(authPath, { [EXPIRY_FIELD]: undefined });
    expect(await renewBeforeUse(await authInfo(), USERNAME, { state })).to.deep.equal({ status: 'disowned' });
    expect(await renewBeforeUse(await authInfo(), 'nobody@example.com', { state })).to.deep.equal({ status: 'skipped' });
    expect(org.requests).to.deep.equal([]);
  });

  it('refuses to store the token of another user when the Run As user changed', async () => {
    const { org, authPath } = fixture();
    await makeDue(fixture());
    org.expireAllTokens();
    org.setUser({ userId: '005FK0000000002YAA', username: 'other@example.com' });
    org.setClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, runAsUsername: 'other@example.com' });
    const before = await readFile(authPath, 'utf8');
    const { warning } = await renewBeforeUse(await authInfo(), USERNAME, { state });
    expect(warning?.message).to.include('issued a token for another user than ci-user@example.com');
    expect(await readFile(authPath, 'utf8')).to.equal(before);
  });

  it('sends nothing for an auth file whose secret is gone, and leaves it to the next login', async () => {
    const { org, authPath } = fixture();
    await makeDue(fixture());
    await patchAuthFile(authPath, { clientSecret: undefined });
    expect((await renewBeforeUse(await authInfo(), USERNAME, { state })).status).to.equal('disowned');
    expect(org.requests).to.deep.equal([]);
  });

  it('sends nothing when the stored expiry is not due (another process renewed it meanwhile)', async () => {
    expect(await renewBeforeUse(await authInfo(), USERNAME, { state })).to.deep.equal({ status: 'adopted' });
    expect(fixture().org.requests).to.deep.equal([]);
  });

  it('only moves the expiry when the org says the token is alive', async () => {
    const { org, authPath } = fixture();
    await makeDue(fixture());
    const before = await readAuthFile(authPath);
    expect(await renewBeforeUse(await authInfo(), USERNAME, { state })).to.deep.equal({ status: 'extended' });
    expect(requestPaths(org)).to.deep.equal(['/services/oauth2/introspect']);
    const after = await readAuthFile(authPath);
    expect(after.accessToken).to.equal(before.accessToken);
    expect(after.clientCredentialsExpiry as number).to.be.greaterThan(Date.now());
  });

  it('mints a new token when the stored one is dead, in two requests', async () => {
    const { org } = fixture();
    await makeDue(fixture());
    org.expireAllTokens();
    expect(await renewBeforeUse(await authInfo(), USERNAME, { state })).to.deep.equal({ status: 'renewed' });
    expect(requestPaths(org)).to.deep.equal(['/services/oauth2/introspect', '/services/oauth2/token']);
    expect(org.isTokenActive((await decryptedFields(USERNAME)).accessToken as string)).to.equal(true);
  });

  it('removes the leftovers of a login that another login replaced, asking the org nothing', async () => {
    const { org, authPath } = fixture();
    await patchAuthFile(authPath, { accessToken: 'a-token-of-sf-org-login-access-token' });
    expect(await renewBeforeUse(await authInfo(), USERNAME, { state })).to.deep.equal({ status: 'disowned' });
    expect(await readAuthFile(authPath)).to.not.have.property('clientSecret');
    expect(org.requests).to.deep.equal([]);
  });

  it('turns a failure into a warning with the login command, and the command then fails at once with it', async () => {
    const { org } = fixture();
    await makeDue(fixture());
    org.setClient({ clientId: CLIENT_ID, clientSecret: 'rotated-secret', runAsUsername: USERNAME });
    org.expireAllTokens();
    const { warning } = await renewBeforeUse(await authInfo(), USERNAME, { state });
    expect(warning?.message).to.match(/^Could not renew the access token of ci \(ci-user@example.com\): .*refused the client secret/);
    expect(warning?.actions[0]).to.include(`--client-id ${CLIENT_ID} --instance-url ${org.url} --alias ci`);
    const requests = org.requests.length;
    StateAggregator.clearInstance();
    const opened = await authInfo();
    const error = await rejection(renewRejected(opened, opened.getFields(true).accessToken as string, { state }));
    expect(error.message).to.include('refused the client secret');
    expect(org.requests.length).to.equal(requests);
  });
});

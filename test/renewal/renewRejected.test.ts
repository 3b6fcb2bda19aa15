import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import * as salesforceCore from '@salesforce/core';
import { loginWithClientCredentials } from '../../src/login/login.js';
import { ownershipOf, PLUGIN_FIELDS } from '../../src/sf/authFields.js';
import type { CoreAuthInfo, CoreModule } from '../../src/extension/coreExtension.js';
import { createRenewalState, renewRejected, type RenewalState } from '../../src/renewal/engine.js';
import { acquireLock } from '../../src/store/lock.js';
import { rejection } from '../support/rejection.js';
import { CLIENT_ID, decryptedFields, patchAuthFile, readAuthFile, USERNAME, useRenewalFixture } from '../support/renewalFixture.js';

/** This test process's own core, as the renewal uses the command's. */
const core = salesforceCore as unknown as CoreModule;
const { AuthInfo, StateAggregator } = salesforceCore;

/** The renewal after the org rejected a session (jsforce's refresh), through this test process's own core. */
describe('renewal engine: renewRejected', () => {
  const fixture = useRenewalFixture();
  /** This test's renewal state, as a process has one. */
  let state: RenewalState;
  beforeEach(() => {
    state = createRenewalState();
  });

  /** An AuthInfo of the login, as a command's connection has it, and the token it holds. */
  const connection = async (): Promise<{ authInfo: CoreAuthInfo; token: string }> => {
    StateAggregator.clearInstance();
    const authInfo = (await core.AuthInfo.create({ username: USERNAME }));
    return { authInfo, token: authInfo.getFields(true).accessToken as string };
  };

  it('mints a new token for a rejected one, stores it encrypted and stamped, and hands it to jsforce', async () => {
    const { org, authPath } = fixture();
    const { authInfo, token } = await connection();
    org.expireAllTokens();
    const renewed = await renewRejected(authInfo, token, { state });
    expect(renewed).to.not.equal(token);
    expect(org.isTokenActive(renewed)).to.equal(true);
    expect(org.tokenRequests()).to.equal(1);
    expect((await decryptedFields(USERNAME)).accessToken).to.equal(renewed);
    expect(authInfo.getFields(true).accessToken, 'the AuthInfo in memory holds it too').to.equal(renewed);
    const stored = await readAuthFile(authPath);
    expect(stored.accessToken).to.not.include(renewed);
    expect(ownershipOf(stored)).to.equal('ours');
  });

  it('adopts the token another process stored meanwhile, without asking the org', async () => {
    const { org } = fixture();
    const stale = await connection();
    org.expireAllTokens();
    const other = await connection();
    const renewed = await renewRejected(other.authInfo, other.token, { state });
    expect(await renewRejected(stale.authInfo, stale.token, { state })).to.equal(renewed);
    expect(org.tokenRequests()).to.equal(1);
  });

  it('mints one token for five rejections at once', async () => {
    const { org } = fixture();
    const { authInfo, token } = await connection();
    org.expireAllTokens();
    const tokens = await Promise.all(Array.from({ length: 5 }, () => renewRejected(authInfo, token, { state })));
    expect(new Set(tokens).size).to.equal(1);
    expect(org.tokenRequests()).to.equal(1);
  });

  it('does not loop when the org rejects the token it has just issued', async () => {
    const { org } = fixture();
    const { authInfo, token } = await connection();
    org.expireAllTokens();
    const renewed = await renewRejected(authInfo, token, { state });
    const error = await rejection(renewRejected(authInfo, renewed, { state }));
    expect(error.name).to.equal('RenewalFailedError');
    expect(error.message).to.include('rejected the access token it had just issued');
    expect(org.tokenRequests()).to.equal(1);
  });

  it('fails with the org, the cause and the login command when the secret was rotated, once per command', async () => {
    const { org, authPath } = fixture();
    const { authInfo, token } = await connection();
    const before = await readAuthFile(authPath);
    org.setClient({ clientId: CLIENT_ID, clientSecret: 'rotated-secret', runAsUsername: USERNAME });
    org.expireAllTokens();
    const error = await rejection(renewRejected(authInfo, token, { state }));
    expect(error.name).to.equal('RenewalFailedError');
    expect(error.message).to.include('Could not renew the access token of ci (ci-user@example.com)');
    expect(error.message).to.include('refused the client secret');
    expect(error.message).to.include(`sf org login client-credentials --client-id ${CLIENT_ID} --instance-url ${org.url} --alias ci`);
    expect(error.message).to.not.include('fake-client-secret');
    expect(await readAuthFile(authPath)).to.deep.equal(before);
    expect((await rejection(renewRejected(authInfo, token, { state }))).message).to.equal(error.message);
    expect(org.tokenRequests(), 'the second failure asks the org nothing').to.equal(1);
  });

  it('remembers a failure in its own state only: another state (another process) asks the org again', async () => {
    const { org } = fixture();
    const { authInfo, token } = await connection();
    org.setClient({ clientId: CLIENT_ID, clientSecret: 'rotated-secret', runAsUsername: USERNAME });
    org.expireAllTokens();
    await rejection(renewRejected(authInfo, token, { state }));
    expect([...state.failures.keys()]).to.deep.equal([USERNAME]);
    const other = createRenewalState();
    await rejection(renewRejected(authInfo, token, { state: other }));
    expect(org.tokenRequests(), 'each state asked once').to.equal(2);
  });

  it('never writes over a login that lands while the token is being minted', async () => {
    const { org, authPath } = fixture();
    const { authInfo, token } = await connection();
    org.expireAllTokens();
    org.setClient({ clientId: 'second-app', clientSecret: 'second-secret', runAsUsername: USERNAME });
    org.setLatency(400);
    const renewal = renewRejected(authInfo, token, { state });
    await sleep(100);
    StateAggregator.clearInstance();
    const login = loginWithClientCredentials({ loginUrl: org.url, clientId: 'second-app', clientSecret: 'second-secret' });
    await Promise.all([renewal, login]);
    const stored = await readAuthFile(authPath);
    expect(stored.clientId).to.equal('second-app');
    expect(ownershipOf(stored)).to.equal('ours');
    expect((await decryptedFields(USERNAME)).clientSecret).to.equal('second-secret');
  });

  it('stores nothing when another kind of login rewrote the file while the token was minted', async () => {
    const { org, authPath } = fixture();
    const { authInfo, token } = await connection();
    org.expireAllTokens();
    org.setLatency(300);
    const renewal = rejection(renewRejected(authInfo, token, { state }));
    await sleep(100);
    // What sf org login access-token does to the file: a new (encrypted) token, the rest merged.
    const other = (await AuthInfo.create({ username: USERNAME })).getFields().accessToken as string;
    await patchAuthFile(authPath, { accessToken: `${other.slice(0, -4)}beef` });
    expect((await renewal).message).to.include('Another login has replaced');
    expect(String((await readAuthFile(authPath)).accessToken).endsWith('beef')).to.equal(true);
    // A save of the same command afterwards (core writes every field it holds) keeps that login too.
    await (authInfo as unknown as InstanceType<typeof AuthInfo>).save();
    expect(String((await readAuthFile(authPath)).accessToken).endsWith('beef')).to.equal(true);
  });

  it('never holds a new token without its stamps, so that a save of core at any moment stores a login that is still its own', async () => {
    const { org, authPath } = fixture();
    const { authInfo, token } = await connection();
    org.expireAllTokens();
    // core's lock on the auth file, held by "another process": the renewal mints, then waits to write.
    const lock = await acquireLock(authPath);
    const renewal = renewRejected(authInfo, token, { state });
    try {
      while ((authInfo.getFields(true).accessToken as string) === token) {
        // eslint-disable-next-line no-await-in-loop
        await sleep(5);
      }
      expect(ownershipOf(authInfo.getFields(false)), 'what core holds while the file waits').to.equal('ours');
    } finally {
      await lock.release();
    }
    expect(await renewal).to.equal(authInfo.getFields(true).accessToken);
    expect(ownershipOf(await readAuthFile(authPath))).to.equal('ours');
  });

  it('renews nothing, and cleans up, when another login has replaced this one', async () => {
    const { authPath, org } = fixture();
    const { authInfo, token } = await connection();
    await patchAuthFile(authPath, { accessToken: 'not-the-token-this-plugin-stored' });
    const error = await rejection(renewRejected(authInfo, token, { state }));
    expect(error.message).to.include('Another login has replaced');
    const stored = await readAuthFile(authPath);
    for (const field of [...PLUGIN_FIELDS, 'clientSecret', 'clientId']) expect(stored, field).to.not.have.property(field);
    expect(stored.accessToken).to.equal('not-the-token-this-plugin-stored');
    expect(org.tokenRequests()).to.equal(0);
  });
  it('never sends the secret to a login URL an edited auth file names: RenewalFailed naming the file, nothing asked, no evil URL suggested', async () => {
    const { authPath, org } = fixture();
    const { authInfo, token } = await connection();
    org.expireAllTokens();
    // Someone who can write ~/.sfdx, not read the key: the login URL points elsewhere, the rest is untouched.
    await patchAuthFile(authPath, { loginUrl: 'https://collector.example.net' });
    const error = await rejection(renewRejected(authInfo, token, { state }));
    expect(error.name).to.equal('RenewalFailedError');
    expect(error.message).to.include(authPath).and.include('https://collector.example.net');
    expect(error.message, 'the login command it suggests').to.not.include('--instance-url https://collector.example.net');
    expect(org.tokenRequests()).to.equal(0);
  });

  it('renews nothing when the auth file names no org or user ID: a token of any org or user would pass', async () => {
    const { authPath, org } = fixture();
    const { authInfo, token } = await connection();
    org.expireAllTokens();
    await patchAuthFile(authPath, { orgId: undefined });
    const error = await rejection(renewRejected(authInfo, token, { state }));
    expect(error.name).to.equal('RenewalFailedError');
    expect(error.message).to.include('does not name the org and user');
    expect(org.tokenRequests()).to.equal(0);
  });
});

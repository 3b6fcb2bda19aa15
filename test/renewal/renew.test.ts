import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import lockfile from 'proper-lockfile';
import { EXPIRY_FIELD, LIFETIME_FIELD } from '../../src/preflight/authFields.js';
import { LOCK_OPTIONS } from '../../src/store/files.js';
import { renewalFailureWarning, renewIfDue } from '../../src/renewal/renew.js';
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
import { rejection } from '../support/rejection.js';

describe('renewal', () => {
  describe('renewIfDue', () => {
    const fixture = useRenewalFixture();

    it('mints a new token when the stored one is due and dead at the org, and stores it encrypted', async () => {
      const { org, username, authPath } = fixture();
      expect(username).to.equal(USERNAME);
      const before = await readAuthFile(authPath);
      const modeBefore = (await stat(authPath)).mode & 0o777;
      await makeDue(fixture());
      org.expireAllTokens();

      const result = await renewIfDue(username);

      expect(result.status).to.equal('renewed');
      expect(result.username).to.equal(username);
      expect(requestPaths(org)).to.deep.equal(['/services/oauth2/introspect', '/services/oauth2/token']);
      expect(org.issuedTokens).to.have.length(2);
      const newToken = org.issuedTokens[1];
      expect(org.isTokenActive(newToken)).to.equal(true);

      const raw = await readFile(authPath, 'utf8');
      expect(raw).not.to.include(newToken);
      expect(raw).not.to.include(CLIENT_SECRET);
      const after = JSON.parse(raw) as Record<string, unknown>;
      expect(after.accessToken).to.be.a('string').and.not.equal(before.accessToken);
      expect(after[EXPIRY_FIELD]).to.equal(result.expiresAt);
      expect(after[LIFETIME_FIELD]).to.equal(before[LIFETIME_FIELD]);
      expect((await stat(authPath)).mode & 0o777).to.equal(modeBefore);

      const fields = await decryptedFields(username);
      expect(fields).to.include({ accessToken: newToken, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, username });
      expect(fields.instanceUrl).to.equal(org.url);
      // The stored lifetime (two hours) after the new token was issued.
      expect(result.expiresAt).to.be.a('number').and.greaterThan(Date.now());
      // Nothing left behind: neither a lock nor a temporary file.
      expect(await readdir(join(fixture().home, '.sfdx'))).to.have.members(['alias.json', 'key.json', `${username}.json`]);
    });

    it('renews a token that the `now` option says is due, and leaves one that is not', async () => {
      const { org, username, authPath } = fixture();
      const storedExpiry = (await readAuthFile(authPath))[EXPIRY_FIELD] as number;
      org.expireAllTokens();

      const notYet = await renewIfDue(username, { now: () => storedExpiry - 24 * 60 * 60 * 1000 });
      expect(notYet).to.deep.equal({ status: 'adopted', username, expiresAt: storedExpiry });
      expect(requestPaths(org)).to.deep.equal([]);

      const due = await renewIfDue(username, { now: () => storedExpiry });
      expect(due.status).to.equal('renewed');
      expect(org.tokenRequests()).to.equal(1);
      expect((await decryptedFields(username)).accessToken).to.equal(org.issuedTokens[1]);
    });

    it('only updates the expiry when the org says the old token is still alive', async () => {
      const { org, username, authPath } = fixture();
      const tokenBefore = (await decryptedFields(username)).accessToken;
      await makeDue(fixture());
      const before = await readAuthFile(authPath);

      const result = await renewIfDue(username);

      expect(result.status).to.equal('extended');
      expect(requestPaths(org)).to.deep.equal(['/services/oauth2/introspect']);
      expect(org.tokenRequests()).to.equal(0);
      expect(org.issuedTokens).to.have.length(1); // the login's
      const after = await readAuthFile(authPath);
      expect(after[EXPIRY_FIELD]).to.equal(result.expiresAt);
      expect(result.expiresAt).to.be.greaterThan(before[EXPIRY_FIELD] as number);
      expect(Object.keys(after).sort()).to.deep.equal(Object.keys(before).sort());
      const fields = await decryptedFields(username);
      expect(fields.accessToken).to.equal(tokenBefore);
      expect(fields.clientSecret).to.equal(CLIENT_SECRET);
    });

    it('mints a new token when the old one is alive but expires within the margin', async () => {
      const { org, username } = fixture();
      await makeDue(fixture());
      // The org now ends idle sessions after a minute: less than the margin of a two-hour login (five minutes).
      org.setSessionTimeout(60);

      const result = await renewIfDue(username);

      expect(result.status).to.equal('renewed');
      expect(requestPaths(org)).to.deep.equal(['/services/oauth2/introspect', '/services/oauth2/token']);
      expect((await decryptedFields(username)).accessToken).to.equal(org.issuedTokens[1]);
    });

    it('sends nothing when the stored token is not due', async () => {
      const { org, username, authPath } = fixture();
      const before = await readFile(authPath, 'utf8');

      const result = await renewIfDue(username);

      expect(result).to.deep.equal({ status: 'adopted', username, expiresAt: JSON.parse(before)[EXPIRY_FIELD] as number });
      expect(requestPaths(org)).to.deep.equal([]);
      expect(await readFile(authPath, 'utf8')).to.equal(before);
    });

    it('adopts the token another process stored while this one waited for the lock', async () => {
      const { org, username, authPath } = fixture();
      await makeDue(fixture());
      org.expireAllTokens();
      // Another process holds the renewal lock (~/.sfdx/<username>.json.renewal.lock) ...
      const release = await lockfile.lock(`${authPath}.renewal`, LOCK_OPTIONS);
      let settled = false;
      const renewal = renewIfDue(username).finally(() => {
        settled = true;
      });
      await delay(300);
      expect(settled, 'renewIfDue waits for the lock').to.equal(false);
      // ... renews the token, then lets go.
      const freshExpiry = Date.now() + 2 * 60 * 60 * 1000;
      await patchAuthFile(authPath, { [EXPIRY_FIELD]: freshExpiry });
      await release();

      expect(await renewal).to.deep.equal({ status: 'adopted', username, expiresAt: freshExpiry });
      expect(requestPaths(org)).to.deep.equal([]);
    });

    it('mints one token for five renewals of the same org at once', async () => {
      const { org, username } = fixture();
      await makeDue(fixture());
      org.expireAllTokens();

      const results = await Promise.all(Array.from({ length: 5 }, () => renewIfDue(username)));

      expect(results.map((result) => result.status).sort()).to.deep.equal(['adopted', 'adopted', 'adopted', 'adopted', 'renewed']);
      expect(new Set(results.map((result) => result.expiresAt)).size).to.equal(1);
      expect(org.tokenRequests()).to.equal(1);
      expect(org.issuedTokens).to.have.length(2); // the login's and one renewal
      expect((await decryptedFields(username)).accessToken).to.equal(org.issuedTokens[1]);
    });

    it('skips an auth file without a stored expiry (a login of another kind) and a username without one', async () => {
      const { org, username, authPath } = fixture();
      org.expireAllTokens();
      await patchAuthFile(authPath, { [EXPIRY_FIELD]: undefined, [LIFETIME_FIELD]: undefined });
      const before = await readFile(authPath, 'utf8');

      expect(await renewIfDue(username)).to.deep.equal({ status: 'skipped', username });
      expect(await renewIfDue('nobody@example.com')).to.deep.equal({ status: 'skipped', username: 'nobody@example.com' });

      expect(requestPaths(org)).to.deep.equal([]);
      expect(await readFile(authPath, 'utf8')).to.equal(before);
    });

    it('throws the InvalidClient error and leaves the auth file as it was when the secret was rotated', async () => {
      const { org, username, authPath } = fixture();
      await makeDue(fixture());
      org.expireAllTokens();
      org.setClient({ clientId: CLIENT_ID, clientSecret: 'new', runAsUsername: USERNAME });
      const before = await readFile(authPath, 'utf8');

      const error = await rejection(renewIfDue(username));

      expect(error.name).to.equal('InvalidClientError');
      expect(error.message).to.include(CLIENT_ID).and.not.include(CLIENT_SECRET);
      expect(requestPaths(org)).to.deep.equal(['/services/oauth2/introspect', '/services/oauth2/token']);
      expect(org.issuedTokens).to.have.length(1);
      expect(await readFile(authPath, 'utf8')).to.equal(before);
      // The lock is released: a later renewal with the right secret goes through.
      org.setClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, runAsUsername: USERNAME });
      expect((await renewIfDue(username)).status).to.equal('renewed');
    });

    it('refuses to store the token of another user when the Run As user changed', async () => {
      const { org, username, authPath } = fixture();
      await makeDue(fixture());
      org.expireAllTokens();
      org.setUser({ userId: '005FK0000000002YAA', username: 'other@example.com' });
      org.setClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, runAsUsername: 'other@example.com' });
      const before = await readFile(authPath, 'utf8');

      const error = await rejection(renewIfDue(username));

      expect(error.name).to.equal('RunAsUserChangedError');
      expect(error.message).to.include(USERNAME);
      expect(await readFile(authPath, 'utf8')).to.equal(before);
    });

    it('refuses an auth file without the client secret, sending nothing', async () => {
      const { org, username, authPath } = fixture();
      await makeDue(fixture());
      await patchAuthFile(authPath, { clientSecret: undefined });

      const error = await rejection(renewIfDue(username));

      expect(error.name).to.equal('MissingCredentialsError');
      expect(error.message).to.include(username);
      expect(requestPaths(org)).to.deep.equal([]);
    });
  });

  describe('renewalFailureWarning', () => {
    const loginLine = 'sf org login client-credentials --client-id 3MVG9Key --instance-url https://acme.my.salesforce.com';

    it('names the alias and the username, the reason, and the login command with the alias', () => {
      const warning = renewalFailureWarning('ci', 'ci@acme.com', 'The org refused the client secret', {
        clientId: '3MVG9Key',
        instanceUrl: 'https://acme.my.salesforce.com',
        alias: 'ci',
      });
      const [first, ...actions] = warning.split('\n');
      expect(first).to.include('Could not renew the access token of ci (ci@acme.com): The org refused the client secret. ');
      expect(actions).to.have.length(2);
      expect(actions[0]).to.match(/^ {2}\S/);
      expect(actions[0].endsWith(`${loginLine} --alias ci`)).to.equal(true);
      expect(actions[1]).to.include('SF_CLIENT_CREDENTIALS_RENEWAL=false');
    });

    it('names a username target once, and does not double the full stop of a reason', () => {
      const warning = renewalFailureWarning('ci@acme.com', 'ci@acme.com', 'Connection refused.', {
        clientId: '3MVG9Key',
        instanceUrl: 'https://acme.my.salesforce.com',
      });
      expect(warning).to.include('Could not renew the access token of ci@acme.com: Connection refused. ');
      expect(warning).not.to.include('..');
      expect(warning).not.to.include('(ci@acme.com)');
      expect(warning).not.to.include('--alias');
      expect(warning.split('\n')[1].endsWith(loginLine)).to.equal(true);
    });

    it('shows placeholders when the auth file could not tell the consumer key and URL', () => {
      const warning = renewalFailureWarning('ci', 'ci@acme.com', 'boom');
      expect(warning).to.include('--client-id <consumer key> --instance-url <My Domain URL>');
      expect(warning).not.to.include('--alias');
      expect(warning).to.include('ci (ci@acme.com): boom.');
    });
  });
});

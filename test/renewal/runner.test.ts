import { expect } from 'chai';
import { renewOrWarn } from '../../src/renewal/runner.js';
import { CLIENT_ID, CLIENT_SECRET, decryptedFields, makeDue, USERNAME, useRenewalFixture } from '../support/renewalFixture.js';

/** The command the warning tells the user to run again. */
const loginCommand = (instanceUrl: string, alias?: string): string =>
  `sf org login client-credentials --client-id ${CLIENT_ID} --instance-url ${instanceUrl}${alias ? ` --alias ${alias}` : ''}`;

describe('renewOrWarn', () => {
  describe('with a login aliased ci', () => {
    const fixture = useRenewalFixture();

    it('renews a due token and returns no warning', async () => {
      const { org, username } = fixture();
      await makeDue(fixture());
      org.expireAllTokens();

      expect(await renewOrWarn('ci', username, '/work/main')).to.equal(undefined);

      expect(org.tokenRequests()).to.equal(1);
      expect((await decryptedFields(username)).accessToken).to.equal(org.issuedTokens[1]);
    });

    it('returns a warning naming the alias, the username, the reason and the login command when renewal fails', async () => {
      // What renewal leaves on disk when it fails is renewIfDue's (renew.test.ts); this is the warning.
      const { org, username } = fixture();
      await makeDue(fixture());
      org.expireAllTokens();
      org.setClient({ clientId: CLIENT_ID, clientSecret: 'rotated-secret', runAsUsername: USERNAME });

      const warning = await renewOrWarn('ci', username);

      expect(warning).to.be.a('string');
      expect(warning).to.include(`Could not renew the access token of ci (${username}): The org refused the client secret`);
      expect(warning).to.include(loginCommand(org.url, 'ci'));
      expect(warning).not.to.include(CLIENT_SECRET).and.not.include('rotated-secret');
    });

    it('finds the alias of a username target in alias.json for the login command', async () => {
      const { org, username } = fixture();
      await makeDue(fixture());
      org.expireAllTokens();
      org.removeClient(CLIENT_ID);

      const warning = await renewOrWarn(username, username);

      expect(warning).to.include(`Could not renew the access token of ${username}: `);
      expect(warning).not.to.include(`(${username})`);
      expect(warning).to.include(loginCommand(org.url, 'ci'));
    });
  });

  describe('with a login without alias', () => {
    const fixture = useRenewalFixture({ alias: null });

    it('gives the login command without --alias', async () => {
      const { org, username } = fixture();
      await makeDue(fixture());
      org.expireAllTokens();
      org.setClient({ clientId: CLIENT_ID, clientSecret: 'rotated-secret', runAsUsername: USERNAME });

      const warning = await renewOrWarn(username, username);

      expect(warning).to.include(loginCommand(org.url));
      expect(warning).not.to.include('--alias');
    });
  });
});

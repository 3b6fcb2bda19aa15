import { expect } from 'chai';
import { AuthInfo, StateAggregator, type AuthFields } from '@salesforce/core';
import { EXPIRY_FIELD, LIFETIME_FIELD, LOGIN_URL_STAMP_FIELD, leftoversOf, ownershipOf, PLUGIN_FIELDS, stampsFor } from '../../src/sf/authFields.js';
import { useTempHome } from '../support/tempHome.js';

/** A login of this plugin as stored: encrypted values stand in as opaque strings. */
const ours = (overrides: Record<string, unknown> = {}): Record<string, unknown> => {
  const stored = { username: 'ci@acme.com', accessToken: 'enc:token-1', clientId: '3MVG9key', clientSecret: 'enc:secret-1', [EXPIRY_FIELD]: 1, [LIFETIME_FIELD]: 7_200_000, [LOGIN_URL_STAMP_FIELD]: 'a1b2c3' };
  return { ...stored, ...stampsFor(stored), ...overrides };
};

describe('authFields', () => {
  describe('with @salesforce/core', () => {
    useTempHome({ SF_USE_GENERIC_UNIX_KEYCHAIN: 'true', SF_DISABLE_LOG_FILE: 'true' });

    it('names its fields so that core keeps them in clear (the hook reads them without decrypting)', async () => {
      const marks = Object.fromEntries(PLUGIN_FIELDS.map((field) => [field, `plain-${field}`]));
      const fields = { username: 'ci@acme.com', accessToken: '00DXX0000000001!AQ4AQFake', instanceUrl: 'https://acme.my.salesforce.com', orgId: '00DXX0000000001EAA', isDevHub: false, namespacePrefix: null, ...marks };
      const authInfo = await AuthInfo.create({ accessTokenOptions: fields as unknown as AuthFields & { accessToken: string } });
      const stored = (await StateAggregator.getInstance()).orgs.get(authInfo.getUsername(), false) as Record<string, unknown>;
      expect(stored.accessToken, 'core encrypts the token').to.not.equal(fields.accessToken);
      for (const field of PLUGIN_FIELDS) expect(stored[field], field).to.equal(`plain-${field}`);
    });
  });

  describe('ownershipOf', () => {
    it('knows a login of this plugin as it stored it', () => {
      expect(ownershipOf(ours())).to.equal('ours');
    });

    it('sees that another login replaced the token, the secret or the consumer key', () => {
      expect(ownershipOf(ours({ accessToken: 'enc:token-of-an-access-token-login' }))).to.equal('replaced');
      expect(ownershipOf(ours({ clientSecret: 'enc:secret-of-a-web-login' }))).to.equal('replaced');
      expect(ownershipOf(ours({ clientId: 'PlatformCLI' }))).to.equal('replaced');
      expect(ownershipOf(ours({ clientSecret: undefined }))).to.equal('replaced');
    });

    it('does not take a file without stamps as its own, even with its expiry, a consumer key and a secret (a login merged over one of 0.1)', () => {
      const merged = { accessToken: 'enc:web-token', refreshToken: 'enc:r', clientId: 'PlatformCLI', clientSecret: 'enc:s', [EXPIRY_FIELD]: 5, [LIFETIME_FIELD]: 7_200_000 };
      expect(ownershipOf(merged)).to.equal('replaced');
      expect(ownershipOf({ ...merged, refreshToken: undefined, clientId: 'k' })).to.equal('replaced');
      expect(leftoversOf(merged), 'only its own two fields go').to.have.members([EXPIRY_FIELD, LIFETIME_FIELD]);
    });

    it('has nothing to say about other auth files', () => {
      expect(ownershipOf(undefined)).to.equal('none');
      expect(ownershipOf({ accessToken: 'enc:t', refreshToken: 'enc:r', clientId: 'PlatformCLI' })).to.equal('none');
    });
  });

  describe('leftoversOf', () => {
    it('after an access-token login: the plugin fields, its secret and its consumer key', () => {
      expect(leftoversOf(ours({ accessToken: 'enc:other' }))).to.have.members([...PLUGIN_FIELDS, 'clientSecret', 'clientId']);
    });

    it('keeps the consumer key that a refresh-token or JWT login needs', () => {
      expect(leftoversOf(ours({ accessToken: 'enc:o', refreshToken: 'enc:r' }))).to.have.members([...PLUGIN_FIELDS, 'clientSecret']);
      expect(leftoversOf(ours({ accessToken: 'enc:o', privateKey: '/k.pem' }))).to.have.members([...PLUGIN_FIELDS, 'clientSecret']);
    });

    it('removes the login URL stamp with the rest, so a replaced file keeps nothing of the plugin', () => {
      expect(leftoversOf(ours({ accessToken: 'enc:other' }))).to.include(LOGIN_URL_STAMP_FIELD);
      expect(ownershipOf({ accessToken: 'enc:web', [LOGIN_URL_STAMP_FIELD]: 'a1b2c3' }), 'a stamp alone is a leftover').to.equal('replaced');
    });

    it("keeps the other login's own consumer key and secret", () => {
      const web = ours({ accessToken: 'enc:o', refreshToken: 'enc:r', clientId: 'MyApp', clientSecret: 'enc:their-secret' });
      expect(leftoversOf(web)).to.have.members([...PLUGIN_FIELDS]);
    });
  });
});

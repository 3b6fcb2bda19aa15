import { expect } from 'chai';
import { AuthInfo, StateAggregator, type AuthFields } from '@salesforce/core';
import {
  CLIENT_SECRET_FIELD,
  CONSUMER_KEY_FIELD,
  EXPIRY_FIELD,
  LIFETIME_FIELD,
  leftoversOf,
  ownershipOf,
  PLAIN_FIELDS,
  PLUGIN_FIELDS,
  STAMP_FIELD,
  tokenStamp,
} from '../../src/preflight/authFields.js';
import { useTempHome } from '../support/tempHome.js';

/** A login of this plugin as stored: encrypted values stand in as opaque strings. */
const ours = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  username: 'ci@acme.com',
  accessToken: 'enc:token-1',
  [CONSUMER_KEY_FIELD]: '3MVG9key',
  [CLIENT_SECRET_FIELD]: 'enc:secret-1',
  [EXPIRY_FIELD]: 1,
  [LIFETIME_FIELD]: 7_200_000,
  [STAMP_FIELD]: tokenStamp('enc:token-1'),
  ...overrides,
});

describe('authFields', () => {
  describe('with @salesforce/core', () => {
    useTempHome({ SF_USE_GENERIC_UNIX_KEYCHAIN: 'true', SF_DISABLE_LOG_FILE: 'true' });

    it('names its fields so that core keeps them in clear (the hook reads them), but the secret, which core encrypts', async () => {
      const marks = Object.fromEntries(PLUGIN_FIELDS.map((field) => [field, `plain-${field}`]));
      const fields = { username: 'ci@acme.com', accessToken: '00DXX0000000001!AQ4AQFake', instanceUrl: 'https://acme.my.salesforce.com', orgId: '00DXX0000000001EAA', isDevHub: false, namespacePrefix: null, ...marks };
      const authInfo = await AuthInfo.create({ accessTokenOptions: fields as unknown as AuthFields & { accessToken: string } });
      const stored = (await StateAggregator.getInstance()).orgs.get(authInfo.getUsername(), false) as Record<string, unknown>;
      expect(stored.accessToken, 'core encrypts the token').to.not.equal(fields.accessToken);
      for (const field of PLAIN_FIELDS) expect(stored[field], field).to.equal(`plain-${field}`);
      expect(stored[CLIENT_SECRET_FIELD]).to.not.equal(`plain-${CLIENT_SECRET_FIELD}`);
      expect(authInfo.getFields(true)[CLIENT_SECRET_FIELD as keyof AuthFields]).to.equal(`plain-${CLIENT_SECRET_FIELD}`);
    });
  });

  describe('ownershipOf', () => {
    it('knows a login of this plugin as it stored it', () => {
      expect(ownershipOf(ours())).to.equal('ours');
    });

    it('sees that another login replaced the token, or that the credentials are gone', () => {
      expect(ownershipOf(ours({ accessToken: 'enc:token-of-an-access-token-login' }))).to.equal('replaced');
      expect(ownershipOf(ours({ [CLIENT_SECRET_FIELD]: undefined }))).to.equal('replaced');
      expect(ownershipOf(ours({ [CONSUMER_KEY_FIELD]: undefined }))).to.equal('replaced');
      expect(ownershipOf(ours({ [STAMP_FIELD]: 'other' }))).to.equal('replaced');
    });

    it("takes a login of the first release (credentials in core's fields, no stamp) as its own", () => {
      const legacy = { accessToken: 'enc:t', clientId: 'k', clientSecret: 'enc:s', [EXPIRY_FIELD]: 5 };
      expect(ownershipOf(legacy)).to.equal('ours');
      expect(ownershipOf({ ...legacy, clientSecret: undefined })).to.equal('replaced');
    });

    it('has nothing to say about other auth files', () => {
      expect(ownershipOf(undefined)).to.equal('none');
      expect(ownershipOf({ accessToken: 'enc:t', refreshToken: 'enc:r', clientId: 'PlatformCLI', clientSecret: 'enc:x' })).to.equal('none');
    });
  });

  it("leftoversOf: this plugin's fields, never core's", () => {
    const replaced = ours({ accessToken: 'enc:o', refreshToken: 'enc:r', clientId: 'MyApp', clientSecret: 'enc:their-secret' });
    expect(leftoversOf(replaced)).to.have.members([...PLUGIN_FIELDS]);
    const withoutLifetime = ours();
    delete withoutLifetime[LIFETIME_FIELD];
    expect(leftoversOf(withoutLifetime)).to.not.include(LIFETIME_FIELD);
  });
});

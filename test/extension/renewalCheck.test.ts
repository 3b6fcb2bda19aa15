import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { EXPIRY_FIELD, LIFETIME_FIELD, stampsFor } from '../../src/sf/authFields.js';
import {
  isRenewalDisabled,
  isRenewalDue,
  MARGIN_VARIABLE,
  MAX_MARGIN_MS,
  MIN_RENEWAL_INTERVAL_MS,
  readStoredState,
  RENEWAL_SWITCH,
  renewalMarginMs,
} from '../../src/extension/renewalCheck.js';
import { useTempHome } from '../support/tempHome.js';

const MINUTE = 60 * 1000;
const TWO_HOURS = 2 * 60 * MINUTE;
/** When the test logins were stored, by this machine's clock. */
const STORED_AT = 1_700_000_000_000;

/** A login of this plugin as stored: encrypted values that no key in the test HOME could decrypt. */
const login = (fields: Record<string, unknown>): Record<string, unknown> => {
  const stored = { accessToken: 'not-decryptable:0123456789abcdef', clientSecret: 'not-decryptable:fedcba9876543210', clientId: '3MVG9Key' };
  return { ...stored, ...stampsFor(stored, STORED_AT), ...fields };
};

describe('renewalCheck', () => {
  describe('isRenewalDisabled', () => {
    it('is off with false, 0, off or no, in any case and with spaces', () => {
      for (const value of ['false', 'FALSE', 'False', '0', 'off', 'OFF', 'no', ' no ', 'false\n']) {
        expect(isRenewalDisabled({ [RENEWAL_SWITCH]: value }), JSON.stringify(value)).to.equal(true);
      }
    });

    it('is on when unset, empty, or anything else', () => {
      expect(RENEWAL_SWITCH).to.equal('SF_CLIENT_CREDENTIALS_RENEWAL');
      expect(isRenewalDisabled({})).to.equal(false);
      for (const value of ['', 'true', '1', 'on', 'yes', 'disabled', 'falsey']) {
        expect(isRenewalDisabled({ [RENEWAL_SWITCH]: value }), JSON.stringify(value)).to.equal(false);
      }
    });

    it('reads only its own variable', () => {
      expect(isRenewalDisabled({ SF_CLIENT_CREDENTIALS: 'false', SFDX_CLIENT_CREDENTIALS_RENEWAL: 'false' })).to.equal(false);
    });
  });

  describe('renewalMarginMs', () => {
    it('is a tenth of the lifetime, at most five minutes', () => {
      expect(MAX_MARGIN_MS).to.equal(5 * MINUTE);
      expect(renewalMarginMs(10 * MINUTE, {})).to.equal(MINUTE);
      expect(renewalMarginMs(15 * MINUTE, {})).to.equal(90 * 1000);
      expect(renewalMarginMs(50 * MINUTE, {})).to.equal(5 * MINUTE);
      expect(renewalMarginMs(TWO_HOURS, {})).to.equal(5 * MINUTE);
      expect(renewalMarginMs(1005, {})).to.equal(100);
    });

    it('is five minutes when the lifetime is unknown or not usable', () => {
      for (const lifetime of [undefined, 0, -1000, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(renewalMarginMs(lifetime, {}), String(lifetime)).to.equal(MAX_MARGIN_MS);
      }
    });

    it('is SF_CLIENT_CREDENTIALS_RENEWAL_MARGIN seconds when set, whatever the lifetime', () => {
      expect(MARGIN_VARIABLE).to.equal('SF_CLIENT_CREDENTIALS_RENEWAL_MARGIN');
      expect(renewalMarginMs(TWO_HOURS, { [MARGIN_VARIABLE]: '600' })).to.equal(600 * 1000);
      expect(renewalMarginMs(undefined, { [MARGIN_VARIABLE]: '30' })).to.equal(30 * 1000);
      expect(renewalMarginMs(TWO_HOURS, { [MARGIN_VARIABLE]: '0' })).to.equal(0);
      expect(renewalMarginMs(TWO_HOURS, { [MARGIN_VARIABLE]: '1.5' })).to.equal(1500);
    });

    it('ignores a negative, non-numeric or empty SF_CLIENT_CREDENTIALS_RENEWAL_MARGIN', () => {
      for (const value of ['-1', 'ten', 'Infinity', '', '  ']) {
        expect(renewalMarginMs(10 * MINUTE, { [MARGIN_VARIABLE]: value }), JSON.stringify(value)).to.equal(MINUTE);
      }
    });
  });

  describe('isRenewalDue', () => {
    const stored = { username: 'ci@acme.com', expiresAt: 1_700_007_200_000, lifetimeMs: TWO_HOURS };

    it('is due from the margin before the expiry on', () => {
      const renewFrom = stored.expiresAt - 5 * MINUTE;
      expect(isRenewalDue(stored, renewFrom - 1, {})).to.equal(false);
      expect(isRenewalDue(stored, renewFrom, {})).to.equal(true);
      expect(isRenewalDue(stored, stored.expiresAt, {})).to.equal(true);
      expect(isRenewalDue(stored, stored.expiresAt + TWO_HOURS, {})).to.equal(true);
    });

    it('uses the margin of the stored lifetime, or of SF_CLIENT_CREDENTIALS_RENEWAL_MARGIN', () => {
      const shortLived = { ...stored, lifetimeMs: 10 * MINUTE };
      expect(isRenewalDue(shortLived, stored.expiresAt - 2 * MINUTE, {})).to.equal(false);
      expect(isRenewalDue(shortLived, stored.expiresAt - MINUTE, {})).to.equal(true);
      expect(isRenewalDue(stored, stored.expiresAt - 10 * MINUTE, { [MARGIN_VARIABLE]: '600' })).to.equal(true);
      expect(isRenewalDue(stored, stored.expiresAt - 1, { [MARGIN_VARIABLE]: '0' })).to.equal(false);
    });

    it('renews no token stored less than five minutes ago, by this clock, either way: a clock ahead of the org\u2019s, or an edited expiry, cannot renew before every command', () => {
      expect(MIN_RENEWAL_INTERVAL_MS).to.equal(5 * MINUTE);
      // A clock two hours ahead of the org's: every fresh token's expiry lies in the past.
      const now = 1_800_000_000_000;
      const skewed = { username: 'ci@acme.com', expiresAt: now - MINUTE, lifetimeMs: TWO_HOURS };
      expect(isRenewalDue({ ...skewed, storedAt: now - MINUTE }, now, {})).to.equal(false);
      expect(isRenewalDue({ ...skewed, storedAt: now + MINUTE }, now, {}), 'a stamp dated ahead').to.equal(false);
      expect(isRenewalDue({ ...skewed, storedAt: now - 5 * MINUTE }, now, {})).to.equal(true);
      expect(isRenewalDue({ ...skewed, storedAt: now + 2 * TWO_HOURS }, now, {}), 'a stamp far ahead does not stop renewals').to.equal(true);
      expect(isRenewalDue(skewed, now, {}), 'a login without the stamp').to.equal(true);
      // Renewals at 90 % of a 15-minute session (Salesforce's shortest) are never delayed.
      const short = { username: 'ci@acme.com', expiresAt: now + 90 * 1000, lifetimeMs: 15 * MINUTE, storedAt: now - 13.5 * MINUTE };
      expect(isRenewalDue(short, now, {})).to.equal(true);
    });
  });

  describe('readStoredState: the stored expiry', () => {
    const tempHome = useTempHome();
    let home: string;

    const writeAuthFile = async (username: string, contents: unknown): Promise<void> => {
      await mkdir(join(home, '.sfdx'), { recursive: true });
      await writeFile(join(home, '.sfdx', `${username}.json`), typeof contents === 'string' ? contents : JSON.stringify(contents));
    };

    beforeEach(() => {
      home = tempHome();
    });

    it('reads the expiry and lifetime of a login of this plugin, without decrypting anything', async () => {
      // Encrypted fields that no key in this HOME could decrypt: they are not read.
      await writeAuthFile('ci@acme.com', login({ username: 'ci@acme.com', [EXPIRY_FIELD]: 1_700_007_200_000, [LIFETIME_FIELD]: TWO_HOURS }));
      // Without a home argument: the user's HOME.
      expect((await readStoredState('ci@acme.com')).expiry).to.deep.equal({
        username: 'ci@acme.com',
        expiresAt: 1_700_007_200_000,
        lifetimeMs: TWO_HOURS,
        storedAt: STORED_AT,
      });
    });

    it('leaves the lifetime out when it is not stored as a number', async () => {
      await writeAuthFile('a@acme.com', login({ [EXPIRY_FIELD]: 1_700_007_200_000 }));
      await writeAuthFile('b@acme.com', login({ [EXPIRY_FIELD]: 1_700_007_200_000, [LIFETIME_FIELD]: '7200000' }));
      expect((await readStoredState('a@acme.com', home)).expiry).to.deep.equal({
        username: 'a@acme.com',
        expiresAt: 1_700_007_200_000,
        lifetimeMs: undefined,
        storedAt: STORED_AT,
      });
      expect((await readStoredState('b@acme.com', home)).expiry?.lifetimeMs).to.equal(undefined);
    });

    it('gives nothing for an auth file of another kind, an unreadable one, or none', async () => {
      await writeAuthFile('refresh@acme.com', { username: 'refresh@acme.com', refreshToken: 'encrypted', accessToken: 'encrypted' });
      await writeAuthFile('text@acme.com', { [EXPIRY_FIELD]: '1700007200000' });
      await writeAuthFile('broken@acme.com', '{"clientCredentialsExpiry": 17000');
      await writeAuthFile('array@acme.com', [1_700_007_200_000]);
      for (const username of ['refresh@acme.com', 'text@acme.com', 'broken@acme.com', 'array@acme.com', 'none@acme.com']) {
        expect((await readStoredState(username, home)).expiry, username).to.equal(undefined);
      }
    });

    it('reads no file outside ~/.sfdx for a username that is a path', async () => {
      // Valid logins of this plugin at the paths such usernames would lead to.
      const valid = JSON.stringify(login({ [EXPIRY_FIELD]: 1_700_007_200_000 }));
      await writeFile(join(home, 'outside.json'), valid);
      await mkdir(join(home, '.sfdx', 'sub'), { recursive: true });
      await writeFile(join(home, '.sfdx', 'sub', 'inner.json'), valid);
      for (const username of ['../outside', 'sub/inner', 'sub\\inner']) {
        expect((await readStoredState(username, home)).expiry, username).to.equal(undefined);
      }
    });
  });
});

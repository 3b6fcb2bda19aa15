import { expect } from 'chai';
import { isOrgId, isUserId, sameSalesforceId } from '../../src/shared/salesforceIds.js';

describe('shared: Salesforce IDs', () => {
  it('knows an org ID and a user ID by prefix and length (15 or 18 characters)', () => {
    expect(isOrgId('00DFK0000000001')).to.equal(true);
    expect(isOrgId('00DFK0000000001EAA')).to.equal(true);
    expect(isUserId('005FK0000000001')).to.equal(true);
    expect(isUserId('005FK0000000001AAA')).to.equal(true);
    for (const bad of ['005FK0000000001', '00DFK000000001', '00DFK00000000012', '00DFK0000000001EA', '00DFK0000000001EAAA', '00DFK00000/0001', '00DFK0000000001\n']) {
      expect(isOrgId(bad), JSON.stringify(bad)).to.equal(false);
    }
    expect(isUserId('00DFK0000000001')).to.equal(false);
  });

  it('compares IDs on their case-sensitive 15-character form', () => {
    expect(sameSalesforceId('00DFK0000000001', '00DFK0000000001EAA')).to.equal(true);
    expect(sameSalesforceId('00DFK0000000001EAA', '00DFK0000000001XYZ')).to.equal(true);
    expect(sameSalesforceId('00DFK0000000002EAA', '00DFK0000000001EAA')).to.equal(false);
    expect(sameSalesforceId('00dFK0000000001EAA', '00DFK0000000001EAA')).to.equal(false);
  });
});

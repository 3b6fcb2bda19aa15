import { expect } from 'chai';
import { bareHostname } from '../../src/shared/hostname.js';

describe('shared: bareHostname', () => {
  it('takes the brackets off an IPv6 address, as a URL writes it', () => {
    expect(bareHostname(new URL('https://[::1]:8443/x').hostname)).to.equal('::1');
    expect(bareHostname('[fe80::1]')).to.equal('fe80::1');
  });

  it('leaves any other name as it is', () => {
    expect(bareHostname('acme.my.salesforce.com')).to.equal('acme.my.salesforce.com');
    expect(bareHostname('127.0.0.1')).to.equal('127.0.0.1');
    expect(bareHostname('[half')).to.equal('[half');
  });
});

import { expect } from 'chai';
import { isTrustedRenewalUrl, loginUrlStamp, resetTlsWarning, warnIfTlsUnchecked } from '../../src/renewal/destination.js';

describe('renewal: where the secret may go', () => {
  const SECRET = 'S3cr3t-value';

  it('a My Domain over https, this machine, or a login URL stamped with the secret; nothing else', () => {
    const stamp = loginUrlStamp(SECRET, 'https://login.acme-corp.example');
    expect(isTrustedRenewalUrl('https://acme.my.salesforce.com', SECRET, undefined)).to.equal(true);
    expect(isTrustedRenewalUrl('https://login.acme-corp.example', SECRET, stamp)).to.equal(true);
    expect(isTrustedRenewalUrl('https://login.acme-corp.example/', SECRET, stamp), 'a trailing slash is the same URL').to.equal(true);
    for (const url of ['http://acme.my.salesforce.com', 'https://u:p@acme.my.salesforce.com', 'https://evil.localhost', 'not a url', 'ftp://127.0.0.1']) {
      expect(isTrustedRenewalUrl(url, SECRET, stamp), url).to.equal(false);
    }
    expect(isTrustedRenewalUrl('https://login.acme-corp.example', 'another secret', stamp)).to.equal(false);
  });

  it('warns once per process, naming NODE_TLS_REJECT_UNAUTHORIZED, only when it is "0"', () => {
    resetTlsWarning();
    const written: string[] = [];
    const write = (text: string): number => written.push(text);
    warnIfTlsUnchecked({ NODE_TLS_REJECT_UNAUTHORIZED: '1' }, write);
    warnIfTlsUnchecked({}, write);
    expect(written).to.deep.equal([]);
    warnIfTlsUnchecked({ NODE_TLS_REJECT_UNAUTHORIZED: '0' }, write);
    warnIfTlsUnchecked({ NODE_TLS_REJECT_UNAUTHORIZED: '0' }, write);
    expect(written).to.have.length(1);
    expect(written[0]).to.match(/^Warning: NODE_TLS_REJECT_UNAUTHORIZED=0 .*NODE_EXTRA_CA_CERTS.*\n$/);
    resetTlsWarning();
  });
});

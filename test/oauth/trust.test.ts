import { expect } from 'chai';
import { isLoopbackHost, isMyDomainHost, isSalesforceHost, trustedInstanceUrl, trustedLoginUrl } from '../../src/oauth/trust.js';
import { thrown } from '../support/rejection.js';


describe('trust', () => {
  describe('isLoopbackHost', () => {
    it('knows loopback names and addresses', () => {
      expect(['localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1'].map(isLoopbackHost)).to.deep.equal([true, true, true, true, true]);
      expect(['128.0.0.1', 'localhost.example.com', 'acme.my.salesforce.com'].map(isLoopbackHost)).to.deep.equal([false, false, false]);
    });

    it('counts only literal addresses and the exact name localhost: a name under .localhost goes to DNS', () => {
      for (const host of ['a.localhost', 'evil.localhost', 'localhost.', '127.0.0.1.nip.io', '127.evil.example']) {
        expect(isLoopbackHost(host), host).to.equal(false);
      }
    });
  });

  it('knows My Domain hosts, and no other Salesforce host', () => {
    for (const host of ['acme.my.salesforce.com', 'acme--uat.sandbox.my.salesforce.com', 'ACME.MY.SALESFORCE.COM', 'x.my.salesforce.mil', 'x.my.sfcrmproducts.cn']) {
      expect(isMyDomainHost(host), host).to.equal(true);
    }
    for (const host of ['my.salesforce.com', 'login.salesforce.com', 'na1.force.com', 'acme.lightning.force.com', 'acme.my.salesforce.com.evil.example', 'evilmy.salesforce.com']) {
      expect(isMyDomainHost(host), host).to.equal(false);
    }
  });

  it("knows Salesforce's domains, and no look-alike", () => {
    for (const host of ['acme.my.salesforce.com', 'acme--uat.sandbox.my.salesforce.com', 'na1.force.com', 'x.salesforce.mil', 'x.crmforce.mil', 'x.sfcrmproducts.cn', 'force.com']) {
      expect(isSalesforceHost(host), host).to.equal(true);
    }
    for (const host of ['salesforce.com.evil.example', 'evilsalesforce.com', 'acme.my.salesforce.co', 'force.com.attacker.net']) {
      expect(isSalesforceHost(host), host).to.equal(false);
    }
  });

  describe('trustedInstanceUrl', () => {
    const login = 'https://acme.my.salesforce.com';

    it('accepts the login host itself and any Salesforce host over https, as its origin', () => {
      expect(trustedInstanceUrl('https://acme.my.salesforce.com/', login)).to.equal('https://acme.my.salesforce.com');
      expect(trustedInstanceUrl('https://acme.my.salesforce.com/path?q=1', login)).to.equal('https://acme.my.salesforce.com');
      expect(trustedInstanceUrl('https://eu45.salesforce.com', login)).to.equal('https://eu45.salesforce.com');
      expect(trustedInstanceUrl('https://org.example.com', 'https://org.example.com')).to.equal('https://org.example.com');
    });

    it('accepts plain http only back to the loopback host of a loopback login', () => {
      expect(trustedInstanceUrl('http://127.0.0.1:8080', 'http://127.0.0.1:8080')).to.equal('http://127.0.0.1:8080');
      expect(thrown(() => trustedInstanceUrl('http://localhost:8080', 'http://127.0.0.1:8080')).name).to.equal('InsecureInstanceUrlError');
      expect(thrown(() => trustedInstanceUrl('http://acme.my.salesforce.com', login)).name).to.equal('InsecureInstanceUrlError');
    });

    it('refuses another host, a look-alike, credentials and what is not a URL, naming the login host', () => {
      for (const instanceUrl of ['https://evil.example.com', 'https://acme.my.salesforce.com.evil.example', 'https://u:p@acme.my.salesforce.com', 'not a url']) {
        const error = thrown(() => trustedInstanceUrl(instanceUrl, login));
        expect(error.name, instanceUrl).to.equal('UntrustedInstanceUrlError');
        expect(error.message).to.include('acme.my.salesforce.com');
        expect(error.message).to.not.include('u:p');
      }
      expect(thrown(() => trustedInstanceUrl('http://evil.example.com', login)).name).to.equal('InsecureInstanceUrlError');
    });
  });

  it('trustedLoginUrl: the secret goes to https, or plain http on this machine only', () => {
    expect(trustedLoginUrl('https://acme.my.salesforce.com/')).to.equal('https://acme.my.salesforce.com');
    expect(trustedLoginUrl('http://127.0.0.1:5000')).to.equal('http://127.0.0.1:5000');
    for (const url of ['http://acme.my.salesforce.com', 'ftp://x', 'https://u:p@x.com', '']) {
      expect(thrown(() => trustedLoginUrl(url)).name, url).to.equal('UntrustedLoginUrlError');
    }
  });
});

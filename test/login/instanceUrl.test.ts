import { expect } from 'chai';
import {
  conversionNotice,
  normalizeInstanceUrl,
  resolveInstanceUrl,
} from '../../src/login/instanceUrl.js';
import { allText, thrown } from '../support/rejection.js';


describe('instanceUrl', () => {
  describe('normalizeInstanceUrl', () => {
    it('adds https:// to a bare host', () => {
      expect(normalizeInstanceUrl('acme.my.salesforce.com')).to.deep.equal({ url: 'https://acme.my.salesforce.com' });
    });

    it('trims white space and lower-cases the host', () => {
      expect(normalizeInstanceUrl('  https://ACME.my.salesforce.com \n').url).to.equal('https://acme.my.salesforce.com');
    });

    it('drops path, query, fragment and trailing slash', () => {
      expect(normalizeInstanceUrl('https://acme.my.salesforce.com/services/data?x=1#frag').url).to.equal(
        'https://acme.my.salesforce.com'
      );
      expect(normalizeInstanceUrl('https://acme.my.salesforce.com/').url).to.equal('https://acme.my.salesforce.com');
    });

    it('keeps a sandbox host as it is', () => {
      const result = normalizeInstanceUrl('https://acme--dev.sandbox.my.salesforce.com');
      expect(result.url).to.equal('https://acme--dev.sandbox.my.salesforce.com');
      expect(result.convertedFrom).to.equal(undefined);
    });

    it('converts a Lightning host to its API host', () => {
      const result = normalizeInstanceUrl('https://acme.lightning.force.com/lightning/page/home');
      expect(result).to.deep.equal({
        url: 'https://acme.my.salesforce.com',
        convertedFrom: 'https://acme.lightning.force.com',
      });
      const notice = conversionNotice(result);
      expect(notice).to.include('https://acme.lightning.force.com').and.include('https://acme.my.salesforce.com');
    });

    it('converts a sandbox Lightning host to its sandbox API host', () => {
      expect(normalizeInstanceUrl('acme--dev.sandbox.lightning.force.com/lightning/setup').url).to.equal(
        'https://acme--dev.sandbox.my.salesforce.com'
      );
    });

    it('gives no conversion notice when nothing was converted', () => {
      expect(conversionNotice(normalizeInstanceUrl('acme.my.salesforce.com'))).to.equal(undefined);
    });

    for (const input of [
      'login.salesforce.com',
      'https://login.salesforce.com',
      'https://login.salesforce.com/services/oauth2/token',
      'https://test.salesforce.com/',
      'test.salesforce.com/lightning',
      'https://LOGIN.Salesforce.com',
    ]) {
      it(`refuses the generic login host ${input}`, () => {
        const error = thrown(() => normalizeInstanceUrl(input));
        expect(error.name).to.equal('GenericLoginHostError');
        expect(error.message).to.match(/^(login|test)\.salesforce\.com does not serve the client credentials flow/);
        expect(error.actions?.join('\n')).to.include('.my.salesforce.com');
      });
    }

    it('points test.salesforce.com at the sandbox My Domain form', () => {
      expect(thrown(() => normalizeInstanceUrl('https://test.salesforce.com/')).actions?.join('\n')).to.match(
        /--<SandboxName>\.sandbox\.my\.salesforce\.com/
      );
    });

    it('names the setup host and suggests the API host', () => {
      const error = thrown(() => normalizeInstanceUrl('https://acme--dev.sandbox.my.salesforce-setup.com/lightning/setup'));
      expect(error.name).to.equal('SetupHostError');
      expect(error.message).to.include('"acme--dev.sandbox.my.salesforce-setup.com"');
      expect(error.actions).to.deep.equal(['Use https://acme--dev.sandbox.my.salesforce.com instead.']);
      const production = thrown(() => normalizeInstanceUrl('https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home'));
      expect(production.actions).to.deep.equal(['Use https://acme.my.salesforce.com instead.']);
    });

    it('names the Visualforce host and guesses the My Domain', () => {
      const error = thrown(() => normalizeInstanceUrl('https://acme--c.vf.force.com/apex/Page'));
      expect(error.name).to.equal('VisualforceHostError');
      expect(error.message).to.include('"acme--c.vf.force.com"');
      expect(error.actions?.[0]).to.include('https://acme.my.salesforce.com');
    });

    it('guesses the sandbox My Domain of a sandbox Visualforce host', () => {
      const error = thrown(() => normalizeInstanceUrl('acme--dev--c.sandbox.vf.force.com'));
      expect(error.name).to.equal('VisualforceHostError');
      expect(error.actions?.[0]).to.include('https://acme--dev.sandbox.my.salesforce.com');
    });

    it('knows the legacy Visualforce hosts (*.visual.force.com) too', () => {
      const named = thrown(() => normalizeInstanceUrl('https://acme--c.na123.visual.force.com/apex/Page'));
      expect(named.name).to.equal('VisualforceHostError');
      expect(named.actions?.[0]).to.include('https://acme.my.salesforce.com');
      const anonymous = thrown(() => normalizeInstanceUrl('https://c.na123.visual.force.com/apex/Page'));
      expect(anonymous.name).to.equal('VisualforceHostError');
      expect(anonymous.actions?.[0]).to.include('https://<MyDomainName>.my.salesforce.com');
    });

    it('refuses an IP address over https, even a loopback one', () => {
      const error = thrown(() => normalizeInstanceUrl('https://10.1.2.3'));
      expect(error.name).to.equal('IpAddressHostError');
      expect(error.message).to.include('10.1.2.3');
      expect(error.actions?.join('\n')).to.include('My Domain host name');
      expect(thrown(() => normalizeInstanceUrl('https://127.0.0.1:8443')).name).to.equal('IpAddressHostError');
      expect(thrown(() => normalizeInstanceUrl('https://[::1]:8443')).message).to.include('::1');
    });

    it('accepts http:// only for loopback hosts, keeping the port', () => {
      expect(normalizeInstanceUrl('http://127.0.0.1:6789/x').url).to.equal('http://127.0.0.1:6789');
      expect(normalizeInstanceUrl('http://localhost:6789').url).to.equal('http://localhost:6789');
      expect(normalizeInstanceUrl('http://[::1]:6789').url).to.equal('http://[::1]:6789');
    });

    it('refuses http:// to a name under .localhost: only literal loopback addresses and localhost itself are this machine', () => {
      for (const url of ['http://fake.localhost:6789', 'http://evil.localhost']) {
        expect(thrown(() => normalizeInstanceUrl(url)).name, url).to.equal('InsecureHttpError');
      }
    });

    it('refuses http:// to a remote host and suggests https', () => {
      const error = thrown(() => normalizeInstanceUrl('http://acme.my.salesforce.com/home'));
      expect(error.name).to.equal('InsecureHttpError');
      expect(error.message).to.include('"http://acme.my.salesforce.com"');
      expect(error.actions?.[0]).to.include('https://acme.my.salesforce.com');
      expect(thrown(() => normalizeInstanceUrl('http://192.168.0.10')).name).to.equal('IpAddressHostError');
    });

    it('refuses ftp:, suggesting the https URL of the host', () => {
      const error = thrown(() => normalizeInstanceUrl('ftp://globex.my.salesforce.com/x'));
      expect(error.name).to.equal('UnsupportedProtocolError');
      expect(error.message).to.include('"ftp"');
      expect(error.actions?.join('\n')).to.include('Use https://globex.my.salesforce.com instead');
    });

    it('refuses credentials in the URL without repeating the password', () => {
      for (const input of ['https://admin:hunter2pass@acme.my.salesforce.com', 'admin:hunter2pass@acme.my.salesforce.com']) {
        const error = thrown(() => normalizeInstanceUrl(input));
        expect(error.name).to.equal('CredentialsInUrlError');
        expect(error.message).to.include('"acme.my.salesforce.com"');
        expect(error.actions?.join('\n')).to.include('Remove the "user:password@" part');
        expect(allText(error)).not.to.include('hunter2pass');
      }
      expect(thrown(() => normalizeInstanceUrl('https://admin@acme.my.salesforce.com')).name).to.equal('CredentialsInUrlError');
    });

    it('does not repeat the password of an unparseable URL', () => {
      const error = thrown(() => normalizeInstanceUrl('https://admin:hunter2pass@acme .my.salesforce.com'));
      expect(error.name).to.equal('InvalidInstanceUrlError');
      expect(error.message).to.include('"https://***@acme .my.salesforce.com"');
      expect(allText(error)).not.to.include('hunter2pass');
    });

    it('refuses what is not a URL', () => {
      for (const input of ['https://exa mple.com', 'https://exa mple.my.salesforce.com', 'acme', 'https://', 'https://acme:notaport']) {
        const error = thrown(() => normalizeInstanceUrl(input));
        expect(error.name, input).to.equal('InvalidInstanceUrlError');
      }
      expect(thrown(() => normalizeInstanceUrl('acme')).message).to.include('"acme"');
    });

    it('refuses an empty or blank value', () => {
      expect(thrown(() => normalizeInstanceUrl('')).name).to.equal('MissingInstanceUrlError');
      expect(thrown(() => normalizeInstanceUrl('   ')).name).to.equal('MissingInstanceUrlError');
    });
  });

  describe('resolveInstanceUrl', () => {
    it('prefers the flag over the project', () => {
      expect(resolveInstanceUrl('flag.my.salesforce.com', 'https://project.my.salesforce.com').url).to.equal(
        'https://flag.my.salesforce.com'
      );
    });

    it('reports a bad flag value as is, even with a good project URL', () => {
      const error = thrown(() => resolveInstanceUrl('https://login.salesforce.com', 'https://project.my.salesforce.com'));
      expect(error.name).to.equal('GenericLoginHostError');
    });

    it('uses the project sfdcLoginUrl without the flag', () => {
      expect(resolveInstanceUrl(undefined, 'https://project.my.salesforce.com/').url).to.equal(
        'https://project.my.salesforce.com'
      );
      expect(resolveInstanceUrl(undefined, 'https://acme.lightning.force.com').convertedFrom).to.equal(
        'https://acme.lightning.force.com'
      );
    });

    it('asks for --instance-url when there is neither', () => {
      for (const project of [undefined, '', '  ']) {
        const error = thrown(() => resolveInstanceUrl(undefined, project));
        expect(error.name).to.equal('MissingInstanceUrlError');
        expect(error.actions?.[0]).to.include('--instance-url');
      }
    });

    it('explains why the project sfdcLoginUrl is unusable', () => {
      const error = thrown(() => resolveInstanceUrl(undefined, 'https://login.salesforce.com'));
      expect(error.name).to.equal('ProjectLoginUrlError');
      expect(error.message).to.include('sfdcLoginUrl').and.include('login.salesforce.com does not serve');
      expect((error.cause as Error).message, 'the refusal of the URL, kept as the cause').to.include('login.salesforce.com does not serve');
      expect(error.actions?.[0]).to.include('--instance-url');
    });
  });
});

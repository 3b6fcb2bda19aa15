import { expect } from 'chai';
import { normalizeClientId, resolveLoginInput, validateAlias } from '../../src/login/input.js';
import { rejection, thrown } from '../support/rejection.js';

describe('input', () => {
  describe('normalizeClientId', () => {
    it('trims the client ID', () => {
      expect(normalizeClientId('  3MVG9abc.def \n')).to.equal('3MVG9abc.def');
    });

    it('refuses an empty client ID', () => {
      for (const value of ['', '   ', '\n', '\t \r\n']) {
        const error = thrown(() => normalizeClientId(value));
        expect(error.name).to.equal('EmptyClientIdError');
        expect(error.actions?.[0]).to.include('--client-id');
      }
    });
  });

  describe('validateAlias', () => {
    it('accepts no alias, and trims an alias', () => {
      expect(validateAlias(undefined)).to.equal(undefined);
      expect(validateAlias('  ci-org ')).to.equal('ci-org');
    });

    it('refuses white space inside an alias and suggests one without', () => {
      for (const [alias, suggestion] of [
        ['my org', 'my-org'],
        ['ci\torg  two', 'ci-org-two'],
        ['   ', 'my-org'],
      ]) {
        const error = thrown(() => validateAlias(alias));
        expect(error.name).to.equal('AliasHasSpacesError');
        expect(error.message).to.equal(`The alias "${alias}" contains white space.`);
        expect(error.actions?.[0]).to.include(`"${suggestion}"`);
      }
    });
  });

  describe('resolveLoginInput', () => {
    const noProject = (): Promise<string | undefined> => Promise.resolve(undefined);

    it('returns the checked client ID, alias and instance URL', async () => {
      const input = await resolveLoginInput({ clientId: ' 3MVG9abc ', alias: ' ci ', instanceUrl: 'acme.my.salesforce.com/x' }, noProject);
      expect(input).to.deep.equal({ clientId: '3MVG9abc', alias: 'ci', instance: { url: 'https://acme.my.salesforce.com' }, notice: undefined });
    });

    it('gives a notice when a Lightning URL was turned into the My Domain URL', async () => {
      const input = await resolveLoginInput({ clientId: 'c', instanceUrl: 'https://acme.lightning.force.com/lightning/page/home' }, noProject);
      expect(input.instance.url).to.equal('https://acme.my.salesforce.com');
      expect(input.notice).to.include('https://acme.my.salesforce.com');
    });

    it("reads the project's sfdcLoginUrl only without --instance-url", async () => {
      let asked = 0;
      const project = (): Promise<string | undefined> => {
        asked++;
        return Promise.resolve('https://proj.my.salesforce.com');
      };
      expect((await resolveLoginInput({ clientId: 'c', instanceUrl: 'https://flag.my.salesforce.com' }, project)).instance.url).to.equal(
        'https://flag.my.salesforce.com'
      );
      expect(asked).to.equal(0);
      expect((await resolveLoginInput({ clientId: 'c' }, project)).instance.url).to.equal('https://proj.my.salesforce.com');
      expect(asked).to.equal(1);
    });

    it('checks the client ID first, then the alias, then the instance URL', async () => {
      expect((await rejection(resolveLoginInput({ clientId: ' ', alias: 'a b', instanceUrl: 'ftp://x' }, noProject))).name).to.equal(
        'EmptyClientIdError'
      );
      expect((await rejection(resolveLoginInput({ clientId: 'c', alias: 'a b', instanceUrl: 'ftp://x' }, noProject))).name).to.equal(
        'AliasHasSpacesError'
      );
      expect((await rejection(resolveLoginInput({ clientId: 'c', alias: 'ab', instanceUrl: 'ftp://x' }, noProject))).name).to.equal(
        'UnsupportedProtocolError'
      );
      expect((await rejection(resolveLoginInput({ clientId: 'c' }, noProject))).name).to.equal('MissingInstanceUrlError');
    });
  });
});

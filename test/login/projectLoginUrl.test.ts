import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { checkProjectUrls, projectLoginUrl, type ProjectUrls } from '../../src/login/projectLoginUrl.js';
import { allText, rejection } from '../support/rejection.js';
import { useTempHome } from '../support/tempHome.js';

const FILE = '/work/acme/sfdx-project.json';
const MY_DOMAIN = 'https://acme.my.salesforce.com';

/** What readProjectUrls would find: sfdx-project.json's value, overrides, and core's merged value (or its error). */
const urls = (own: string | undefined, overrides: ProjectUrls['overrides'] = [], merged: unknown = own): ProjectUrls => ({
  file: FILE,
  own,
  overrides,
  merged: () => (merged instanceof Error ? Promise.reject(merged) : Promise.resolve(merged)),
});

const named = (name: string, message: string): Error => Object.assign(new Error(message), { name });

describe('projectLoginUrl', () => {
  describe('checkProjectUrls', () => {
    it('returns the My Domain URL of sfdx-project.json when every setting agrees, and nothing without one', async () => {
      expect(await checkProjectUrls(urls(MY_DOMAIN, [{ value: MY_DOMAIN, where: 'the FORCE_SFDC_LOGIN_URL environment variable' }]))).to.equal(MY_DOMAIN);
      expect(await checkProjectUrls(urls('http://127.0.0.1:6789'))).to.equal('http://127.0.0.1:6789');
      expect(await checkProjectUrls(urls(undefined, [{ value: MY_DOMAIN, where: 'x' }]))).to.equal(undefined);
      expect(await checkProjectUrls(undefined)).to.equal(undefined);
    });

    it('refuses a value that an override replaces, naming both and where the override comes from', async () => {
      const error = await rejection(
        checkProjectUrls(urls('https://attacker.example', [{ value: 'https://login.salesforce.com', where: '/work/acme/.sf/config.json' }], 'https://login.salesforce.com'))
      );
      expect(error.name).to.equal('ProjectLoginUrlOverriddenError');
      expect(error.message).to.include('https://attacker.example').and.include(FILE).and.include('/work/acme/.sf/config.json');
      expect(allText(error)).to.include('--instance-url');
    });

    it("refuses when core's merged value differs, even with no override the plugin knows of", async () => {
      const error = await rejection(checkProjectUrls(urls(MY_DOMAIN, [], 'https://other.my.salesforce.com')));
      expect(error.name).to.equal('ProjectLoginUrlOverriddenError');
      expect(error.message).to.include("sf's merged project configuration");
    });

    it('never takes an error of core for a pass: its own refusal and any other error both stop the login', async () => {
      const refused = await rejection(checkProjectUrls(urls(MY_DOMAIN, [], named('InvalidProjectLoginUrlError', 'The sfdcLoginUrl "x" is not a valid Salesforce domain.'))));
      expect(refused.name).to.equal('ProjectLoginUrlRefusedError');
      expect(refused.message).to.include(FILE).and.include('not a valid Salesforce domain');
      const broken = await rejection(checkProjectUrls(urls(MY_DOMAIN, [], named('SchemaValidationError', 'bad file'))));
      expect(broken.name).to.equal('ProjectConfigUnreadableError');
      expect(broken.message).to.include(FILE).and.include('bad file');
      expect([(refused.cause as Error).name, (broken.cause as Error).name], 'core\'s errors, kept as the causes').to.deep.equal(['InvalidProjectLoginUrlError', 'SchemaValidationError']);
      expect(allText(broken)).to.include('--instance-url');
    });

    it('refuses a Salesforce host that is not a My Domain, or any other host, naming the file', async () => {
      for (const url of ['https://na1.salesforce.com', 'https://acme.example.com', 'https://evil.localhost']) {
        // eslint-disable-next-line no-await-in-loop
        const error = await rejection(checkProjectUrls(urls(url)));
        expect(error.name, url).to.equal('ProjectLoginUrlNotMyDomainError');
        expect(error.message).to.include(url).and.include(FILE);
      }
    });
  });

  describe('with the project on disk, read through @salesforce/core', () => {
    const home = useTempHome({ FORCE_SFDC_LOGIN_URL: undefined, SF_DISABLE_LOG_FILE: 'true' });
    let cwd: string;
    beforeEach(() => {
      cwd = process.cwd();
    });
    afterEach(() => process.chdir(cwd));

    const project = async (sfdcLoginUrl: string, config?: Record<string, unknown>): Promise<string> => {
      const root = join(home(), 'cloned');
      await mkdir(join(root, 'force-app'), { recursive: true });
      await writeFile(join(root, 'sfdx-project.json'), JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sfdcLoginUrl }));
      if (config) {
        await mkdir(join(root, '.sf'));
        await writeFile(join(root, '.sf', 'config.json'), JSON.stringify(config));
      }
      process.chdir(root);
      return root;
    };

    it('a cloned project whose .sf/config.json makes sf check login.salesforce.com: refused, naming .sf/config.json', async () => {
      const root = await project('https://attacker.example', { sfdcLoginUrl: 'https://login.salesforce.com' });
      const error = await rejection(projectLoginUrl());
      expect(error.name).to.equal('ProjectLoginUrlOverriddenError');
      expect(error.message).to.include('https://attacker.example').and.include(join(root, '.sf', 'config.json'));
    });

    it('FORCE_SFDC_LOGIN_URL that differs from sfdx-project.json: refused, naming the variable', async () => {
      await project(MY_DOMAIN);
      process.env.FORCE_SFDC_LOGIN_URL = 'https://login.salesforce.com';
      const error = await rejection(projectLoginUrl());
      expect(error.name).to.equal('ProjectLoginUrlOverriddenError');
      expect(error.message).to.include('FORCE_SFDC_LOGIN_URL');
    });

    it('a My Domain URL that nothing overrides is used', async () => {
      await project(MY_DOMAIN);
      expect(await projectLoginUrl()).to.equal(MY_DOMAIN);
    });
  });
});

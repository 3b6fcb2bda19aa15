import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { README_PATH, renderReference, withReference } from '../../scripts/readmeReference.js';

describe("the README's flag and variable reference", () => {
  it('is what the command\'s help renders (run `npm run readme` after changing a flag, a variable or its sentence)', async () => {
    const readme = await readFile(README_PATH, 'utf8');
    expect(withReference(readme, renderReference())).to.equal(readme);
  });

  it('names every flag and every variable of the help, and nothing the help does not have', () => {
    const reference = renderReference();
    for (const name of ['--client-id', '--instance-url', '--client-secret', '--alias', '--set-default', '--set-default-dev-hub', '--no-prompt']) {
      expect(reference).to.include(`--${name.slice(2)}\``);
    }
    expect(reference).to.include('`SALESFORCE_CLIENT_SECRET`').and.include('`SF_CLIENT_SECRET`');
    expect(reference).to.not.include('SF_CLIENT_CREDENTIALS_TEST_CRASH');
  });

  it('refuses a README without its markers', () => {
    expect(() => withReference('# no markers', 'x')).to.throw('no reference markers');
  });
});

import { expect } from 'chai';
import LoginClientCredentials from '../../../../src/commands/org/login/client-credentials.js';

/** oclif renders an example as a command ("$ sf …", wrapped) only when its command line starts with the bin. */
describe('org login client-credentials --help', () => {
  it('has examples whose every command line starts with the bin, so that oclif renders them as commands', () => {
    const examples = LoginClientCredentials.examples;
    expect(examples.length).to.be.at.least(4);
    for (const example of examples) {
      const [description, ...commands] = example.split('\n').map((line) => line.trim()).filter(Boolean);
      expect(description, example).to.match(/[.:]$/);
      expect(commands, example).to.have.length.greaterThan(0);
      for (const command of commands) expect(command.startsWith('<%= config.bin %> <%= command.id %>'), command).to.equal(true);
    }
  });

  it('documents every flag with a summary', () => {
    for (const [name, flag] of Object.entries(LoginClientCredentials.flags)) {
      expect((flag as { summary?: string }).summary, name).to.be.a('string').with.length.greaterThan(10);
    }
  });
});

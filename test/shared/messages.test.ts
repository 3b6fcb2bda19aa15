import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Messages } from '@salesforce/core/messages';
import { loadMessages, parseBundle, PluginError, warningOf } from '../../src/shared/messages.js';
import { REPO_ROOT } from '../support/sfSandbox.js';

/**
 * The plugin reads its messages without @salesforce/core (the renewal runs inside other sf
 * commands); what it reads must be what core's Messages reads from the same files.
 */
describe('messages', () => {
  Messages.importMessagesDirectory(join(REPO_ROOT, 'src', 'index.js'));
  const bundles = readdirSync(join(REPO_ROOT, 'messages')).map((file) => file.replace(/\.md$/, ''));

  for (const bundle of bundles) {
    it(`reads ${bundle}.md as core's Messages does: every key, list and token, and every error`, () => {
      const core = Messages.loadMessages('sf-plugin-client-credentials', bundle);
      const ours = loadMessages(bundle);
      const keys = [...(core as unknown as { messages: Map<string, unknown> }).messages.keys()];
      expect(keys).to.not.be.empty;
      for (const key of keys) {
        for (const tokens of [[], ['A', 'B', 'C', 'D']]) {
          expect(ours.getMessages(key, tokens), `${key} ${tokens.length}`).to.deep.equal(core.getMessages(key, tokens));
          expect(ours.getMessage(key, tokens), `${key} ${tokens.length}`).to.equal(core.getMessage(key, tokens));
        }
        if (key.startsWith('error.') && !key.endsWith('.actions')) {
          const expected = core.createError(key, ['x'], ['y']);
          const actual = ours.createError(key, ['x'], ['y']);
          expect(actual).to.be.instanceOf(PluginError);
          expect({ name: actual.name, message: actual.message, actions: actual.actions ?? [], exitCode: actual.exitCode }).to.deep.equal({
            name: expected.name,
            message: expected.message,
            actions: expected.actions ?? [],
            exitCode: 1,
          });
        }
      }
    });
  }

  it('keeps the error an error wraps as its cause, as core\'s createError does; none when there is none', () => {
    const cause = new Error('ECONNRESET');
    const wrapped = loadMessages('http').createError('error.ConnectionReset', ['h', '2'], [], cause);
    expect(wrapped.cause).to.equal(cause);
    expect(Object.hasOwn(loadMessages('http').createError('error.ConnectionReset', ['h', '2']), 'cause')).to.equal(false);
  });

  it('makes a warning of a key: named after it, its message and actions each with their own tokens', () => {
    const warning = warningOf(loadMessages('renewal'), 'warning.RenewalFailed', ['ORG', 'REASON'], ['KEY', 'URL', 'ALIAS']);
    expect(warning.name).to.equal('RenewalFailed');
    expect(warning.message).to.include('ORG').and.include('REASON').and.not.include('KEY');
    expect(warning.actions.join('\n')).to.include('KEY').and.include('URL').and.not.include('ORG');
    expect(() => warningOf(loadMessages('secret'), 'warning.SecretOnCommandLine')).to.throw('Missing message secret:warning.SecretOnCommandLine.actions');
  });

  it('refuses a key without text, and a missing key', () => {
    expect(() => parseBundle('# empty\n\n# next\n\ntext\n', 'x.md')).to.throw('x.md');
    expect(() => loadMessages('http').getMessage('no.such.key')).to.throw('Missing message http:no.such.key');
  });
});

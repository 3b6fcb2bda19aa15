import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import sinon from 'sinon';
import type { PluginError } from '../../src/shared/messages.js';
import {
  readFirstLine,
  resolveClientSecret,
  type ResolvedSecret,
  type SecretInput,
} from '../../src/login/secret.js';
import { rejection } from '../support/rejection.js';

const SECRET = 'S3cr3t-Value-9F8E7D6C5B4A';

type FakeStdin = PassThrough & { isTTY?: boolean };

/** A piped standard input (isTTY undefined) that sends the given text and closes, or stays open. */
const pipedStdin = (text?: string, close = true): FakeStdin => {
  const stream = new PassThrough() as FakeStdin;
  if (text !== undefined) stream.write(text);
  if (close) stream.end();
  return stream;
};

const terminal = (): FakeStdin => {
  const stream = new PassThrough() as FakeStdin;
  stream.isTTY = true;
  return stream;
};

const input = (overrides: Partial<SecretInput>): SecretInput => ({
  env: {},
  stdin: terminal(),
  noPrompt: false,
  prompt: sinon.stub().rejects(new Error('the prompt must not be used')),
  stdinTimeoutMs: 2000,
  ...overrides,
});

/** Asserts that no text the user sees contains the secret. */
const expectNoSecret = (value: ResolvedSecret | PluginError, secret = SECRET): void => {
  const texts = 'warnings' in value ? value.warnings : [value.message, ...(value.actions ?? [])];
  for (const text of texts) expect(text).not.to.include(secret);
};

describe('secret', () => {
  describe('resolveClientSecret', () => {
    it('prefers --client-secret over every other source, and warns', async () => {
      const prompt = sinon.stub().resolves('from-prompt');
      const result = await resolveClientSecret(
        input({
          flag: ` ${SECRET} `,
          env: { SALESFORCE_CLIENT_SECRET: 'from-env', SF_CLIENT_SECRET: 'from-sf-env' },
          stdin: pipedStdin('from-stdin\n'),
          prompt,
        })
      );
      expect(result.secret).to.equal(SECRET);
      expect(result.warnings).to.have.length(1);
      expect(result.warnings[0]).to.include('process list');
      expectNoSecret(result);
      expect(prompt.called).to.equal(false);
    });

    it('uses SALESFORCE_CLIENT_SECRET before SF_CLIENT_SECRET and stdin, without a warning', async () => {
      const result = await resolveClientSecret(
        input({ env: { SALESFORCE_CLIENT_SECRET: `${SECRET}\n`, SF_CLIENT_SECRET: 'other' }, stdin: pipedStdin('x\n') })
      );
      expect(result).to.deep.equal({ secret: SECRET, warnings: [] });
    });

    it('uses SF_CLIENT_SECRET before stdin, and warns that sf logs it', async () => {
      const result = await resolveClientSecret(input({ env: { SF_CLIENT_SECRET: SECRET }, stdin: pipedStdin('x\n') }));
      expect(result.secret).to.equal(SECRET);
      expect(result.warnings).to.have.length(1);
      expect(result.warnings[0]).to.include('SALESFORCE_CLIENT_SECRET');
      expectNoSecret(result);
    });

    it('reads the first line of piped stdin, trimming the newline', async () => {
      const prompt = sinon.spy();
      const result = await resolveClientSecret(input({ stdin: pipedStdin(`${SECRET}\r\nsecond line\n`), prompt }));
      expect(result).to.deep.equal({ secret: SECRET, warnings: [] });
      expect(prompt.called).to.equal(false);
    });

    it('reads piped stdin that closes without a newline', async () => {
      const result = await resolveClientSecret(input({ stdin: pipedStdin(`  ${SECRET}`) }));
      expect(result.secret).to.equal(SECRET);
    });

    it('reads a line that arrives in pieces while stdin stays open', async () => {
      const stdin = pipedStdin(undefined, false);
      const pending = resolveClientSecret(input({ stdin }));
      stdin.write(SECRET.slice(0, 5));
      setImmediate(() => stdin.write(`${SECRET.slice(5)}\n`));
      expect((await pending).secret).to.equal(SECRET);
    });

    it('fails with NoSecretError when piped stdin closes empty', async () => {
      const error = await rejection(resolveClientSecret(input({ stdin: pipedStdin('\n') })));
      expect(error.name).to.equal('NoSecretError');
      expect(error.message).to.include('standard input');
      expect(error.actions?.join('\n')).to.include('SALESFORCE_CLIENT_SECRET');
    });

    it('times out with StdinTimeoutError when stdin never sends a line nor closes', async () => {
      const stdin = pipedStdin('no newline yet', false);
      const error = await rejection(resolveClientSecret(input({ stdin, stdinTimeoutMs: 30 })));
      expect(error.name).to.equal('StdinTimeoutError');
      expect(error.actions?.join('\n')).to.include('SF_CLIENT_CREDENTIALS_STDIN_TIMEOUT');
      expect(stdin.listenerCount('data')).to.equal(0);
    });

    it('takes the stdin timeout from SF_CLIENT_CREDENTIALS_STDIN_TIMEOUT (seconds)', async () => {
      const stdin = pipedStdin(undefined, false);
      const error = await rejection(
        resolveClientSecret(input({ stdin, stdinTimeoutMs: undefined, env: { SF_CLIENT_CREDENTIALS_STDIN_TIMEOUT: '0.03' } }))
      );
      expect(error.name).to.equal('StdinTimeoutError');
    });

    it('fails with NoSecretError on a terminal with --no-prompt, and never prompts', async () => {
      const prompt = sinon.spy();
      const error = await rejection(resolveClientSecret(input({ noPrompt: true, prompt })));
      expect(error.name).to.equal('NoSecretError');
      expect(error.message).to.include('--no-prompt');
      expect(prompt.called).to.equal(false);
    });

    it('prompts on a terminal without --no-prompt', async () => {
      const prompt = sinon.stub().resolves(`${SECRET}  `);
      const result = await resolveClientSecret(input({ prompt }));
      expect(result).to.deep.equal({ secret: SECRET, warnings: [] });
      expect(prompt.calledOnce).to.equal(true);
      expect(prompt.firstCall.args[0]).to.include('Client secret');
    });

    it('refuses an empty secret from the prompt', async () => {
      const error = await rejection(resolveClientSecret(input({ prompt: sinon.stub().resolves('   ') })));
      expect(error.name).to.equal('EmptySecretError');
      expect(error.message).to.include('the prompt');
    });

    for (const [name, overrides, source] of [
      ['an empty flag', { flag: '  ' }, '--client-secret'],
      ['an empty SALESFORCE_CLIENT_SECRET', { env: { SALESFORCE_CLIENT_SECRET: '' } }, 'SALESFORCE_CLIENT_SECRET'],
      ['a blank SALESFORCE_CLIENT_SECRET', { env: { SALESFORCE_CLIENT_SECRET: '   ' } }, 'SALESFORCE_CLIENT_SECRET'],
      ['a SALESFORCE_CLIENT_SECRET of a newline', { env: { SALESFORCE_CLIENT_SECRET: '\n' } }, 'SALESFORCE_CLIENT_SECRET'],
      ['an empty SF_CLIENT_SECRET', { env: { SF_CLIENT_SECRET: ' \n' } }, 'SF_CLIENT_SECRET'],
    ] as Array<[string, Partial<SecretInput>, string]>) {
      it(`refuses ${name} instead of falling through`, async () => {
        const prompt = sinon.spy();
        const error = await rejection(resolveClientSecret(input({ ...overrides, prompt, stdin: pipedStdin(`${SECRET}\n`) })));
        expect(error.name).to.equal('EmptySecretError');
        expect(error.message).to.equal(`The client secret from ${source} is empty.`);
        expectNoSecret(error);
        expect(prompt.called).to.equal(false);
      });
    }

    it('never shows the secret in an error or warning of any source', async () => {
      const results = await Promise.all([
        resolveClientSecret(input({ flag: SECRET })),
        resolveClientSecret(input({ env: { SF_CLIENT_SECRET: SECRET } })),
        resolveClientSecret(input({ stdin: pipedStdin(`${SECRET}\n`) })),
      ]);
      results.forEach((result) => expectNoSecret(result));
      const timeout = await rejection(resolveClientSecret(input({ stdin: pipedStdin(SECRET, false), stdinTimeoutMs: 20 })));
      expectNoSecret(timeout);
    });
  });

  describe('readFirstLine', () => {
    it('resolves an empty string when the input closes without data', async () => {
      expect(await readFirstLine(pipedStdin(), 1000)).to.equal('');
    });

    it('rejects when the stream fails', async () => {
      const stdin = pipedStdin(undefined, false);
      const pending = readFirstLine(stdin, 1000);
      stdin.destroy(new Error('EIO'));
      expect((await rejection(pending)).message).to.equal('EIO');
    });
  });
});

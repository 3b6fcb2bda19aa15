import type { Readable } from 'node:stream';
import { loadMessages } from '../shared/messages.js';

const messages = loadMessages('secret');

export type SecretInput = {
  /** Value of --client-secret, if given. */
  flag?: string;
  env: NodeJS.ProcessEnv;
  stdin: Readable & { isTTY?: boolean };
  /** --no-prompt */
  noPrompt: boolean;
  /** Hidden prompt on the terminal (SfCommand.secretPrompt). */
  prompt: (message: string) => Promise<string>;
  /** How long to wait for piped standard input; default 10 s or SF_CLIENT_CREDENTIALS_STDIN_TIMEOUT. */
  stdinTimeoutMs?: number;
};

export type ResolvedSecret = {
  secret: string;
  /** Warnings for the user (never containing the secret). */
  warnings: string[];
};

const DEFAULT_STDIN_TIMEOUT_MS = 10_000;

const stdinTimeout = (input: SecretInput): number => {
  if (input.stdinTimeoutMs !== undefined) return input.stdinTimeoutMs;
  const fromEnv = Number(input.env.SF_CLIENT_CREDENTIALS_STDIN_TIMEOUT);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv * 1000 : DEFAULT_STDIN_TIMEOUT_MS;
};

/**
 * Reads the first line of a piped standard input. Resolves '' when the input closes without
 * data, rejects with StdinTimeout when nothing arrives in time.
 */
export const readFirstLine = (stdin: Readable, timeoutMs: number): Promise<string> =>
  new Promise((resolve, reject) => {
    let buffered = '';
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      stdin.pause();
      // An inherited pipe that never closes would otherwise keep the process alive.
      (stdin as Readable & { unref?: () => void }).unref?.();
      if (error) reject(error);
      else resolve(buffered.split(/\r?\n/)[0]);
    };
    const onData = (chunk: Buffer | string): void => {
      buffered += chunk.toString();
      if (/\r?\n/.test(buffered)) finish();
    };
    const onEnd = (): void => finish();
    const onError = (error: Error): void => finish(error);
    const timer = setTimeout(
      () => finish(messages.createError('error.StdinTimeout', [String(Math.round(timeoutMs / 1000))])),
      timeoutMs
    );
    stdin.setEncoding('utf8');
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onError);
    stdin.resume();
  });

const nonEmpty = (value: string, source: string): string => {
  const trimmed = value.trim();
  if (trimmed === '') throw messages.createError('error.EmptySecret', [source]);
  return trimmed;
};

/**
 * Finds the client secret: --client-secret, SALESFORCE_CLIENT_SECRET, SF_CLIENT_SECRET, piped
 * standard input, then a hidden prompt on a terminal unless --no-prompt. Surrounding white
 * space is trimmed; an empty secret from an explicit source is an error, not a fallthrough.
 */
export const resolveClientSecret = async (input: SecretInput): Promise<ResolvedSecret> => {
  if (input.flag !== undefined) {
    return {
      secret: nonEmpty(input.flag, '--client-secret'),
      warnings: [messages.getMessage('warning.SecretOnCommandLine')],
    };
  }
  const fromEnv = input.env.SALESFORCE_CLIENT_SECRET;
  if (fromEnv !== undefined) {
    return { secret: nonEmpty(fromEnv, 'SALESFORCE_CLIENT_SECRET'), warnings: [] };
  }
  const fromSfEnv = input.env.SF_CLIENT_SECRET;
  if (fromSfEnv !== undefined) {
    return {
      secret: nonEmpty(fromSfEnv, 'SF_CLIENT_SECRET'),
      warnings: [messages.getMessage('warning.SfClientSecretLogged')],
    };
  }
  if (input.stdin.isTTY !== true) {
    const line = (await readFirstLine(input.stdin, stdinTimeout(input))).trim();
    if (line !== '') return { secret: line, warnings: [] };
    throw messages.createError('error.NoSecret', [messages.getMessage('reason.StdinSentNothing')]);
  }
  if (input.noPrompt) {
    throw messages.createError('error.NoSecret', [messages.getMessage('reason.NoPrompt')]);
  }
  const typed = await input.prompt(messages.getMessage('prompt'));
  return { secret: nonEmpty(typed, messages.getMessage('source.Prompt')), warnings: [] };
};

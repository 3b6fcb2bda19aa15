import { readFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

/**
 * The plugin's user-facing sentences, read from messages/*.md in the markdown format of core's
 * Messages (@salesforce/core): "# key", then the text; a key whose text is only list items holds
 * a list. This reader has no dependency, so that the modules that run inside every sf command
 * (renewal, the OAuth exchange, HTTP) never load @salesforce/core. It is the plugin's only reader:
 * the command's help text (summary, description, examples, flags) is read here too. It reads the
 * files as core's Messages would (test/shared/messages.test.ts compares the two on every bundle).
 */

/** An error of this plugin: a name (the message key + "Error"), the message, what to do next, and the error it wraps (its cause). */
export class PluginError extends Error {
  public readonly actions?: string[];
  public readonly exitCode = 1;

  public constructor(name: string, message: string, actions?: string[], cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = name;
    if (actions && actions.length > 0) this.actions = actions;
  }
}

export type Tokens = Array<string | number | boolean | undefined>;

export type PluginMessages = {
  getMessage(key: string, tokens?: Tokens): string;
  getMessages(key: string, tokens?: Tokens): string[];
  /** The error of a message key, its actions from `<key>.actions`; `cause`, the error it wraps, if any. */
  createError(key: string, tokens?: Tokens, actionTokens?: Tokens, cause?: unknown): PluginError;
};

/** messages/ of this package: two levels up from src/shared and from lib/shared. */
const MESSAGES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'messages');

const LIST_ITEM = /^[*-]\s+/;

/** The sections of one markdown bundle: key -> text, or key -> list of texts. */
export const parseBundle = (text: string, source: string): Map<string, string | string[]> => {
  const entries = new Map<string, string | string[]>();
  const sections = text.split(/^# /m).slice(1);
  for (const section of sections) {
    const [heading, ...lines] = section.split('\n');
    const key = heading.trim();
    const body = lines.join('\n').trim();
    if (key === '' || body === '') throw new Error(`${source}: "# ${key}" must be followed by its text`);
    const filled = lines.filter((line) => line.trim() !== '');
    if (filled.every((line) => LIST_ITEM.test(line) || /^\s+\S/.test(line)) && LIST_ITEM.test(filled[0])) {
      const items: string[][] = [];
      for (const line of filled) {
        if (LIST_ITEM.test(line)) items.push([line.replace(LIST_ITEM, '').trim()]);
        else items[items.length - 1].push(line.trim());
      }
      entries.set(
        key,
        items.map((item) => item.join('\n'))
      );
    } else {
      entries.set(key, body);
    }
  }
  return entries;
};

/**
 * Fills the %s of each line with the next tokens, as core's Messages does: the tokens are used in
 * order across the lines of a list, and a line without a specifier is left as it is.
 */
const fillAll = (lines: string[], tokens: Tokens): string[] => {
  let next = 0;
  return lines.map((line) => {
    const count = (line.match(/%[sdifjoO]/g) ?? []).length;
    if (count === 0) return line;
    const used = tokens.slice(next, next + count).map((token) => String(token));
    next += count;
    return format(line, ...used);
  });
};

const nameOf = (key: string): string => {
  const bare = key.replace(/^error\./, '');
  const name = bare.charAt(0).toUpperCase() + bare.slice(1);
  return name.endsWith('Error') ? name : `${name}Error`;
};

/** A warning for the user: its name, the message, and what to do about it. */
export type PluginWarning = { name: string; message: string; actions: string[] };

/** The warning of a message key `warning.<Name>`: named <Name>, its actions from `<key>.actions`. */
export const warningOf = (messages: PluginMessages, key: string, tokens: Tokens = [], actionTokens: Tokens = []): PluginWarning => ({
  name: key.replace(/^warning\./, ''),
  message: messages.getMessage(key, tokens),
  actions: messages.getMessages(`${key}.actions`, actionTokens),
});

const cache = new Map<string, PluginMessages>();

/** One bundle of messages/ (the file name without .md), read once. */
export const loadMessages = (bundle: string): PluginMessages => {
  const cached = cache.get(bundle);
  if (cached) return cached;
  const path = join(MESSAGES_DIR, `${bundle}.md`);
  const entries = parseBundle(readFileSync(path, 'utf8'), path);
  const lookup = (key: string): string | string[] => {
    const value = entries.get(key);
    if (value === undefined) throw new Error(`Missing message ${bundle}:${key}`);
    return value;
  };
  const messages: PluginMessages = {
    getMessages: (key, tokens = []) => {
      const value = lookup(key);
      return fillAll(Array.isArray(value) ? value : [value], tokens);
    },
    getMessage: (key, tokens = []) => messages.getMessages(key, tokens).join(EOL),
    createError: (key, tokens = [], actionTokens = [], cause = undefined) =>
      new PluginError(
        nameOf(key),
        messages.getMessage(key, tokens),
        entries.has(`${key}.actions`) ? messages.getMessages(`${key}.actions`, actionTokens) : undefined,
        cause
      ),
  };
  cache.set(bundle, messages);
  return messages;
};

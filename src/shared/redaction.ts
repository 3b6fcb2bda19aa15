export const REDACTED = '[REDACTED]';

/** Auth fields safe to print: the access token masked, no secret, refresh token or password. */
export const redactAuthFields = <T extends Record<string, unknown>>(fields: T): T => ({
  ...fields,
  accessToken: fields.accessToken ? REDACTED : undefined,
  refreshToken: undefined,
  clientSecret: undefined,
  password: undefined,
});

/** ESC-introduced sequences (CSI, OSC and the like) and every other C0 or C1 control character. */
// eslint-disable-next-line no-control-regex
const CONTROL_SOURCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b.?|[\u0000-\u001f\u007f-\u009f]/.source;

/**
 * Bidirectional controls (embeddings, overrides, isolates, the marks): in a username or an org
 * name they make a terminal show text in another order than it is, so that one name can pass for
 * another.
 */
const BIDI_SOURCE = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.source;

const CONTROL = new RegExp(`${CONTROL_SOURCE}|${BIDI_SOURCE}`, 'g');
const HAS_CONTROL = new RegExp(`${CONTROL_SOURCE}|${BIDI_SOURCE}`);

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces every occurrence of each secret in a text, also when control characters or escape
 * sequences are strewn inside it (`s3cr\u0007et`), which a terminal, or printable(), would drop.
 */
export const redactText = (text: string, secrets: Array<string | undefined>): string =>
  secrets
    .filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4)
    .reduce((acc, secret) => {
      const plain = acc.split(secret).join(REDACTED);
      if (!HAS_CONTROL.test(plain)) return plain;
      const strewn = new RegExp([...secret].map(escapeRegExp).join(`(?:${CONTROL_SOURCE}|${BIDI_SOURCE})*`), 'g');
      return plain.replace(strewn, REDACTED);
    }, text);

/**
 * A text from a server (an error description, a username, an org name) fit for the terminal: no
 * escape sequence, other control character or bidirectional control can reach it. Line breaks and
 * tabs become spaces.
 */
export const printable = (text: string): string => text.replace(CONTROL, (match) => (/^[\t\n\r]$/.test(match) ? ' ' : ''));

/**
 * A server's text fit to show: cleaned first, then every secret replaced, so that the redaction
 * sees the very text that is shown (a secret with a control character inside becomes whole when
 * the character goes). The secrets are looked for as given and as printable() would leave them.
 */
export const cleanServerText = (text: string, secrets: Array<string | undefined>): string => {
  const wanted = secrets.filter((secret): secret is string => typeof secret === 'string');
  return redactText(printable(text), [...wanted, ...wanted.map(printable)]);
};

/**
 * Replaces every secret in every string an error carries, in place: its message, stack, actions,
 * data, the errors of its cause chain, and whatever objects and arrays hang from them (oclif's
 * parse output, which sf-plugins-core turns into suggestions, among them). The error keeps its
 * class, so that sf still formats it as its own.
 */
export const redactError = <T>(error: T, secrets: Array<string | undefined>): T => {
  const wanted = secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4);
  if (wanted.length === 0) return error;
  const seen = new WeakSet<object>();
  const visit = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return redactText(value, wanted);
    if (!value || typeof value !== 'object' || depth > 8 || seen.has(value)) return value;
    seen.add(value);
    const target = value as Record<string, unknown>;
    const keys = new Set([...Object.getOwnPropertyNames(target), ...(value instanceof Error ? ['message', 'stack', 'cause'] : [])]);
    for (const key of keys) {
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      if (descriptor && !descriptor.writable && !descriptor.set) continue;
      try {
        const next = visit(target[key], depth + 1);
        if (next !== target[key]) target[key] = next;
      } catch {
        // a getter that throws, or a frozen object: nothing to redact there
      }
    }
    return value;
  };
  visit(error, 0);
  return error;
};

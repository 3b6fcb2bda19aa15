export const REDACTED = '[REDACTED]';

/** Auth fields safe to print: the access token masked, no secret, refresh token or password. */
export const redactAuthFields = <T extends Record<string, unknown>>(fields: T): T => ({
  ...fields,
  accessToken: fields.accessToken ? REDACTED : undefined,
  refreshToken: undefined,
  clientSecret: undefined,
  password: undefined,
});

/** Replaces every occurrence of each secret in a text. */
export const redactText = (text: string, secrets: Array<string | undefined>): string =>
  secrets
    .filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4)
    .reduce((acc, secret) => acc.split(secret).join(REDACTED), text);

/** ESC-introduced sequences (CSI, OSC and the like) and every other C0 or C1 control character. */
// eslint-disable-next-line no-control-regex
const CONTROL = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b.?|[\u0000-\u001f\u007f-\u009f]/g;

/**
 * A text from a server (an error description, a username, an org name) fit for the terminal: no
 * escape sequence or other control character can reach it. Line breaks and tabs become spaces.
 */
export const printable = (text: string): string => text.replace(CONTROL, (match) => (/^[\t\n\r]$/.test(match) ? ' ' : ''));

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

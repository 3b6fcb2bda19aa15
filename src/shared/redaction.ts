export const REDACTED = '[REDACTED]';

/** Auth fields safe to print: the access token masked, no secret, refresh token or password. */
export const redactAuthFields = <T extends { accessToken?: unknown }>(fields: T): T => ({
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

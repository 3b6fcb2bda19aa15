/** HTTP wire helpers of the fake org: request bodies, forms, credentials in headers, log-safe query strings. */
import type { IncomingMessage } from 'node:http';

export function readBody(req: IncomingMessage, limit = 50 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Form fields of an application/x-www-form-urlencoded body (first value wins). */
export function parseForm(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) if (!(k in out)) out[k] = v;
  return out;
}

/** client id and secret from `Authorization: Basic`, else from the form. */
export function clientCredentials(req: IncomingMessage, form: Record<string, string>): { id?: string; secret?: string } {
  const auth = req.headers.authorization;
  if (auth && /^basic\s+/i.test(auth)) {
    const decoded = Buffer.from(auth.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) {
      return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
    }
    return { id: decoded };
  }
  return { id: form.client_id, secret: form.client_secret };
}

export function bearer(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  const m = auth ? /^(?:bearer|oauth)\s+(\S+)$/i.exec(auth) : null;
  return m ? m[1] : undefined;
}

/** A parameter that may carry a secret (access_token, client_secret, sessionId, ...), but not one that names a kind (token_type_hint). */
const isSecretKey = (key: string): boolean => /token|secret|password|session|code|assertion|signature/i.test(key) && !/_(hint|type)$/i.test(key);

/** A query string or form body safe to log: secret-looking values replaced. */
export function redactQuery(search: string): string {
  if (!search || search === '?') return '';
  const params = new URLSearchParams(search);
  for (const key of [...params.keys()]) {
    if (isSecretKey(key)) params.set(key, 'REDACTED');
  }
  return params.toString();
}

/** The scheme of an Authorization header (`Bearer`, `Basic`), without its credentials. */
export function authScheme(req: IncomingMessage): string | undefined {
  const scheme = req.headers.authorization?.trim().split(/\s+/)[0];
  return scheme === '' ? undefined : scheme;
}

/** Whether the request body is a form (application/x-www-form-urlencoded). */
export function isForm(req: IncomingMessage): boolean {
  return /^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '');
}

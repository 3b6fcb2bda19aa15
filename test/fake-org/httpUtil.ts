/** Small HTTP helpers shared by the route modules. */
import type { IncomingMessage } from 'node:http';
import type { OrgState, TokenRecord } from './state.js';
import type { Fault } from './types.js';

export type Reply = {
  status: number;
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
};

/** What a route handler gets. `fault` is a response-shaping fault (omitField, badSignature, jwtToken). */
export type Ctx = {
  req: IncomingMessage;
  method: string;
  /** Path with repeated slashes collapsed (sf sends `//services/data...`). */
  path: string;
  url: URL;
  body: Buffer;
  state: OrgState;
  /** Base URL of this server, no trailing slash. */
  baseUrl: string;
  fault?: Fault;
  /** Set by handlers when the request carried an accepted credential. */
  authorized: boolean;
  now: number;
};

const NO_CACHE = 'no-cache,must-revalidate,max-age=0,no-store,private';

export function json(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    body: JSON.stringify(value),
    contentType: 'application/json;charset=UTF-8',
    headers: { 'Cache-Control': NO_CACHE, ...headers },
  };
}

export function xml(status: number, body: string): Reply {
  return { status, body, contentType: 'text/xml;charset=UTF-8', headers: { 'Cache-Control': NO_CACHE } };
}

/** A Salesforce REST error: `[{"message":…,"errorCode":…}]`. */
export function restError(status: number, errorCode: string, message: string): Reply {
  return json(status, [{ message, errorCode }]);
}

export const notFound = (): Reply => restError(404, 'NOT_FOUND', 'The requested resource does not exist');
export const invalidSession = (): Reply => restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export function oauthError(error: string, description: string, status = 400): Reply {
  return json(status, { error, error_description: description });
}

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

/** The token record for a REST call (Bearer header), extending its idle timeout; marks ctx authorized. */
export function authenticate(ctx: Ctx): TokenRecord | undefined {
  const rec = ctx.state.use(bearer(ctx.req), ctx.now);
  if (rec) ctx.authorized = true;
  return rec;
}

export function identityUrl(ctx: Ctx, userId: string): string {
  return `${ctx.baseUrl}/id/${ctx.state.orgId}/${userId}`;
}

/** Query string safe to log: secret-looking values replaced. */
export function redactQuery(search: string): string {
  if (!search || search === '?') return '';
  const params = new URLSearchParams(search);
  for (const key of [...params.keys()]) {
    if (/token|secret|password|session|code|assertion|signature/i.test(key)) params.set(key, 'REDACTED');
  }
  return params.toString();
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

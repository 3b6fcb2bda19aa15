/** What a route handler gets (Ctx) and gives back (Reply), and the replies Salesforce's APIs share. */
import type { IncomingMessage } from 'node:http';
import type { OrgState, TokenRecord } from '../state.js';
import type { Fault } from '../types.js';
import { bearer } from '../wire/http.js';

export type Reply = {
  status: number;
  body?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
};

/** What a route handler gets. `fault` is a response-shaping fault (omitField, setField, badSignature, jwtToken). */
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
  /** Records that the request carried a credential the org accepted (RequestRecord.authorized). */
  markAuthorized: () => void;
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

/** Whether a check gave back its error reply rather than what it checked (a client, an app, a user). */
export const isReply = <T extends object>(v: Reply | T): v is Reply => 'status' in v;

/** The request body as a JSON object; undefined when it is none (bad JSON, an array, a string, null). */
export function jsonObject<T = Record<string, unknown>>(ctx: Ctx): T | undefined {
  try {
    const value = JSON.parse(ctx.body.toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

export function oauthError(error: string, description: string, status = 400): Reply {
  return json(status, { error, error_description: description });
}

/** The token record for a REST call (Bearer header), extending its idle timeout; marks the request authorized. */
export function authenticate(ctx: Ctx): TokenRecord | undefined {
  const rec = ctx.state.use(bearer(ctx.req), ctx.now);
  if (rec) ctx.markAuthorized();
  return rec;
}

export function identityUrl(ctx: Ctx, userId: string): string {
  return `${ctx.baseUrl}/id/${ctx.state.orgId}/${userId}`;
}

import { request as httpRequest, type IncomingMessage, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect as tlsConnect } from 'node:tls';
import { bareHostname } from './hostname.js';
import { loadMessages } from './messages.js';
import { redactError } from './redaction.js';

const messages = loadMessages('http');

/**
 * The plugin's one HTTP client, on Node's own http and https modules: no jsforce or undici, so it
 * can run inside any sf command. It sends through the proxy jsforce would use (HTTPS_PROXY and
 * friends, as a CONNECT tunnel), trusts what Node trusts (NODE_EXTRA_CA_CERTS), never follows a
 * redirect, gives every try one deadline that covers the whole answer, and caps the answer's size.
 */

export type HttpRequest = {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  /** Form fields, sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
};

export type HttpResponse = {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** How many times the request was sent. */
  tries: number;
};

export type HttpOptions = {
  /** Deadline of each try, answer included; default HTTP_TIMEOUT (ms, the variable jsforce and sf read) or 30 s. */
  timeoutMs?: number;
  /** Total tries for transient failures (5xx, connection reset or refused); default 3. 4xx is never retried. */
  maxTries?: number;
  /** Wait before the second try, doubled for each later one; default 500 ms. */
  backoffMs?: number;
  /** Largest answer accepted, in bytes; default 1 MiB (OAuth and the few REST answers read are small). */
  maxBodyBytes?: number;
  env?: NodeJS.ProcessEnv;
  /**
   * Where to connect for a request: the origin (scheme, host, port) its connection goes to, given
   * the origin of its URL; by default that origin itself. The path and the Host header stay the
   * URL's. Tests pass one to answer for a host they cannot reach (a My Domain) from a local server.
   */
  route?: (origin: string) => string;
};

export const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED']);
const UNTRUSTED_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);
/** Connection failures that, with a proxy set, are the proxy's: the only connection opened is to it. */
const PROXY_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

/** Failures of this client itself, told apart from Node's network errors by their code. */
class ClientFailure extends Error {
  public constructor(public readonly code: 'DEADLINE' | 'TOO_LARGE' | 'PROXY_STATUS', public readonly status?: number) {
    super(code);
  }
}

export const timeoutFrom = (options: HttpOptions): number => {
  if (options.timeoutMs !== undefined) return options.timeoutMs;
  const fromEnv = Number.parseInt((options.env ?? process.env).HTTP_TIMEOUT ?? '', 10);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_TIMEOUT_MS;
};

/** The error code of a failed request: the first code along the cause chain, outermost first. */
export const errorCode = (error: unknown): string | undefined => {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    current = cause;
  }
  return undefined;
};

/** The proxy jsforce sends every request through, and the variable it came from (jsforce's order; NO_PROXY is not read). */
export const proxyFrom = (env: NodeJS.ProcessEnv): { url: string; variable: string } | undefined => {
  for (const variable of ['https_proxy', 'http_proxy', 'HTTPS_PROXY', 'HTTP_PROXY']) {
    const value = env[variable];
    if (value !== undefined) return value === '' ? undefined : { url: value, variable };
  }
  return undefined;
};

/** A proxy URL fit to show: no user name or password. */
const showProxy = (proxyUrl: string): string => {
  try {
    const parsed = new URL(proxyUrl);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return messages.getMessage('placeholder.Proxy');
  }
};

/**
 * A failed try as the cause of the error that describes it: with a proxy, without its URL, user
 * name or password (Node's error of an unparsable proxy URL holds the URL, password included).
 */
const causeOf = (error: unknown, proxyUrl: string | undefined): unknown => {
  if (proxyUrl === undefined) return error;
  try {
    const { username, password } = new URL(proxyUrl);
    return redactError(error, [proxyUrl, username, password, decodeURIComponent(username), decodeURIComponent(password)]);
  } catch {
    return redactError(error, [proxyUrl]);
  }
};

/** Turns a failed try into an error that names the cause and what to do; the failure itself is its cause. */
export const describeNetworkError = (
  error: unknown,
  url: string,
  tries: number,
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
  maxBodyBytes = DEFAULT_MAX_BODY_BYTES
): Error => {
  const { host, hostname } = new URL(url);
  const code = errorCode(error);
  const proxy = proxyFrom(env);
  const cause = causeOf(error, proxy?.url);
  const fail = (key: string, tokens: Array<string | undefined>): Error => messages.createError(key, tokens, [], cause);
  if (code === 'DEADLINE') return fail('error.Timeout', [host, String(timeoutMs / 1000)]);
  if (code === 'TOO_LARGE') return fail('error.ResponseTooLarge', [host, String(maxBodyBytes)]);
  if (proxy && code === 'PROXY_STATUS') {
    const status = String((error as ClientFailure).status);
    const key = status === '407' ? 'error.ProxyAuthentication' : 'error.ProxyTunnelFailed';
    return fail(key, [showProxy(proxy.url), proxy.variable, host, status]);
  }
  if (proxy && code && PROXY_CONNECTION_CODES.has(code)) {
    return fail('error.ProxyUnreachable', [showProxy(proxy.url), proxy.variable, code]);
  }
  switch (code) {
    case 'ECONNREFUSED':
      return fail('error.ConnectionRefused', [host, String(tries)]);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return fail('error.DnsFailure', [hostname]);
    case 'ECONNRESET':
    case 'EPIPE':
      return fail('error.ConnectionReset', [host, String(tries)]);
    case 'CERT_HAS_EXPIRED':
      return fail('error.TlsExpired', [host]);
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return fail('error.TlsHostMismatch', [host]);
    default:
      if (code && UNTRUSTED_CODES.has(code)) return fail('error.TlsUntrusted', [host, code]);
      return fail('error.Network', [host, code ?? (error as Error)?.message ?? messages.getMessage('placeholder.UnknownError'), String(tries)]);
  }
};

const defaultPort = (url: URL): number => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

/** A socket to target through the proxy's CONNECT tunnel, TLS on top for an https target. */
const openTunnel = (target: URL, proxyUrl: string, track: (closable: { destroy(): void }) => void): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const proxy = new URL(proxyUrl);
    const authority = `${bareHostname(target.hostname).includes(':') ? `[${target.hostname}]` : target.hostname}:${defaultPort(target)}`;
    const headers: Record<string, string> = { host: authority };
    if (proxy.username || proxy.password) {
      const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
      headers['proxy-authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
    }
    const connect = (proxy.protocol === 'https:' ? httpsRequest : httpRequest)({
      host: bareHostname(proxy.hostname),
      port: defaultPort(proxy),
      method: 'CONNECT',
      path: authority,
      headers,
      agent: false,
    });
    track(connect);
    connect.once('error', reject);
    connect.once('connect', (response: IncomingMessage, socket: Socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        reject(new ClientFailure('PROXY_STATUS', response.statusCode));
        return;
      }
      if (target.protocol !== 'https:') {
        resolve(socket);
        return;
      }
      const servername = bareHostname(target.hostname);
      const secure = tlsConnect({ socket, servername: /^[\d.:]+$/.test(servername) ? undefined : servername, ALPNProtocols: ['http/1.1'] });
      track(secure);
      secure.once('secureConnect', () => resolve(secure));
      secure.once('error', reject);
    });
    connect.end();
  });

/** One try: the whole exchange, answer included, within timeoutMs; at most maxBodyBytes of answer. */
const sendOnce = (
  request: HttpRequest,
  timeoutMs: number,
  maxBodyBytes: number,
  env: NodeJS.ProcessEnv,
  route: HttpOptions['route']
): Promise<Omit<HttpResponse, 'tries'>> =>
  new Promise((resolve, reject) => {
    const requested = new URL(request.url);
    const target = route ? new URL(`${new URL(route(requested.origin)).origin}${requested.pathname}${requested.search}`) : requested;
    const headers: Record<string, string> = { ...request.headers };
    let body: string | undefined;
    if (request.form) {
      body = new URLSearchParams(request.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const open: Array<{ destroy(): void }> = [];
    let settled = false;
    const finish = (error: unknown, response?: Omit<HttpResponse, 'tries'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      open.forEach((closable) => closable.destroy());
      if (response) resolve(response);
      else reject(error);
    };
    const deadline = setTimeout(() => finish(new ClientFailure('DEADLINE')), timeoutMs);

    const send = (socket?: Socket): void => {
      const options = {
        method: request.method,
        hostname: bareHostname(target.hostname),
        port: defaultPort(target),
        path: `${target.pathname}${target.search}`,
        headers: { host: requested.host, ...headers },
        // Node uses createConnection only without an agent (agent: false would make one).
        ...(socket ? { createConnection: () => socket } : { agent: false as const }),
      };
      const outgoing: ClientRequest = (target.protocol === 'https:' && !socket ? httpsRequest : httpRequest)(options);
      open.push(outgoing);
      outgoing.once('error', (error) => finish(error));
      outgoing.once('response', (incoming: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        incoming.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBodyBytes) finish(new ClientFailure('TOO_LARGE'));
          else chunks.push(chunk);
        });
        incoming.once('error', (error) => finish(error));
        incoming.once('end', () => {
          const responseHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value !== undefined) responseHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          finish(undefined, { status: incoming.statusCode ?? 0, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') });
        });
      });
      outgoing.end(body);
    };

    const proxy = proxyFrom(env);
    if (!proxy) {
      send();
      return;
    }
    openTunnel(target, proxy.url, (closable) => open.push(closable)).then(send, (error: unknown) => finish(error));
  });


/**
 * Sends a request, retrying transient failures (HTTP 500/502/503/504, a reset or refused
 * connection) with exponential backoff. Never retries a 4xx, a timeout or an oversized answer.
 * Network failures become errors that say what to check; HTTP errors are returned for the caller.
 */
export const httpSend = async (request: HttpRequest, options: HttpOptions = {}): Promise<HttpResponse> => {
  const env = options.env ?? process.env;
  const timeoutMs = timeoutFrom(options);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxTries = Math.max(1, options.maxTries ?? 3);
  const backoffMs = options.backoffMs ?? 500;
  for (let tries = 1; ; tries++) {
    try {
      // eslint-disable-next-line no-await-in-loop
      const response = await sendOnce(request, timeoutMs, maxBodyBytes, env, options.route);
      if (!TRANSIENT_STATUS.has(response.status) || tries >= maxTries) return { ...response, tries };
    } catch (error) {
      const code = errorCode(error);
      if (!code || !TRANSIENT_CODES.has(code) || tries >= maxTries) {
        throw describeNetworkError(error, request.url, tries, timeoutMs, env, maxBodyBytes);
      }
    }
    // eslint-disable-next-line no-await-in-loop
    await sleep(backoffMs * 2 ** (tries - 1));
  }
};

import { Transport } from '@jsforce/jsforce-node/lib/transport.js';
import { loadMessages } from './messages.js';

const messages = loadMessages('http');

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
  /** Per-try timeout; default HTTP_TIMEOUT (ms, the variable jsforce and sf read) or 30 s. */
  timeoutMs?: number;
  /** Total tries for transient failures (5xx, connection reset); default 3. 4xx is never retried. */
  maxTries?: number;
  /** Wait before the second try, doubled for each later one; default 500 ms. */
  backoffMs?: number;
  env?: NodeJS.ProcessEnv;
};

export const DEFAULT_TIMEOUT_MS = 30_000;
const TRANSIENT_STATUS = new Set([500, 502, 503, 504]);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ECONNREFUSED']);
const UNTRUSTED_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);

export const timeoutFrom = (options: HttpOptions): number => {
  if (options.timeoutMs !== undefined) return options.timeoutMs;
  const fromEnv = Number.parseInt((options.env ?? process.env).HTTP_TIMEOUT ?? '', 10);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_TIMEOUT_MS;
};

/** The errors of a failure, outermost first, following `cause` at most `depth` links deep. */
const causes = (error: unknown, depth = 6): Array<{ code?: unknown; message?: unknown; cause?: unknown }> => {
  const chain = [];
  let current: unknown = error;
  for (let i = 0; i < depth && current && typeof current === 'object'; i++) {
    chain.push(current as Record<string, unknown>);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
};

/**
 * The error code of a failed request (ECONNREFUSED, CERT_HAS_EXPIRED, ...): the first code along the
 * cause chain, outermost first, passing over undici's generic UND_ERR_SOCKET unless the chain ends there.
 */
export const errorCode = (error: unknown): string | undefined => {
  for (const { code, cause } of causes(error, 5)) {
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    if (!cause && typeof code === 'string') return code;
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
 * Connection failures that, with a proxy set, are the proxy's: undici then opens no connection but
 * the one to the proxy (the proxy connects to the org, and reports its own failures as a status).
 */
const PROXY_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

/** An SfError when the failure is the proxy's (unreachable, or refused to open the tunnel), else undefined. */
const describeProxyError = (error: unknown, url: string, proxy: { url: string; variable: string }): Error | undefined => {
  const shown = showProxy(proxy.url);
  for (const cause of causes(error)) {
    const tunnel = /Proxy response \((\d+)\) !== 200 when HTTP Tunneling/.exec(String(cause.message ?? ''));
    if (tunnel) {
      const key = tunnel[1] === '407' ? 'error.ProxyAuthentication' : 'error.ProxyTunnelFailed';
      return messages.createError(key, [shown, proxy.variable, new URL(url).host, tunnel[1]]);
    }
  }
  const code = errorCode(error);
  if (code && PROXY_CONNECTION_CODES.has(code)) return messages.createError('error.ProxyUnreachable', [shown, proxy.variable, code]);
  return undefined;
};

const isTimeout = (error: unknown): boolean => {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  return name === 'AbortError' || name === 'TimeoutError' || /aborted due to timeout/i.test(message ?? '');
};

/** Turns a transport failure into an SfError that names the cause and what to do. */
export const describeNetworkError = (
  error: unknown,
  url: string,
  tries: number,
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env
): Error => {
  const host = new URL(url).host;
  if (isTimeout(error)) return messages.createError('error.Timeout', [host, String(timeoutMs / 1000)]);
  const proxy = proxyFrom(env);
  const proxyError = proxy ? describeProxyError(error, url, proxy) : undefined;
  if (proxyError) return proxyError;
  const code = errorCode(error);
  switch (code) {
    case 'ECONNREFUSED':
      return messages.createError('error.ConnectionRefused', [host, String(tries)]);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return messages.createError('error.DnsFailure', [new URL(url).hostname]);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return messages.createError('error.ConnectionReset', [host, String(tries)]);
    case 'CERT_HAS_EXPIRED':
      return messages.createError('error.TlsExpired', [host]);
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return messages.createError('error.TlsHostMismatch', [host]);
    default:
      if (code && UNTRUSTED_CODES.has(code)) return messages.createError('error.TlsUntrusted', [host, code]);
      return messages.createError('error.Network', [host, code ?? (error as Error)?.message ?? messages.getMessage('placeholder.UnknownError'), String(tries)]);
  }
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One try through jsforce's transport: the HTTP stack (undici, HTTPS_PROXY, NODE_EXTRA_CA_CERTS) sf uses. */
const sendOnce = async (request: HttpRequest, timeoutMs: number): Promise<Omit<HttpResponse, 'tries'>> => {
  const headers: Record<string, string> = { ...request.headers };
  let body: string | undefined;
  if (request.form) {
    body = new URLSearchParams(request.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  const response = await new Transport().httpRequest(
    { method: request.method, url: request.url, headers, body },
    { timeout: timeoutMs, retry: { maxRetries: 0 }, followRedirect: false }
  );
  const responseHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    responseHeaders[name.toLowerCase()] = String(value);
  }
  return { status: response.statusCode, headers: responseHeaders, body: response.body ?? '' };
};

/**
 * Sends a request, retrying transient failures (HTTP 500/502/503/504, a reset or refused
 * connection) with exponential backoff. Never retries a 4xx or a timeout. Network failures
 * become SfErrors that say what to check; HTTP errors are returned for the caller to read.
 */
export const httpSend = async (request: HttpRequest, options: HttpOptions = {}): Promise<HttpResponse> => {
  const timeoutMs = timeoutFrom(options);
  const maxTries = Math.max(1, options.maxTries ?? 3);
  const backoffMs = options.backoffMs ?? 500;
  for (let tries = 1; ; tries++) {
    try {
      // eslint-disable-next-line no-await-in-loop
      const response = await sendOnce(request, timeoutMs);
      if (!TRANSIENT_STATUS.has(response.status) || tries >= maxTries) return { ...response, tries };
    } catch (error) {
      const code = errorCode(error);
      if (isTimeout(error) || !code || !TRANSIENT_CODES.has(code) || tries >= maxTries) {
        throw describeNetworkError(error, request.url, tries, timeoutMs, options.env);
      }
    }
    // eslint-disable-next-line no-await-in-loop
    await sleep(backoffMs * 2 ** (tries - 1));
  }
};

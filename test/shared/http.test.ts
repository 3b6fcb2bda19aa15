import { expect } from 'chai';
import type { PluginError } from '../../src/shared/messages.js';
import { describeNetworkError, errorCode, httpSend, timeoutFrom, DEFAULT_TIMEOUT_MS } from '../../src/shared/http.js';
import { closedPort } from '../support/ports.js';
import { sendJson, startServer, type Handler, type LocalServer } from '../support/localServer.js';
import { allText, rejection } from '../support/rejection.js';

const FAST = { backoffMs: 1, timeoutMs: 2000 };
const SECRET = 'HttpTestSecret-0123456789ABC';
/** A token request body: no network error may repeat it. */
const SECRET_FORM = { grant_type: 'client_credentials', client_id: 'id', client_secret: SECRET };

const expectNoSecret = (error: PluginError): void => {
  expect(allText(error)).not.to.include(SECRET);
};

describe('http', () => {
  let server: LocalServer | undefined;
  const serve = async (handler: Handler): Promise<LocalServer> => {
    server = await startServer(handler);
    return server;
  };
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  describe('httpSend', () => {
    it('sends a form as application/x-www-form-urlencoded and returns status, lower-cased headers and body', async () => {
      const { url, requests } = await serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'X-Answer': '42' });
        res.end('{"ok":true}');
      });
      const response = await httpSend(
        { method: 'POST', url: `${url}/services/oauth2/token`, headers: { accept: 'application/json' }, form: { a: '1 2', b: '&=' } },
        FAST
      );
      expect(response).to.deep.include({ status: 200, body: '{"ok":true}', tries: 1 });
      expect(response.headers['x-answer']).to.equal('42');
      expect(requests).to.have.length(1);
      expect(requests[0].method).to.equal('POST');
      expect(requests[0].url).to.equal('/services/oauth2/token');
      expect(requests[0].headers['content-type']).to.equal('application/x-www-form-urlencoded');
      expect(requests[0].headers.accept).to.equal('application/json');
      expect(new URLSearchParams(requests[0].body).get('b')).to.equal('&=');
      expect(new URLSearchParams(requests[0].body).get('a')).to.equal('1 2');
    });

    it('connects where the route option says for an origin, keeping the path, the query and the Host header of the URL', async () => {
      const { url, requests } = await serve((_req, res) => sendJson(res, 200, { ok: true }));
      const asked: string[] = [];
      const route = (origin: string): string => {
        asked.push(origin);
        return origin === 'https://acme.my.salesforce.com' ? url : origin;
      };
      const response = await httpSend({ method: 'GET', url: 'https://acme.my.salesforce.com/services/data?x=1' }, { ...FAST, route });
      expect(response.status).to.equal(200);
      expect(asked).to.deep.equal(['https://acme.my.salesforce.com']);
      expect(requests.map((request) => [request.url, request.headers.host])).to.deep.equal([['/services/data?x=1', 'acme.my.salesforce.com']]);
    });

    it('retries a 5xx and returns the 200 that follows, counting the tries', async () => {
      const statuses = [503, 500, 200];
      const { url, requests } = await serve((_req, res) => sendJson(res, statuses.shift() ?? 599, { n: 1 }));
      const response = await httpSend({ method: 'GET', url }, { ...FAST, maxTries: 3 });
      expect(response.status).to.equal(200);
      expect(response.tries).to.equal(3);
      expect(requests).to.have.length(3);
    });

    it('stops after maxTries and returns the last 5xx', async () => {
      const { url, requests } = await serve((_req, res) => sendJson(res, 502, { error: 'bad gateway' }));
      const response = await httpSend({ method: 'GET', url }, { ...FAST, maxTries: 2 });
      expect(response.status).to.equal(502);
      expect(response.tries).to.equal(2);
      expect(requests).to.have.length(2);
    });

    for (const status of [400, 401, 404, 429]) {
      it(`never retries a ${status}`, async () => {
        const { url, requests } = await serve((_req, res) => sendJson(res, status, { error: 'invalid_client' }));
        const response = await httpSend({ method: 'POST', url, form: { a: 'b' } }, { ...FAST, maxTries: 3 });
        expect(response.status).to.equal(status);
        expect(response.tries).to.equal(1);
        expect(requests).to.have.length(1);
      });
    }

    it('does not follow a redirect', async () => {
      const { url, requests } = await serve((_req, res) => {
        res.writeHead(302, { location: '/elsewhere' });
        res.end();
      });
      const response = await httpSend({ method: 'GET', url: `${url}/start` }, FAST);
      expect(response.status).to.equal(302);
      expect(requests.map((r) => r.url)).to.deep.equal(['/start']);
    });

    it('times out on a server that never answers, without retrying', async () => {
      const { url, requests, port } = await serve(() => undefined);
      const error = await rejection(httpSend({ method: 'POST', url, form: SECRET_FORM }, { timeoutMs: 150, backoffMs: 1, maxTries: 3 }));
      expect(error.name).to.equal('TimeoutError');
      expectNoSecret(error);
      expect(error.message).to.equal(`127.0.0.1:${port} did not answer within 0.15 seconds.`);
      expect(error.actions?.join('\n')).to.include('HTTP_TIMEOUT');
      expect(requests).to.have.length(1);
    });

    it('retries a reset connection, then reports it with the number of tries', async () => {
      const { url, requests, port } = await serve((_req, res) => res.socket?.destroy());
      const error = await rejection(httpSend({ method: 'POST', url, form: SECRET_FORM }, { ...FAST, maxTries: 2 }));
      expect(error.name).to.equal('ConnectionResetError');
      expectNoSecret(error);
      expect(error.message).to.equal(`The connection to 127.0.0.1:${port} was closed before an answer arrived (tried 2 times).`);
      expect(requests).to.have.length(2);
    });

    it('recovers when a reset is followed by an answer', async () => {
      let calls = 0;
      const { url } = await serve((_req, res) => (++calls === 1 ? res.socket?.destroy() : sendJson(res, 200, {})));
      const response = await httpSend({ method: 'GET', url }, { ...FAST, maxTries: 3 });
      expect(response.status).to.equal(200);
      expect(response.tries).to.equal(2);
    });

    it('reports a refused connection after retrying it', async () => {
      const port = await closedPort();
      const error = await rejection(httpSend({ method: 'POST', url: `http://127.0.0.1:${port}/x`, form: SECRET_FORM }, { ...FAST, maxTries: 2 }));
      expect(error.name).to.equal('ConnectionRefusedError');
      expectNoSecret(error);
      expect(error.message).to.equal(`Could not connect to 127.0.0.1:${port}: the connection was refused (tried 2 times).`);
      expect((error.cause as NodeJS.ErrnoException).code, "Node's error, kept as the cause").to.equal('ECONNREFUSED');
      expect(error.actions?.[0]).to.include('My Domain');
    });

    it('reports a DNS failure with the host name, without retrying', async () => {
      const error = await rejection(
        httpSend({ method: 'POST', url: 'https://no-such-org.invalid/services/oauth2/token', form: SECRET_FORM }, FAST)
      );
      expect(error.name).to.equal('DnsFailureError');
      expectNoSecret(error);
      expect(error.message).to.equal('The host no-such-org.invalid could not be found (DNS lookup failed).');
    });
  });

  describe('deadline and size', () => {
    it('gives up on an answer that trickles: the deadline covers the body, not only the headers', async () => {
      const { url } = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"a');
      });
      const started = Date.now();
      const error = await rejection(httpSend({ method: 'GET', url }, { ...FAST, timeoutMs: 300 }));
      expect(error.name).to.equal('TimeoutError');
      expect(Date.now() - started).to.be.below(2000);
    });

    it('stops reading an answer larger than the cap, with a named error, and does not retry', async () => {
      const { url, requests } = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(Buffer.alloc(200_000, 'a'));
      });
      const error = await rejection(httpSend({ method: 'GET', url }, { ...FAST, maxBodyBytes: 64 * 1024 }));
      expect(error.name).to.equal('ResponseTooLargeError');
      expect(error.message).to.include('65536 bytes');
      expect(requests).to.have.length(1);
    });
  });

  describe('timeoutFrom', () => {
    it('prefers the option, then HTTP_TIMEOUT (ms), then the default', () => {
      expect(timeoutFrom({ timeoutMs: 5, env: { HTTP_TIMEOUT: '7000' } })).to.equal(5);
      expect(timeoutFrom({ env: { HTTP_TIMEOUT: '7000' } })).to.equal(7000);
      expect(timeoutFrom({ env: { HTTP_TIMEOUT: 'soon' } })).to.equal(DEFAULT_TIMEOUT_MS);
      expect(timeoutFrom({ env: { HTTP_TIMEOUT: '-1' } })).to.equal(DEFAULT_TIMEOUT_MS);
      expect(timeoutFrom({ env: {} })).to.equal(DEFAULT_TIMEOUT_MS);
    });
  });

  describe('errorCode and describeNetworkError', () => {
    const failed = (cause: object): Error => Object.assign(new TypeError('fetch failed'), { cause });

    it('finds the first code along the cause chain', () => {
      expect(errorCode(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).to.equal('ECONNREFUSED');
      expect(errorCode(failed({ code: 'ECONNRESET' }))).to.equal('ECONNRESET');
      expect(errorCode(failed({ cause: { code: 'EPIPE' } }))).to.equal('EPIPE');
      expect(errorCode(new Error('plain'))).to.equal(undefined);
    });

    const url = 'https://acme.my.salesforce.com/services/oauth2/token';
    for (const [code, name, text] of [
      ['CERT_HAS_EXPIRED', 'TlsExpiredError', 'has expired'],
      ['ERR_TLS_CERT_ALTNAME_INVALID', 'TlsHostMismatchError', 'does not name that host'],
      ['SELF_SIGNED_CERT_IN_CHAIN', 'TlsUntrustedError', '(SELF_SIGNED_CERT_IN_CHAIN)'],
      ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'TlsUntrustedError', 'not trusted'],
      ['EAI_AGAIN', 'DnsFailureError', 'acme.my.salesforce.com could not be found'],
      ['EHOSTUNREACH', 'NetworkError', 'failed: EHOSTUNREACH (tried 3 times)'],
    ]) {
      it(`describes ${code} as ${name}`, () => {
        const error = describeNetworkError(failed({ code }), url, 3, 1000) as PluginError;
        expect(error.name).to.equal(name);
        expect(error.message).to.include(text);
        expect(error.message).to.include('acme.my.salesforce.com');
      });
    }

    it('points an untrusted certificate at NODE_EXTRA_CA_CERTS', () => {
      const error = describeNetworkError(failed({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), url, 1, 1000) as PluginError;
      expect(error.actions?.[0]).to.include('NODE_EXTRA_CA_CERTS');
    });

    it('falls back to the error message when there is no code', () => {
      const error = describeNetworkError(new Error('socket hang up'), url, 1, 1000) as PluginError;
      expect(error.name).to.equal('NetworkError');
      expect(error.message).to.equal('The request to acme.my.salesforce.com failed: socket hang up (tried 1 times).');
    });
  });
});

import { expect } from 'chai';
import type { SfError } from '@salesforce/core/sfError';
import { describeNetworkError, proxyFrom } from '../../src/shared/http.js';

const TOKEN_URL = 'https://acme.my.salesforce.com/services/oauth2/token';
const PROXY_PASSWORD = 'pr0xyPassw0rd';
const PROXY_ENV = { HTTPS_PROXY: `http://ci:${PROXY_PASSWORD}@proxy.corp.example:3128` };

/** What undici's fetch throws when the proxy answers the CONNECT with a status other than 200. */
const tunnelFailure = (status: number): Error =>
  Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('Request was cancelled.'), {
      code: 0,
      cause: Object.assign(new Error(`Proxy response (${status}) !== 200 when HTTP Tunneling`), { name: 'AbortError', code: 'UND_ERR_ABORTED' }),
    }),
  });
const connectFailure = (code: string): Error => Object.assign(new TypeError('fetch failed'), { cause: { code, address: '10.0.0.1', port: 3128 } });

const describeFailure = (error: Error, env: NodeJS.ProcessEnv): SfError => describeNetworkError(error, TOKEN_URL, 3, 30_000, env) as SfError;
const allText = (error: SfError): string => [error.message, ...(error.actions ?? [])].join('\n');

describe('http through a proxy', () => {
  describe('proxyFrom', () => {
    it("reads jsforce's variables in jsforce's order, and nothing else", () => {
      expect(proxyFrom({ HTTP_PROXY: 'http://b', HTTPS_PROXY: 'http://a' })).to.deep.equal({ url: 'http://a', variable: 'HTTPS_PROXY' });
      expect(proxyFrom({ HTTPS_PROXY: 'http://a', https_proxy: 'http://c' })).to.deep.equal({ url: 'http://c', variable: 'https_proxy' });
      expect(proxyFrom({ http_proxy: 'http://d', HTTPS_PROXY: 'http://a' })).to.deep.equal({ url: 'http://d', variable: 'http_proxy' });
      expect(proxyFrom({ HTTP_PROXY: 'http://b' })).to.deep.equal({ url: 'http://b', variable: 'HTTP_PROXY' });
      expect(proxyFrom({ NO_PROXY: '*', ALL_PROXY: 'http://e' })).to.equal(undefined);
      expect(proxyFrom({ https_proxy: '' })).to.equal(undefined);
    });
  });

  describe('describeNetworkError with a proxy set', () => {
    it('names the proxy and the org host when the proxy cannot open the tunnel, without its password', () => {
      const error = describeFailure(tunnelFailure(502), PROXY_ENV);
      expect(error.name).to.equal('ProxyTunnelFailedError');
      expect(error.message).to.equal(
        'The proxy http://proxy.corp.example:3128, set by HTTPS_PROXY, did not open a connection to acme.my.salesforce.com: it answered HTTP 502.'
      );
      expect(error.actions?.join('\n')).to.include('My Domain');
      expect(allText(error)).not.to.include(PROXY_PASSWORD);
    });

    it('asks for proxy credentials on a 407', () => {
      const error = describeFailure(tunnelFailure(407), PROXY_ENV);
      expect(error.name).to.equal('ProxyAuthenticationError');
      expect(error.actions?.[0]).to.include('http://user:password@');
      expect(allText(error)).not.to.include(PROXY_PASSWORD);
    });

    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT']) {
      it(`blames the proxy, not the org, for ${code}`, () => {
        const error = describeFailure(connectFailure(code), PROXY_ENV);
        expect(error.name).to.equal('ProxyUnreachableError');
        expect(error.message).to.equal(
          `Could not reach the proxy http://proxy.corp.example:3128, set by HTTPS_PROXY (${code}). sf sends every request to Salesforce through that proxy.`
        );
        expect(error.actions?.join('\n')).to.include('NO_PROXY');
        expect(allText(error)).not.to.include(PROXY_PASSWORD);
      });
    }

    it('keeps TLS and reset errors about the org', () => {
      expect(describeFailure(connectFailure('CERT_HAS_EXPIRED'), PROXY_ENV).name).to.equal('TlsExpiredError');
      expect(describeFailure(connectFailure('ECONNRESET'), PROXY_ENV).name).to.equal('ConnectionResetError');
    });

    it('blames the org when no proxy is set', () => {
      expect(describeFailure(connectFailure('ECONNREFUSED'), {}).name).to.equal('ConnectionRefusedError');
      expect(describeFailure(connectFailure('ENOTFOUND'), { NO_PROXY: 'x' }).name).to.equal('DnsFailureError');
    });
  });
});

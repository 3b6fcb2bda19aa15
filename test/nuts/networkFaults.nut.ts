import { expect } from 'chai';
import { DEFAULT_CLIENT, DEFAULT_USER, FakeOrg, type Fault, type FaultRoute } from '../fake-org/server.js';
import { closedPort } from '../support/ports.js';
import { expectFailedLogin, loginArgs, type ExpectedFailure } from '../support/failedLogin.js';
import { SfSandbox } from '../support/sfSandbox.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;
const { username: USERNAME } = DEFAULT_USER;

type NetworkCase = {
  title: string;
  faults?: Array<[FaultRoute, Fault]>;
  /** The instance URL to log in to; default the fake org's. */
  instanceUrl?: () => Promise<string> | string;
  /** Extra environment of the sf run (a function: the TLS fake orgs start in `before`). */
  env?: () => Record<string, string>;
  /** How many token requests the case must send (retries included); default 1. */
  tokenRequests?: number;
  expected: ExpectedFailure;
};

/**
 * Broken servers and networks, through the real sf CLI, as failed re-logins to an org that is
 * already logged in: exit code 1, a named error that says what to check, the old login untouched
 * (byte for byte), bounded time, retries only where they can help, no secret anywhere. Variants
 * (HTTP 500 and 502, a missing instance_url or id, ...) are unit tests under test/.
 */
describe('broken servers and networks, end to end', function () {
  this.timeout(600_000);
  let org: FakeOrg;
  let sf: SfSandbox;
  const tlsOrgs: Partial<Record<'plain' | 'expired' | 'wrongHost', FakeOrg>> = {};

  before(async () => {
    org = await FakeOrg.start();
    // Served as https://localhost:PORT: the plugin refuses IP addresses over https.
    [tlsOrgs.plain, tlsOrgs.expired, tlsOrgs.wrongHost] = await Promise.all([
      FakeOrg.start({ https: true, host: 'localhost' }),
      FakeOrg.start({ https: true, host: 'localhost', certFlaw: 'expired' }),
      FakeOrg.start({ https: true, host: 'localhost', certFlaw: 'wrongHost' }),
    ]);
    sf = await SfSandbox.create();
    const first = await sf.run(loginArgs(CLIENT_ID, org.url, ['--alias', 'ci']), { env: { SALESFORCE_CLIENT_SECRET: SECRET } });
    expect(first.code, first.stdout + first.stderr).to.equal(0);
  });

  after(async () => {
    const everyOrg = [org, ...Object.values(tlsOrgs)];
    const leaks = await sf.findLeaks([SECRET, ...everyOrg.flatMap((each) => each.issuedTokens)]);
    await Promise.all(everyOrg.map((each) => each.stop()));
    await sf.cleanup();
    expect(leaks, 'secret or token in an output or a file under HOME').to.deep.equal([]);
  });

  afterEach(() => org.clearFaults());

  const cases: NetworkCase[] = [
    {
      title: 'a refused connection, retried',
      instanceUrl: async () => `http://127.0.0.1:${await closedPort()}`,
      tokenRequests: 0,
      expected: { name: 'ConnectionRefusedError', message: /the connection was refused \(tried 3 times\)/, actions: /My Domain URL/ },
    },
    {
      title: 'a host that does not exist (DNS), suggesting to check the My Domain name',
      instanceUrl: () => 'https://no-such-org-4711.invalid',
      tokenRequests: 0,
      expected: { name: 'DnsFailureError', message: /^The host no-such-org-4711\.invalid could not be found/, actions: /My Domain name/ },
    },
    {
      title: 'a server that accepts and never answers, bounded by HTTP_TIMEOUT (ms)',
      faults: [['token', { kind: 'hang' }]],
      env: () => ({ HTTP_TIMEOUT: '1500' }),
      expected: { name: 'TimeoutError', message: /did not answer within 1\.5 seconds/, actions: /HTTP_TIMEOUT/ },
    },
    {
      title: 'a reset connection, retried three times',
      faults: [['token', { kind: 'reset' }]],
      tokenRequests: 3,
      expected: { name: 'ConnectionResetError', message: /closed before an answer arrived \(tried 3 times\)/ },
    },
    {
      title: 'HTTP 503, retried three times, the message says so',
      faults: [['token', { kind: 'status', status: 503, body: 'Service Unavailable' }]],
      tokenRequests: 3,
      expected: { name: 'ServerUnavailableError', message: /answered HTTP 503 after 3 tries/, actions: /status\.salesforce\.com/ },
    },
    {
      title: 'a 4xx that is not OAuth, never retried',
      faults: [['token', { kind: 'status', status: 404, body: 'no such page' }]],
      expected: { name: 'UnexpectedStatusError', message: /answered HTTP 404/ },
    },
    {
      title: 'an HTML page (proxy or captive portal)',
      faults: [['token', { kind: 'html', status: 200 }]],
      expected: { name: 'HtmlResponseError', message: /HTML page \(HTTP 200\)/, actions: /HTTPS_PROXY/ },
    },
    {
      title: 'invalid JSON',
      faults: [['token', { kind: 'invalidJson' }]],
      expected: { name: 'InvalidJsonError', message: /not valid JSON/ },
    },
    {
      title: 'a 200 without access_token',
      faults: [['token', { kind: 'omitField', field: 'access_token' }]],
      expected: { name: 'IncompleteResponseError', message: /no "access_token" field/ },
    },
    {
      title: 'a wrong signature: the token is refused',
      faults: [['token', { kind: 'badSignature' }]],
      expected: { name: 'BadSignatureError', message: /does not match the client secret, so the token was refused/ },
    },
    {
      title: 'a token that userinfo then rejects',
      faults: [
        ['userinfo', { kind: 'status', status: 401, contentType: 'application/json', body: '[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]' }],
      ],
      expected: { name: 'TokenRejectedError', message: /HTTP 401: INVALID_SESSION_ID/, actions: /API Enabled/ },
    },
    {
      title: 'a certificate of an unknown authority, without NODE_EXTRA_CA_CERTS: the message names that variable',
      instanceUrl: () => (tlsOrgs.plain as FakeOrg).url,
      tokenRequests: 0,
      expected: { name: 'TlsUntrustedError', message: /not trusted by this machine.*NODE_EXTRA_CA_CERTS/, actions: /NODE_EXTRA_CA_CERTS/ },
    },
    {
      title: 'an expired certificate',
      instanceUrl: () => (tlsOrgs.expired as FakeOrg).url,
      env: () => ({ NODE_EXTRA_CA_CERTS: tlsOrgs.expired?.caCertPath as string }),
      tokenRequests: 0,
      expected: { name: 'TlsExpiredError', message: /^The TLS certificate of localhost:\d+ has expired\.$/ },
    },
    {
      title: 'a certificate for another host name',
      instanceUrl: () => (tlsOrgs.wrongHost as FakeOrg).url,
      env: () => ({ NODE_EXTRA_CA_CERTS: tlsOrgs.wrongHost?.caCertPath as string }),
      tokenRequests: 0,
      expected: { name: 'TlsHostMismatchError', message: /does not name that host/ },
    },
  ];

  for (const testCase of cases) {
    it(`${testCase.title}: exit 1, named error, old login kept`, async () => {
      for (const [route, fault] of testCase.faults ?? []) org.setFault(route, fault);
      const instanceUrl = testCase.instanceUrl ? await testCase.instanceUrl() : org.url;
      const env = { SALESFORCE_CLIENT_SECRET: SECRET, ...testCase.env?.() };
      const requestsBefore = org.tokenRequests();
      const started = Date.now();
      const result = await expectFailedLogin(sf, loginArgs(CLIENT_ID, instanceUrl, ['--alias', 'ci']), { env }, testCase.expected);
      expect(Date.now() - started, 'bounded time').to.be.lessThan(30_000);
      expect(org.tokenRequests() - requestsBefore, 'token requests sent').to.equal(testCase.tokenRequests ?? 1);
      expect(result.stdout + result.stderr).not.to.include(SECRET);
    });
  }

  it('logs in when HTTP 500 and 502 are followed by a token (third try)', async () => {
    const fresh = await SfSandbox.create();
    try {
      org.setFault('token', { kind: 'status', status: 500, body: '' }, 1);
      org.setFault('token', { kind: 'status', status: 502, body: '' }, 1);
      const requestsBefore = org.tokenRequests();
      const result = await fresh.run(loginArgs(CLIENT_ID, org.url, ['--alias', 'retried']), { env: { SALESFORCE_CLIENT_SECRET: SECRET } });
      expect(result.code, result.stdout + result.stderr).to.equal(0);
      expect(org.tokenRequests() - requestsBefore).to.equal(3);
      expect(await fresh.findLeaks([SECRET, ...org.issuedTokens])).to.deep.equal([]);
    } finally {
      await fresh.cleanup();
    }
  });

  it('the https fake org works once its CA is trusted (the TLS failures above are the certificates)', async () => {
    const fresh = await SfSandbox.create({ NODE_EXTRA_CA_CERTS: tlsOrgs.plain?.caCertPath as string });
    try {
      const result = await fresh.run(loginArgs(CLIENT_ID, (tlsOrgs.plain as FakeOrg).url, ['--alias', 'tls']), {
        env: { SALESFORCE_CLIENT_SECRET: SECRET },
      });
      expect(result.code, result.stdout + result.stderr).to.equal(0);
      const display = await fresh.run(['org', 'display', '--target-org', 'tls', '--json']);
      expect(display.json?.result).to.include({ username: USERNAME, connectedStatus: 'Connected' });
      expect(await fresh.findLeaks([SECRET, ...(tlsOrgs.plain as FakeOrg).issuedTokens])).to.deep.equal([]);
    } finally {
      await fresh.cleanup();
    }
  });

  it('after all those failures, the old token, auth file and alias still work', async () => {
    expect(await sf.readAliases()).to.deep.equal({ ci: USERNAME });
    const query = await sf.run(['data', 'query', '--query', 'SELECT Id, Name FROM Account', '--target-org', 'ci', '--json']);
    expect(query.code, query.stdout + query.stderr).to.equal(0);
    expect(org.isTokenActive(org.issuedTokens[0])).to.equal(true);
  });
});

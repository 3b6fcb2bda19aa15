import { expect } from 'chai';
import { DEFAULT_CLIENT, DEFAULT_USER, FakeOrg, type Fault } from '../fake-org/server.js';
import { expectFailedLogin, loginArgs, type ExpectedFailure } from '../support/failedLogin.js';
import { SfSandbox } from '../support/sfSandbox.js';
import { snapshotSfState } from '../support/sfState.js';

const { clientId: CLIENT_ID, clientSecret: SECRET } = DEFAULT_CLIENT;
const { username: USERNAME } = DEFAULT_USER;
const WRONG_SECRET = 'wrong-secret-0123456789';
const INACTIVE_CLIENT = 'client-of-inactive-user';

type OAuthCase = {
  title: string;
  /** Puts the org in the state that makes it answer the error; undone after the case. */
  arrange?: (org: FakeOrg) => void;
  /** A token endpoint fault instead, for answers the fake cannot produce from its state. */
  fault?: Fault & { kind: 'oauthError' };
  clientId?: string;
  secret?: string;
  expected: ExpectedFailure;
};

/**
 * Every OAuth error of the token endpoint listed in the shared facts, through the real sf CLI,
 * as a failed re-login to an org that is already logged in: exit code 1, the named error with its
 * next step, the old auth, alias and token untouched, no secret anywhere.
 */
describe('OAuth errors of the token endpoint, end to end', function () {
  this.timeout(600_000);
  let org: FakeOrg;
  let sf: SfSandbox;

  before(async () => {
    org = await FakeOrg.start({
      users: [
        { userId: '005FK0000000001', username: USERNAME },
        { userId: '005FK0000000002', username: 'gone@example.com', active: false },
      ],
      clients: [
        { clientId: CLIENT_ID, clientSecret: SECRET, runAsUsername: USERNAME },
        { clientId: INACTIVE_CLIENT, clientSecret: SECRET, runAsUsername: 'gone@example.com' },
      ],
    });
    sf = await SfSandbox.create();
    const first = await sf.run(loginArgs(CLIENT_ID, org.url, ['--alias', 'ci']), { env: { SALESFORCE_CLIENT_SECRET: SECRET } });
    expect(first.code, first.stdout + first.stderr).to.equal(0);
  });

  after(async () => {
    const leaks = await sf.findLeaks([SECRET, WRONG_SECRET, ...org.issuedTokens]);
    await org.stop();
    await sf.cleanup();
    expect(leaks, 'secret or token in an output or a file under HOME').to.deep.equal([]);
  });

  afterEach(() => {
    org.clearFaults();
    org.setClient({ clientId: CLIENT_ID, clientSecret: SECRET, runAsUsername: USERNAME });
  });

  const oauthFault = (error: string, description: string): Fault & { kind: 'oauthError' } => ({ kind: 'oauthError', error, description });

  const cases: OAuthCase[] = [
    {
      title: 'an unknown client ID (invalid_client_id) says a new connected app takes minutes',
      clientId: '3MVG9NotKnownHere',
      expected: { name: 'InvalidClientIdError', message: /client ID \(consumer key\) 3MVG9NotKnownHere/, actions: /up to 10 minutes/ },
    },
    {
      title: 'a wrong secret (invalid_client)',
      secret: WRONG_SECRET,
      expected: { name: 'InvalidClientError', message: /refused the client secret for client ID fake-client-id/, actions: /consumer secret/ },
    },
    {
      title: 'no Run As user (invalid_grant) says how to set one',
      arrange: (fake) => fake.setClient({ clientId: CLIENT_ID, clientSecret: SECRET }),
      expected: { name: 'NoRunAsUserError', message: /no Run As user/, actions: /"Run As" user/ },
    },
    {
      title: 'the wrong domain (invalid_grant) says to use My Domain',
      fault: oauthFault('invalid_grant', 'request not supported on this domain'),
      expected: { name: 'WrongDomainError', message: /request not supported on this domain/, actions: /My Domain URL/ },
    },
    {
      title: 'IP restrictions or login hours (invalid_grant)',
      fault: oauthFault('invalid_grant', 'ip restricted or invalid login hours'),
      expected: { name: 'IpRestrictedError', message: /from this network or at this time/, actions: /IP address.*login hours/ },
    },
    {
      title: 'another invalid_grant, shown verbatim',
      fault: oauthFault('invalid_grant', 'authentication failure'),
      expected: { name: 'InvalidGrantError', message: /"authentication failure"/ },
    },
    {
      title: 'the grant type not allowed (unsupported_grant_type)',
      fault: oauthFault('unsupported_grant_type', 'grant type not supported'),
      expected: { name: 'FlowNotEnabledError', message: /unsupported_grant_type/, actions: /Enable Client Credentials Flow/ },
    },
    {
      title: 'an inactive Run As user (inactive_user)',
      clientId: INACTIVE_CLIENT,
      expected: { name: 'InactiveUserError', message: /Run As user is inactive/, actions: /Activate the user/ },
    },
    {
      title: 'a locked org (inactive_org)',
      fault: oauthFault('inactive_org', 'org is locked, closed, or suspended'),
      expected: { name: 'InactiveOrgError', message: /locked, closed, or suspended/ },
    },
    {
      title: 'a user not approved for the app (invalid_app_access)',
      arrange: (fake) => fake.setClient({ clientId: CLIENT_ID, clientSecret: SECRET, runAsUsername: USERNAME, approved: false }),
      expected: { name: 'AppNotApprovedError', message: /invalid_app_access/, actions: /Permitted Users/ },
    },
    {
      title: 'too many logins (rate_limit_exceeded)',
      fault: oauthFault('rate_limit_exceeded', 'number of logins exceeded'),
      expected: { name: 'RateLimitedError', message: /too many logins/, actions: /Wait/ },
    },
    {
      title: "an unknown error code, with the server's description verbatim",
      fault: oauthFault('invalid_scope', 'the requested scope is not allowed'),
      expected: { name: 'OAuthError', message: /^The org refused the token request: invalid_scope, "the requested scope is not allowed" \(HTTP 400\)\.$/ },
    },
    {
      title: 'an unknown error whose description echoes the secret, redacted',
      fault: oauthFault('odd_error', `client_secret=${SECRET} rejected`),
      expected: { name: 'OAuthError', message: /"client_secret=\[REDACTED\] rejected"/ },
    },
  ];

  for (const testCase of cases) {
    it(`${testCase.title}: exit 1, named error, old login kept`, async () => {
      testCase.arrange?.(org);
      if (testCase.fault) org.setFault('token', testCase.fault);
      const tokens = org.issuedTokens.length;
      const requests = org.tokenRequests();
      const result = await expectFailedLogin(
        sf,
        loginArgs(testCase.clientId ?? CLIENT_ID, org.url, ['--alias', 'ci']),
        { env: { SALESFORCE_CLIENT_SECRET: testCase.secret ?? SECRET } },
        testCase.expected
      );
      expect(org.issuedTokens.length, 'no token issued').to.equal(tokens);
      expect(org.tokenRequests() - requests, 'a 4xx is never retried').to.equal(1);
      expect(result.stdout + result.stderr).not.to.include(SECRET);
    });
  }

  it('after all those failures, the old token, auth file and alias still work', async () => {
    expect(await sf.readAliases()).to.deep.equal({ ci: USERNAME });
    const query = await sf.run(['data', 'query', '--query', 'SELECT Id, Name FROM Account', '--target-org', 'ci', '--json']);
    expect(query.code, query.stdout + query.stderr).to.equal(0);
    expect(org.issuedTokens).to.have.length(1);
    expect(org.isTokenActive(org.issuedTokens[0])).to.equal(true);
  });

  it('a failed first login on a fresh HOME creates nothing: no ~/.sfdx, no key.json', async () => {
    const fresh = await SfSandbox.create();
    try {
      expect(await snapshotSfState(fresh.home)).to.deep.equal({});
      org.setFault('token', oauthFault('invalid_grant', 'no client credentials user enabled'));
      await expectFailedLogin(fresh, loginArgs(CLIENT_ID, org.url, ['--alias', 'ci']), { env: { SALESFORCE_CLIENT_SECRET: SECRET } }, {
        name: 'NoRunAsUserError',
      });
      expect(await snapshotSfState(fresh.home)).to.deep.equal({});
      expect(await fresh.findLeaks([SECRET, ...org.issuedTokens])).to.deep.equal([]);
    } finally {
      await fresh.cleanup();
    }
  });
});

import { expect } from 'chai';
import { oauthErrorToError, parseOAuthError, type OAuthErrorContext } from '../../src/oauth/oauthErrors.js';
import { allText } from '../support/rejection.js';

const SECRET = 'Cl13ntS3cret-ABCDEF123456';
const context: OAuthErrorContext = {
  status: 400,
  clientId: '3MVG9ExampleClientId',
  instanceUrl: 'https://acme.my.salesforce.com',
  secrets: [SECRET],
};


describe('oauthErrors', () => {
  describe('parseOAuthError', () => {
    it('reads an OAuth error body', () => {
      expect(parseOAuthError('{"error":"invalid_client","error_description":"invalid client credentials"}')).to.deep.equal({
        error: 'invalid_client',
        error_description: 'invalid client credentials',
      });
    });

    it('keeps an error without a usable description', () => {
      expect(parseOAuthError('{"error":"invalid_grant","error_description":42}')).to.deep.equal({
        error: 'invalid_grant',
        error_description: undefined,
      });
    });

    it('returns undefined for what is not an OAuth error', () => {
      for (const body of ['', '<html></html>', 'null', '[]', '{"message":"x"}', '[{"errorCode":"INVALID_SESSION_ID"}]', '{"error":1}']) {
        expect(parseOAuthError(body), body).to.equal(undefined);
      }
    });
  });

  describe('oauthErrorToError', () => {
    // Every row of the error table in the shared facts file.
    const table: Array<[string, string, string, RegExp]> = [
      ['invalid_client_id', 'client identifier invalid', 'InvalidClientIdError', /3MVG9ExampleClientId/],
      ['invalid_client', 'invalid client credentials', 'InvalidClientError', /refused the client secret for client ID 3MVG9ExampleClientId/],
      ['invalid_grant', 'no client credentials user enabled', 'NoRunAsUserError', /no Run As user/],
      ['invalid_grant', 'request not supported on this domain', 'WrongDomainError', /^acme\.my\.salesforce\.com does not serve/],
      ['unsupported_grant_type', 'grant type not supported', 'FlowNotEnabledError', /\(grant type not supported\)/],
      ['invalid_grant', 'ip restricted or invalid login hours', 'IpRestrictedError', /from this network or at this time/],
      ['inactive_user', 'user is inactive', 'InactiveUserError', /Run As user is inactive/],
      ['inactive_org', 'org is locked, closed, or suspended', 'InactiveOrgError', /locked, closed, or suspended/],
      ['rate_limit_exceeded', 'number of logins exceeded', 'RateLimitedError', /too many logins/],
      ['invalid_app_access', 'user is not admin approved to access this app', 'AppNotApprovedError', /not allowed to use this connected app/],
    ];

    for (const [code, description, name, pattern] of table) {
      it(`maps ${code} / "${description}" to ${name}`, () => {
        const error = oauthErrorToError({ error: code, error_description: description }, context);
        expect(error.name).to.equal(name);
        expect(error.message).to.match(pattern);
        expect(error.actions, 'actions').to.be.an('array').that.is.not.empty;
        expect(allText(error)).not.to.include(SECRET);
      });
    }

    it('tells a wrong-domain user to give the My Domain URL', () => {
      const error = oauthErrorToError(
        { error: 'invalid_grant', error_description: 'request not supported on this domain' },
        { ...context, instanceUrl: 'https://login.salesforce.com' }
      );
      expect(error.message).to.match(/^login\.salesforce\.com /);
      expect(error.actions?.[0]).to.include('--instance-url').and.include('.my.salesforce.com');
    });

    it('matches descriptions regardless of case', () => {
      const error = oauthErrorToError({ error: 'invalid_grant', error_description: 'No Client Credentials User Enabled' }, context);
      expect(error.name).to.equal('NoRunAsUserError');
    });

    it('shows another invalid_grant description verbatim', () => {
      const error = oauthErrorToError({ error: 'invalid_grant', error_description: 'authentication failure' }, context);
      expect(error.name).to.equal('InvalidGrantError');
      expect(error.message).to.equal('The org refused the login: invalid_grant, "authentication failure".');
    });

    it('shows an unknown code and its description verbatim, with the HTTP status', () => {
      const error = oauthErrorToError(
        { error: 'invalid_request', error_description: 'Missing required parameter: Foo' },
        { ...context, status: 401 }
      );
      expect(error.name).to.equal('OAuthError');
      expect(error.message).to.equal('The org refused the token request: invalid_request, "Missing required parameter: Foo" (HTTP 401).');
    });

    it('redacts the secret when the server echoes it', () => {
      const error = oauthErrorToError(
        { error: `weird_${SECRET}`, error_description: `bad client_secret=${SECRET} for this app` },
        context
      );
      expect(error.name).to.equal('OAuthError');
      expect(error.message).to.include('bad client_secret=[REDACTED] for this app');
      expect(allText(error)).not.to.include(SECRET);
      const grant = oauthErrorToError({ error: 'invalid_grant', error_description: `secret ${SECRET} refused` }, context);
      expect(grant.message).to.include('secret [REDACTED] refused');
      expect(allText(grant)).not.to.include(SECRET);
    });

    it('redacts an echoed secret with a control character inside it, which cleaning would join back', () => {
      const strewn = `${SECRET.slice(0, 6)}\u0007${SECRET.slice(6)}`;
      const error = oauthErrorToError({ error: 'weird_error', error_description: `echo ${strewn} and \u202eevil` }, context);
      expect(error.message).to.include('echo [REDACTED] and evil');
      expect(allText(error)).not.to.include(SECRET);
    });

    it('handles a missing description', () => {
      const error = oauthErrorToError({ error: 'server_error' }, context);
      expect(error.message).to.equal('The org refused the token request: server_error, "" (HTTP 400).');
    });
  });
});

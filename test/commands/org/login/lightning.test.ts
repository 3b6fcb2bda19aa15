import { expect } from 'chai';
import { DEFAULT_CLIENT, DEFAULT_USER } from '../../../fake-org/server.js';
import { useLoginCommand } from '../../../support/loginCommand.js';
import { myDomainRoute } from '../../../support/myDomainRoute.js';

const API_HOST = 'https://acme.my.salesforce.com';

/**
 * A Lightning URL pasted from the browser is turned into the org's API host, and the login then
 * works against that host. No test can reach a real *.my.salesforce.com, so the command's requests
 * for acme.my.salesforce.com are routed to the fake org (its HTTP options), which names itself by that host.
 */
describe('org login client-credentials with a Lightning URL', () => {
  const command = useLoginCommand({ publicUrl: API_HOST }, { http: (org) => myDomainRoute(API_HOST, org) });

  beforeEach(() => {
    process.env.SALESFORCE_CLIENT_SECRET = DEFAULT_CLIENT.clientSecret;
  });

  for (const lightning of [
    'https://acme.lightning.force.com/lightning/page/home',
    'acme.lightning.force.com/lightning/setup/SetupOneHome/home',
  ]) {
    it(`logs in to ${API_HOST} when given ${lightning}, and says so`, async () => {
      const result = await command.run(['--client-id', DEFAULT_CLIENT.clientId, '--instance-url', lightning]);
      expect(result).to.include({ username: DEFAULT_USER.username, orgId: command.org().orgId, instanceUrl: API_HOST, loginUrl: API_HOST });
      expect(command.ux().info.args.flat().join('\n')).to.include(`is a Lightning Experience host; using its API host ${API_HOST}`);
      // The token, userinfo, the two look-ups, the API versions and introspection, all sent to the API host.
      expect(command.org().requests.map((request) => request.route).sort()).to.deep.equal(['data', 'data', 'data', 'introspect', 'token', 'userinfo']);
    });
  }
});

import type { HttpOptions } from '../../src/shared/http.js';
import type { FakeOrg } from '../fake-org/server.js';

/**
 * HTTP options that make a real My Domain host (https://acme.my.salesforce.com, which no test can
 * reach) answer from the fake org: the plugin's HTTP client connects to the fake org's server for
 * the requests to that origin (HttpOptions.route), and to every other origin as usual. Start the
 * fake org with `publicUrl` set to that origin so that its answers name the host too.
 */
export const myDomainRoute = (origin: string, org: FakeOrg): HttpOptions => {
  const routed = new URL(origin).origin;
  return { route: (requested) => (requested === routed ? org.url : requested) };
};

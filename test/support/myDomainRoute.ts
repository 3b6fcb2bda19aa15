import { routeOriginForTests } from '../../src/shared/http.js';
import type { FakeOrg } from '../fake-org/server.js';

export type MyDomainRoute = {
  /** Removes the route. */
  close: () => void;
};

/**
 * Makes a real My Domain host (https://acme.my.salesforce.com, which no test can reach) answer from
 * the fake org: the plugin's HTTP client sends the requests for that origin to the fake org's
 * server instead (its test-only seam). Start the fake org with `publicUrl` set to that origin so
 * that its answers name the host too.
 */
export const routeMyDomain = (origin: string, org: FakeOrg): MyDomainRoute => ({ close: routeOriginForTests(origin, org.url) });

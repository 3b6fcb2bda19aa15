// jsforce's transport, the one the plugin and sf send every request through; its dispatcher can be replaced.
import { setDispatcher } from '@jsforce/jsforce-node/lib/request.js';
import { Agent } from 'undici';
import type { FakeOrg } from '../fake-org/server.js';

export type MyDomainRoute = {
  /** The origin of every request sent while the route was in place, in order. */
  origins: string[];
  /** Puts jsforce's own dispatcher back. */
  close: () => Promise<void>;
};

/**
 * Makes a real My Domain host (https://acme.my.salesforce.com, which no test can reach) answer from
 * the fake org: jsforce's requests for that origin go to the fake org's server instead, and a
 * request for any other origin fails. Start the fake org with `publicUrl` set to that origin so
 * that its answers name the host too.
 */
export const routeMyDomain = (origin: string, org: FakeOrg): MyDomainRoute => {
  const origins: string[] = [];
  const agent = new Agent({ connect: { allowH2: false } });
  const routed = agent.compose((dispatch) => (options, handler) => {
    const requested = new URL(String(options.origin)).origin;
    origins.push(requested);
    if (requested !== new URL(origin).origin) throw new Error(`no request may leave the test: ${requested}`);
    return dispatch({ ...options, origin: org.url }, handler);
  });
  setDispatcher(routed);
  return {
    origins,
    close: async () => {
      setDispatcher();
      await agent.close();
    },
  };
};

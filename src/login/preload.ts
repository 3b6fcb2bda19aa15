import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { createRequire } from 'node:module';
import { hostCore } from '../extension/hostCore.js';

/**
 * The login's waits: the org answers two round trips, while registration still has to load the
 * StateAggregator of sf's @salesforce/core (its auth store and encryption), unless sf has loaded it
 * already. It is loaded in the gaps, so that it is ready when the answers are. Registration needs
 * neither AuthInfo nor jsforce (see login/authRecord.ts), which would be about a quarter of a second
 * more.
 */

/** Loads a module as sf's @salesforce/core (see extension/hostCore.ts) would resolve it. */
const requireFromCore = (name: string): void => {
  const host = hostCore();
  if (!host) return;
  createRequire(host.require.resolve('@salesforce/core'))(name);
};

/** What registration loads, in steps, so that an answer of the org waits for one step at most. */
export const REGISTRATION_MODULES: Array<() => unknown> = [
  (): void => requireFromCore('@salesforce/core/stateAggregator'),
  (): Promise<unknown> => import('./authRecord.js'),
];

/**
 * Loads these modules while the org answers the login's requests, instead of after its last
 * answer. A step runs only when every request made so far has been sent, and holds the event loop
 * for its own length only; none runs once the login has ended (call the function returned). A step
 * that fails changes nothing: the login's own import of the module succeeds or fails as it would
 * have without it.
 */
export const loadWhileTheOrgAnswers = (steps: Array<() => unknown>): (() => void) => {
  const remaining = [...steps];
  const unsent = new Set<ClientRequest>();
  let pending = false;
  let done = false;
  const next = (): void => {
    if (done || pending || unsent.size > 0 || remaining.length === 0) return;
    pending = true;
    // After the I/O of this turn of the event loop: an answer that has arrived goes first.
    setImmediate(() => {
      pending = false;
      if (done || unsent.size > 0) return;
      const step = remaining.shift();
      Promise.resolve()
        .then(step)
        .catch(() => undefined)
        .finally(next);
    });
  };
  const onRequest = (message: unknown): void => {
    const request = (message as { request?: ClientRequest }).request;
    if (!request || typeof request.once !== 'function') return;
    unsent.add(request);
    const sent = (): void => {
      unsent.delete(request);
      next();
    };
    request.once('finish', sent);
    request.once('close', sent);
  };
  // 'created' comes first, but Node 22 has it only since 22.12; 'start' comes when the request goes out.
  const channels = ['http.client.request.created', 'http.client.request.start'];
  channels.forEach((name) => subscribe(name, onRequest));
  return () => {
    done = true;
    channels.forEach((name) => unsubscribe(name, onRequest));
  };
};

/** Out-of-process control of a fake org: /__fake/… (never faulted, never in the request log). */
import type { SignupView } from '../devHub.js';
import type { FakeClient, FakeUser, Fault, FaultRoute, RequestRecord } from '../types.js';
import { json, jsonObject, notFound } from './reply.js';
import type { Ctx, Reply } from './reply.js';

/** The part of FakeOrg the admin API drives. */
export type AdminTarget = {
  readonly requests: readonly RequestRecord[];
  readonly issuedTokens: readonly string[];
  readonly signups: SignupView[];
  allIssuedTokens(): string[];
  allIssuedAuthCodes(): string[];
  tokenRequests(): number;
  setClient(c: FakeClient): void;
  removeClient(clientId: string): void;
  setUser(u: FakeUser): void;
  setFault(route: FaultRoute, fault: Fault, times?: number, skip?: number): void;
  clearFaults(): void;
  setLatency(ms: number): void;
  setSessionTimeout(seconds: number): void;
  expireAllTokens(options?: { scratchOrgs?: boolean }): void;
  setScratchOrgPolls(count: number): void;
  isTokenActive(token: string): boolean;
  resetRequests(): void;
};

const ok = (extra: Record<string, unknown> = {}): Reply => json(200, { ok: true, ...extra });
const bad = (message: string): Reply => json(400, { ok: false, message });

function numberParam(ctx: Ctx, name: string): number | undefined {
  const v = ctx.url.searchParams.get(name);
  return v !== null && v.trim() !== '' && Number.isFinite(Number(v)) && Number(v) >= 0 ? Number(v) : undefined;
}

const FAULT_ROUTES = new Set(['token', 'introspect', 'revoke', 'userinfo', 'data', 'soap', 'any']);

export function adminRoute(ctx: Ctx, org: AdminTarget): Reply {
  const action = `${ctx.method} ${ctx.path.replace(/^\/__fake\//, '').replace(/\/$/, '')}`;
  switch (action) {
    case 'GET health':
      return ok();
    case 'POST expire-all':
      org.expireAllTokens({ scratchOrgs: ctx.url.searchParams.get('scratchOrgs') === 'true' });
      return ok();
    case 'POST latency': {
      const ms = numberParam(ctx, 'ms');
      if (ms === undefined) return bad('ms must be a number >= 0');
      org.setLatency(ms);
      return ok({ latencyMs: ms });
    }
    case 'POST session-timeout': {
      const seconds = numberParam(ctx, 'seconds');
      if (seconds === undefined) return bad('seconds must be a number >= 0');
      org.setSessionTimeout(seconds);
      return ok({ sessionTimeoutSeconds: seconds });
    }
    case 'POST client': {
      const c = jsonObject<FakeClient>(ctx);
      if (!c || typeof c.clientId !== 'string' || typeof c.clientSecret !== 'string') return bad('body must be a FakeClient JSON');
      if (c.kind !== undefined && c.kind !== 'connectedApp' && c.kind !== 'externalClientApp') return bad('kind must be connectedApp or externalClientApp');
      if (c.callbackUrls !== undefined && (!Array.isArray(c.callbackUrls) || c.callbackUrls.some((u) => typeof u !== 'string'))) return bad('callbackUrls must be an array of strings');
      org.setClient(c);
      return ok();
    }
    case 'DELETE client': {
      const id = ctx.url.searchParams.get('clientId');
      if (!id) return bad('clientId is required');
      org.removeClient(id);
      return ok();
    }
    case 'POST user': {
      const u = jsonObject<FakeUser>(ctx);
      if (!u || typeof u.userId !== 'string' || typeof u.username !== 'string') return bad('body must be a FakeUser JSON');
      org.setUser(u);
      return ok();
    }
    case 'POST fault': {
      const f = jsonObject<{ route: FaultRoute; fault: Fault; times?: number; skip?: number }>(ctx);
      if (!f || !FAULT_ROUTES.has(f.route) || typeof f.fault?.kind !== 'string') return bad('body must be {route, fault, times?, skip?}');
      org.setFault(f.route, f.fault, f.times, f.skip);
      return ok();
    }
    case 'POST clear-faults':
      org.clearFaults();
      return ok();
    case 'GET requests':
      return json(200, org.requests);
    case 'POST reset-requests':
      org.resetRequests();
      return ok();
    case 'GET token-requests':
      return json(200, { count: org.tokenRequests() });
    // Deliberately secret: the tokens minted so far, for tests that scan outputs for leaks.
    case 'GET issued-tokens':
      return json(200, org.issuedTokens);
    // As secret: access and refresh tokens, and authorization codes, the scratch orgs' included.
    case 'GET issued-secrets':
      return json(200, { tokens: org.allIssuedTokens(), authCodes: org.allIssuedAuthCodes() });
    case 'GET signups':
      return json(200, org.signups);
    case 'POST scratch-org-polls': {
      const count = numberParam(ctx, 'count');
      if (count === undefined || !Number.isInteger(count) || count < 1) return bad('count must be an integer >= 1');
      org.setScratchOrgPolls(count);
      return ok({ scratchOrgPolls: count });
    }
    case 'POST token-active': {
      const b = jsonObject<{ token?: string }>(ctx);
      if (!b?.token) return bad('body must be {token}');
      return json(200, { active: org.isTokenActive(b.token) });
    }
    default:
      return notFound();
  }
}

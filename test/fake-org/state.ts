/** In-memory state of the fake org: clients, users, tokens, codes, faults and the request log. */
import { BUILT_IN_APP_ID, DEFAULT_CALLBACK_URL, isBuiltInCallback } from './builtInApp.js';
import { DevHubState } from './devHub.js';
import { sfDateTime } from './devHubRecords.js';
import type { Row } from './devHubRecords.js';
import type { DeployResult } from './routes/deploy.js';
import { authorizationCode, DEFAULT_ORG_ID, DEFAULT_USER_ID, randomId, refreshToken, to18 } from './wire/ids.js';
import type { FakeClient, FakeOrgOptions, FakeUser, Fault, FaultRoute, OrganizationFields, RequestRecord, RouteName } from './types.js';

export type TokenRecord = {
  token: string;
  clientId: string;
  userId: string;
  format: 'opaque' | 'jwt';
  issuedAt: number;
  lastUsed: number;
  dead: boolean;
};

/** An authorization code (what a scratch org signup hands out in ScratchOrgInfo.AuthCode): one exchange, for one app and callback. */
export type AuthCodeRecord = { code: string; clientId: string; redirectUri: string; userId: string; used: boolean };

/** A refresh token of the authorization code grant; it outlives every access token (the session timeout does not end it). */
export type RefreshTokenRecord = { token: string; clientId: string; userId: string; dead: boolean };

/** An app that can take part in the authorization code and refresh token grants. */
export type OAuthApp = {
  clientId: string;
  /** undefined: no secret needed (sf's built-in app). */
  clientSecret?: string;
  acceptsCallback: (uri: string) => boolean;
};

type ActiveFault = { route: FaultRoute; fault: Fault; remaining: number; skip: number };


export const DEFAULT_CLIENT: FakeClient = {
  clientId: 'fake-client-id',
  clientSecret: 'fake-client-secret',
  runAsUsername: 'ci-user@example.com',
};
export const DEFAULT_USER: FakeUser = { userId: DEFAULT_USER_ID, username: 'ci-user@example.com', email: 'ci-user@example.com' };

export class OrgState {
  public readonly orgId: string;
  public readonly apiVersion: string;
  public readonly signResponses: boolean;
  public readonly accounts: Array<{ Id: string; Name: string }>;
  public readonly organization: OrganizationFields;
  public readonly apiInstanceUrl?: string;
  public readonly publicUrl?: string;
  public readonly requests: RequestRecord[] = [];
  public readonly issuedTokens: string[] = [];
  public readonly issuedRefreshTokens: string[] = [];
  public readonly issuedAuthCodes: string[] = [];
  public readonly deploys = new Map<string, DeployResult>();
  public latencyMs: number;
  public sessionTimeoutSeconds: number;
  private readonly clients = new Map<string, FakeClient>();
  private readonly users = new Map<string, FakeUser>();
  /** Source tracking (a scratch org): the SourceMember rows that deploys leave, RevisionCounter rising by one per change. */
  public readonly sourceTracking: boolean;
  public readonly sourceMembers: Row[] = [];
  /** The Dev Hub's signups (FakeOrgOptions.isDevHub), else undefined. */
  public readonly devHub?: DevHubState;
  /** A scratch org whose Dev Hub deleted it: every credential is dead and no new one is issued. */
  public ended = false;
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly authCodes = new Map<string, AuthCodeRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private faults: ActiveFault[] = [];

  public constructor(opts: FakeOrgOptions) {
    const orgId = opts.orgId ?? DEFAULT_ORG_ID;
    if (!/^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/.test(orgId)) throw new Error(`orgId must start with 00D: ${orgId}`);
    this.orgId = to18(orgId);
    this.apiVersion = opts.apiVersion ?? '65.0';
    if (!/^\d+\.0$/.test(this.apiVersion)) throw new Error(`apiVersion must look like 65.0: ${this.apiVersion}`);
    this.sourceTracking = opts.sourceTracking ?? false;
    if (opts.isDevHub) this.devHub = new DevHubState(this, opts.scratchOrgPolls ?? 2);
    this.signResponses = opts.signResponses ?? true;
    this.apiInstanceUrl = opts.apiInstanceUrl;
    this.publicUrl = opts.publicUrl;
    this.latencyMs = opts.latencyMs ?? 0;
    this.sessionTimeoutSeconds = opts.sessionTimeoutSeconds ?? 7200;
    this.accounts = opts.accounts ?? [
      { Id: randomId('001'), Name: 'Acme Corporation' },
      { Id: randomId('001'), Name: 'Global Media' },
    ];
    this.organization = opts.organization ?? {};
    for (const u of opts.users ?? [DEFAULT_USER]) this.setUser(u);
    for (const c of opts.clients ?? [DEFAULT_CLIENT]) this.setClient(c);
  }

  // ---- clients and users ----
  public setClient(c: FakeClient): void {
    this.clients.set(c.clientId, { ...c });
  }
  /** Deleting the app revokes every token it issued. */
  public removeClient(clientId: string): void {
    this.clients.delete(clientId);
    for (const t of this.tokens.values()) if (t.clientId === clientId) t.dead = true;
  }
  public getClient(clientId: string): FakeClient | undefined {
    return this.clients.get(clientId);
  }
  /** The app of the authorization code and refresh token grants: sf's built-in app, or one of the org's clients. */
  public oauthApp(clientId: string | undefined): OAuthApp | undefined {
    if (!clientId) return undefined;
    if (clientId === BUILT_IN_APP_ID) return { clientId, acceptsCallback: isBuiltInCallback };
    const client = this.clients.get(clientId);
    if (!client) return undefined;
    const callbacks = client.callbackUrls ?? [DEFAULT_CALLBACK_URL];
    return { clientId, clientSecret: client.clientSecret, acceptsCallback: (uri) => callbacks.includes(uri) };
  }
  /** Deactivating a user ends its sessions. */
  public setUser(u: FakeUser): void {
    const userId = to18(u.userId);
    this.users.set(userId, { ...u, userId });
    if (u.active === false) for (const t of this.tokens.values()) if (t.userId === userId) t.dead = true;
  }
  public getUser(userId: string): FakeUser | undefined {
    return this.users.get(userId);
  }
  public findUserByName(username: string): FakeUser | undefined {
    for (const u of this.users.values()) if (u.username.toLowerCase() === username.toLowerCase()) return u;
    return undefined;
  }
  public allUsers(): FakeUser[] {
    return [...this.users.values()];
  }

  // ---- tokens ----
  public addToken(token: string, clientId: string, userId: string, format: 'opaque' | 'jwt', now: number): TokenRecord {
    const rec: TokenRecord = { token, clientId, userId, format, issuedAt: now, lastUsed: now, dead: false };
    this.tokens.set(token, rec);
    this.issuedTokens.push(token);
    return rec;
  }
  public expiresAt(rec: TokenRecord): number {
    return rec.lastUsed + this.sessionTimeoutSeconds * 1000;
  }
  /** The live record of a token, or undefined (an idle-expired token is marked dead for good). */
  public lookup(token: string | undefined, now = Date.now()): TokenRecord | undefined {
    if (!token) return undefined;
    const rec = this.tokens.get(token);
    if (!rec || rec.dead) return undefined;
    if (now >= this.expiresAt(rec)) {
      rec.dead = true;
      return undefined;
    }
    return rec;
  }
  /** Like lookup, and extends the idle timeout (an authenticated API call). */
  public use(token: string | undefined, now = Date.now()): TokenRecord | undefined {
    const rec = this.lookup(token, now);
    if (rec) rec.lastUsed = now;
    return rec;
  }
  /** Revokes an access token, or a refresh token (and the access tokens of its app and user with it). */
  public revoke(token: string): boolean {
    const refresh = this.findRefreshToken(token);
    if (refresh) {
      refresh.dead = true;
      for (const t of this.tokens.values()) if (t.clientId === refresh.clientId && t.userId === refresh.userId) t.dead = true;
      return true;
    }
    const rec = this.lookup(token);
    if (rec) rec.dead = true;
    return rec !== undefined;
  }
  /** Every access token minted so far is dead (refresh tokens live on, as after a session timeout). */
  public expireAll(): void {
    for (const t of this.tokens.values()) t.dead = true;
  }

  // ---- authorization codes and refresh tokens ----
  public issueAuthCode(clientId: string, redirectUri: string, userId: string): string {
    const code = authorizationCode();
    this.authCodes.set(code, { code, clientId, redirectUri, userId: to18(userId), used: false });
    this.issuedAuthCodes.push(code);
    return code;
  }
  /** The unused code, or undefined. */
  public findAuthCode(code: string | undefined): AuthCodeRecord | undefined {
    const rec = code ? this.authCodes.get(code) : undefined;
    return rec && !rec.used && !this.ended ? rec : undefined;
  }
  public addRefreshToken(clientId: string, userId: string): string {
    const token = refreshToken();
    this.refreshTokens.set(token, { token, clientId, userId, dead: false });
    this.issuedRefreshTokens.push(token);
    return token;
  }
  public findRefreshToken(token: string | undefined): RefreshTokenRecord | undefined {
    const rec = token ? this.refreshTokens.get(token) : undefined;
    return rec && !rec.dead ? rec : undefined;
  }
  /** The org is gone (a scratch org deleted from its Dev Hub): tokens, refresh tokens and codes die. */
  public end(): void {
    this.ended = true;
    this.expireAll();
    for (const r of this.refreshTokens.values()) r.dead = true;
    for (const c of this.authCodes.values()) c.used = true;
  }

  // ---- source tracking ----
  /** A deployed component, as a tracked org records it: a new SourceMember, or the next revision of its SourceMember. */
  public trackChange(memberType: string, memberName: string, memberId: string, userId: string, now: number): void {
    if (!this.sourceTracking) return;
    const revision = this.sourceMembers.reduce((max, m) => Math.max(max, Number(m.RevisionCounter)), 0) + 1;
    const changedAt = sfDateTime(now);
    const existing = this.sourceMembers.find((m) => m.MemberType === memberType && m.MemberName === memberName);
    if (existing) {
      Object.assign(existing, { RevisionCounter: revision, IsNewMember: false, ChangedBy: userId, LastModifiedDate: changedAt });
      return;
    }
    this.sourceMembers.push({
      Id: randomId('0MZ'), MemberIdOrName: memberId, MemberType: memberType, MemberName: memberName, IsNameObsolete: false,
      RevisionCounter: revision, IsNewMember: true, ChangedBy: userId, LastModifiedDate: changedAt, IsDeleted: false,
    });
  }

  // ---- faults ----
  /** `skip`: how many matching requests pass untouched before the fault applies. */
  public setFault(route: FaultRoute, fault: Fault, times?: number, skip = 0): void {
    this.faults.push({ route, fault, remaining: times ?? Number.POSITIVE_INFINITY, skip });
  }
  public clearFaults(): void {
    this.faults = [];
  }
  /** The first fault matching the route, consumed once. Admin requests are never faulted. */
  public takeFault(route: RouteName): Fault | undefined {
    if (route === 'admin') return undefined;
    const found = this.faults.find((f) => f.route === route || f.route === 'any');
    if (!found) return undefined;
    if (found.skip > 0) {
      found.skip -= 1;
      return undefined;
    }
    found.remaining -= 1;
    if (found.remaining <= 0) this.faults = this.faults.filter((f) => f !== found);
    return found.fault;
  }

  // ---- request log ----
  public tokenRequests(): number {
    return this.requests.filter((r) => r.route === 'token' && r.method === 'POST').length;
  }
}

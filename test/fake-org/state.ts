/** In-memory state of the fake org: clients, users, tokens, faults and the request log. */
import type { DeployResult } from './routes/deploy.js';
import { DEFAULT_ORG_ID, DEFAULT_USER_ID, randomId, to18 } from './wire/ids.js';
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
  public readonly isDevHub: boolean;
  public readonly signResponses: boolean;
  public readonly accounts: Array<{ Id: string; Name: string }>;
  public readonly organization: OrganizationFields;
  public readonly apiInstanceUrl?: string;
  public readonly publicUrl?: string;
  public readonly requests: RequestRecord[] = [];
  public readonly issuedTokens: string[] = [];
  public readonly deploys = new Map<string, DeployResult>();
  public latencyMs: number;
  public sessionTimeoutSeconds: number;
  private readonly clients = new Map<string, FakeClient>();
  private readonly users = new Map<string, FakeUser>();
  private readonly tokens = new Map<string, TokenRecord>();
  private faults: ActiveFault[] = [];

  public constructor(opts: FakeOrgOptions) {
    const orgId = opts.orgId ?? DEFAULT_ORG_ID;
    if (!/^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/.test(orgId)) throw new Error(`orgId must start with 00D: ${orgId}`);
    this.orgId = to18(orgId);
    this.apiVersion = opts.apiVersion ?? '65.0';
    if (!/^\d+\.0$/.test(this.apiVersion)) throw new Error(`apiVersion must look like 65.0: ${this.apiVersion}`);
    this.isDevHub = opts.isDevHub ?? false;
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
  public revoke(token: string): boolean {
    const rec = this.lookup(token);
    if (rec) rec.dead = true;
    return rec !== undefined;
  }
  public expireAll(): void {
    for (const t of this.tokens.values()) t.dead = true;
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

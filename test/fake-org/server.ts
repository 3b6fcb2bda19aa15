/**
 * A local fake Salesforce org for tests: OAuth 2.0 client credentials, introspect/revoke, userinfo,
 * the REST data calls sf makes, and Metadata API deploys over SOAP (and REST). See README.md.
 * This file is the server: it records each request, applies faults and hands the request to its route (routes/).
 */
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ScratchOrgSpec, SignupView } from './devHub.js';
import { dispatch, routeOf } from './routes/dispatch.js';
import { faultReply, reshapeReply } from './routes/faults.js';
import { restError } from './routes/reply.js';
import type { Ctx } from './routes/reply.js';
import { OrgState } from './state.js';
import type { FakeClient, FakeOrgOptions, FakeUser, Fault, FaultRoute, RequestRecord } from './types.js';
import { authScheme, isForm, readBody, redactQuery } from './wire/http.js';
import { takeOverConnection } from './wire/socketFaults.js';
import { makeCerts } from './wire/tls.js';
import type { Certs } from './wire/tls.js';

export type { FakeClient, FakeOrgOptions, FakeUser, Fault, FaultRoute, RequestRecord } from './types.js';
export type { SignupView } from './devHub.js';
export { signature } from './wire/signature.js';
export { DEFAULT_CLIENT, DEFAULT_USER } from './state.js';
export { BUILT_IN_APP_ID, DEFAULT_CALLBACK_URL } from './builtInApp.js';
export { SIGNUP_INSTANCE } from './devHub.js';

/** A small sf project (one Apex class, see fixtures/) to deploy to the fake org. */
export const SAMPLE_PROJECT = fileURLToPath(new URL('fixtures/sample-project', import.meta.url));


export class FakeOrg {
  public readonly url: string;
  public readonly orgId: string;
  public readonly caCertPath?: string;
  /** The URL the org names itself by in its answers (FakeOrgOptions.publicUrl), else url. */
  public readonly publicUrl: string;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** The fake orgs serving the scratch orgs this Dev Hub signed up. */
  private readonly children: FakeOrg[] = [];
  private stopped = false;

  private constructor(
    private readonly server: Server,
    private readonly state: OrgState,
    private readonly certs: Certs | undefined,
    url: string,
    private readonly log: boolean,
    private readonly logLabel: string,
  ) {
    this.url = url;
    this.orgId = state.orgId;
    this.caCertPath = certs?.caCertPath;
    this.publicUrl = (state.publicUrl ?? url).replace(/\/+$/, '');
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  public static async start(opts: FakeOrgOptions = {}): Promise<FakeOrg> {
    return FakeOrg.launch(opts);
  }

  /** With `sharedCerts` (a Dev Hub's, for its scratch orgs): serve https with them, so one CA covers the hub and its scratch orgs. */
  private static async launch(opts: FakeOrgOptions, sharedCerts?: Certs): Promise<FakeOrg> {
    const state = new OrgState(opts);
    const host = opts.host ?? '127.0.0.1';
    const certs = sharedCerts ? { ...sharedCerts, dispose: async (): Promise<void> => {} } : opts.https ? await makeCerts(opts.certHost ?? host, opts.certFlaw) : undefined;
    // eslint-disable-next-line prefer-const -- assigned once the server it handles for is listening
    let org: FakeOrg | undefined;
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      if (org) void org.handle(req, res);
      else res.destroy();
    };
    const server = certs ? createHttpsServer({ key: certs.key, cert: certs.cert }, handler) : createHttpServer(handler);
    server.keepAliveTimeout = 5000;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(opts.port ?? 0, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (e) {
      await certs?.dispose();
      throw e;
    }
    const port = (server.address() as AddressInfo).port;
    const urlHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
    org = new FakeOrg(server, state, certs, `${certs ? 'https' : 'http'}://${urlHost}:${port}`, opts.log ?? false, opts.logLabel ?? 'fake-org');
    if (state.devHub) {
      const hub = org;
      state.devHub.launcher = async (spec: ScratchOrgSpec): Promise<FakeOrg> => {
        const scratch = await FakeOrg.launch(FakeOrg.scratchOrgOptions(spec, opts, state), certs);
        hub.children.push(scratch);
        return scratch;
      };
    }
    return org;
  }

  /** A scratch org is served like any fake org, at its own URL, with its own tokens; the signup app is replicated into it. */
  private static scratchOrgOptions(spec: ScratchOrgSpec, hubOptions: FakeOrgOptions, hub: OrgState): FakeOrgOptions {
    return {
      https: hubOptions.https,
      host: hubOptions.host,
      orgId: spec.orgId,
      users: [{ userId: spec.userId, username: spec.username, email: spec.email }],
      // No client credentials app of the Dev Hub comes along: only the signup app, for the authorization code and refresh grants.
      clients: spec.app ? [{ clientId: spec.app.clientId, clientSecret: spec.app.clientSecret, callbackUrls: spec.app.callbackUrls, kind: 'connectedApp' }] : [],
      organization: spec.organization,
      apiVersion: hub.apiVersion,
      latencyMs: hub.latencyMs,
      sessionTimeoutSeconds: hub.sessionTimeoutSeconds,
      signResponses: hub.signResponses,
      accounts: [],
      sourceTracking: true,
      log: hubOptions.log,
      logLabel: `scratch ${spec.orgId.slice(0, 15)}`,
    };
  }

  // ---- inspection ----
  public get requests(): RequestRecord[] {
    return this.state.requests;
  }
  public get issuedTokens(): string[] {
    return this.state.issuedTokens;
  }
  public tokenRequests(): number {
    return this.state.tokenRequests();
  }
  /** Every access and refresh token this org issued, and those of the scratch orgs it signed up, for leak scans. */
  public allIssuedTokens(): string[] {
    return [...this.state.issuedTokens, ...this.state.issuedRefreshTokens, ...this.children.flatMap((c) => c.allIssuedTokens())];
  }
  /** Every authorization code this org and its scratch orgs issued (a Dev Hub's signups hand them out in ScratchOrgInfo.AuthCode). */
  public allIssuedAuthCodes(): string[] {
    return [...this.state.issuedAuthCodes, ...this.children.flatMap((c) => c.allIssuedAuthCodes())];
  }
  public isTokenActive(token: string): boolean {
    return this.state.lookup(token) !== undefined;
  }
  /** Dev Hub: the scratch orgs it signed up, each a fake org of its own (deleted ones too). */
  public get scratchOrgs(): readonly FakeOrg[] {
    return this.children;
  }
  /** Dev Hub: every signup (ScratchOrgInfo insert) with its status and the fields it was asked for. */
  public get signups(): SignupView[] {
    return this.state.devHub?.views() ?? [];
  }
  public resetRequests(): void {
    this.state.requests.length = 0;
  }

  // ---- control ----
  public setClient(c: FakeClient): void {
    this.state.setClient(c);
  }
  public removeClient(clientId: string): void {
    this.state.removeClient(clientId);
  }
  public setUser(u: FakeUser): void {
    this.state.setUser(u);
  }
  public setFault(route: FaultRoute, fault: Fault, times?: number, skip?: number): void {
    this.state.setFault(route, fault, times, skip);
  }
  public clearFaults(): void {
    this.state.clearFaults();
  }
  public setLatency(ms: number): void {
    this.state.latencyMs = ms;
  }
  public setSessionTimeout(seconds: number): void {
    this.state.sessionTimeoutSeconds = seconds;
  }
  /** Every access token minted so far is dead; with scratchOrgs, those of the Dev Hub's scratch orgs too. Refresh tokens live on. */
  public expireAllTokens(options: { scratchOrgs?: boolean } = {}): void {
    this.state.expireAll();
    if (options.scratchOrgs) for (const c of this.children) c.expireAllTokens({ scratchOrgs: true });
  }
  /** Dev Hub: the poll of a ScratchOrgInfo on which its signup turns Active or Error. */
  public setScratchOrgPolls(count: number): void {
    if (this.state.devHub) this.state.devHub.pollsUntilDone = count;
  }
  /** As a scratch org's Dev Hub does at signup: an authorization code for the admin, for that app and callback. */
  public issueAuthorizationCode(clientId: string, redirectUri: string, username: string): string {
    const user = this.state.findUserByName(username);
    if (!user) throw new Error(`no user ${username} in the fake org`);
    return this.state.issueAuthCode(clientId, redirectUri, user.userId);
  }
  /** The org is gone (deleted from its Dev Hub): every token, refresh token and code dies. */
  public endOrg(): void {
    this.state.end();
  }

  /** Closes the server and every socket (hung and keep-alive ones too); a Dev Hub stops its scratch orgs first. */
  public async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.state.devHub?.waitForStarts();
    await Promise.all(this.children.map((c) => c.stop()));
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.server.closeAllConnections();
    await closed;
    await this.certs?.dispose();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const now = Date.now();
    const method = req.method ?? 'GET';
    // Not `new URL(req.url, base)`: a request path starting with `//` would be read as a host.
    const raw = req.url ?? '/';
    const qi = raw.indexOf('?');
    const rawPath = qi >= 0 ? raw.slice(0, qi) : raw;
    const path = rawPath.replace(/\/{2,}/g, '/');
    const url = new URL(`http://fake.invalid${path}${qi >= 0 ? raw.slice(qi) : ''}`);
    const route = routeOf(path);
    const record: RequestRecord = { method, path: rawPath, query: redactQuery(url.search), at: now, authorized: false, route, status: 0, authScheme: authScheme(req) };
    if (route !== 'admin') this.state.requests.push(record);
    const fault = this.state.takeFault(route);
    const takenOver = takeOverConnection(fault, req, res);
    if (takenOver) {
      this.writeLog(record, takenOver);
      return;
    }
    if (fault?.kind === 'expireTokens') this.state.expireAll();
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      res.destroy();
      return;
    }
    if (isForm(req)) record.form = redactQuery(body.toString('utf8'));
    let authorized = false;
    const markAuthorized = (): void => {
      authorized = true;
    };
    const ctx: Ctx = { req, method, path, url, body, state: this.state, baseUrl: this.publicUrl, fault, markAuthorized, now };
    let reply = fault ? faultReply(fault) : undefined;
    if (!reply) {
      try {
        reply = dispatch(ctx, route, this);
      } catch (e) {
        if (this.log) process.stderr.write(`[${this.logLabel}] handler error: ${(e as Error).message}\n`);
        reply = restError(500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: 0000000000-00000 (-0000000000)');
      }
    }
    reply = reshapeReply(reply, fault);
    record.authorized = authorized;
    record.status = reply.status;
    this.writeLog(record, fault ? `fault ${fault.kind}` : '');
    const latency = this.state.latencyMs + (fault?.kind === 'delay' ? fault.ms : 0);
    if (latency > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          resolve();
        }, latency);
        this.timers.add(t);
      });
    }
    if (this.stopped || res.destroyed) return;
    const headers: Record<string, string | number> = { ...reply.headers };
    if (reply.contentType) headers['Content-Type'] = reply.contentType;
    const payload = reply.body ?? '';
    headers['Content-Length'] = Buffer.byteLength(payload);
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  private writeLog(r: RequestRecord, note: string): void {
    if (!this.log) return;
    const q = r.query ? `?${r.query}` : '';
    process.stderr.write(`[${this.logLabel}] ${new Date(r.at).toISOString().slice(11, 23)} ${r.method} ${r.path}${q.length > 200 ? q.slice(0, 200) + '…' : q} -> ${r.status || '-'}${r.authorized ? ' (auth)' : ''}${note ? ` [${note}]` : ''}\n`);
  }
}

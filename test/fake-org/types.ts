/** Public types of the fake Salesforce org (see fakeOrg.ts). */

export type FakeClient = {
  clientId: string;
  clientSecret: string;
  /** Run As user of the client credentials flow; undefined => `no client credentials user enabled`. */
  runAsUsername?: string;
  /** false => client credentials flow disabled on the app (answered like a missing Run As user). */
  enabled?: boolean;
  /** false => `invalid_app_access` (admin-approved users only, user not approved). */
  approved?: boolean;
  /**
   * A classic connected app (default) or an External Client App. Both serve the client credentials
   * flow alike; as a scratch org's signup app (ScratchOrgInfo.ConnectedAppConsumerKey) only a
   * connected app is replicated into the new org: an External Client App fails the signup with C-1016.
   */
  kind?: 'connectedApp' | 'externalClientApp';
  /** Callback URLs of the app (authorization code grant), default `http://localhost:1717/OauthRedirect`. */
  callbackUrls?: string[];
};

export type FakeUser = { userId: string; username: string; email?: string; active?: boolean };

/** Applied to the next `times` matching requests (default: all until cleared). */
export type Fault =
  | { kind: 'status'; status: number; body?: string; contentType?: string }
  | { kind: 'oauthError'; error: string; description: string; status?: number }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'html'; status?: number }
  | { kind: 'invalidJson' }
  | { kind: 'omitField'; field: string }
  /** The JSON object answer with one field set to value (added, or replacing the org's). */
  | { kind: 'setField'; field: string; value: unknown }
  | { kind: 'badSignature' }
  | { kind: 'jwtToken' }
  /** Every token minted so far dies as the request arrives; the request is then answered as usual (and refused). */
  | { kind: 'expireTokens' }
  /** The answer, sent `ms` later than usual. */
  | { kind: 'delay'; ms: number }
  /** Headers and the first bytes of a JSON answer, then nothing, ever (a trickling server). */
  | { kind: 'trickle' }
  /** A JSON answer of `bytes` bytes, streamed (an oversized body). */
  | { kind: 'huge'; bytes: number };

/** Fields of the org's Organization record that a test may change (a sandbox, a scratch org, a namespace). */
export type OrganizationFields = {
  Name?: string;
  InstanceName?: string;
  IsSandbox?: boolean;
  TrialExpirationDate?: string | null;
  NamespacePrefix?: string | null;
  OrganizationType?: string;
};

export type FaultRoute = 'token' | 'introspect' | 'revoke' | 'userinfo' | 'data' | 'soap' | 'any';

/** Route a request belongs to; `admin` is the /__fake/ control API, `other` anything unknown. */
export type RouteName = Exclude<FaultRoute, 'any'> | 'admin' | 'other';

export type FakeOrgOptions = {
  /** Serve https with a self-signed CA made at start (server cert for 127.0.0.1 and localhost). */
  https?: boolean;
  /** With https: a server certificate that is expired, or names only another host. */
  certFlaw?: 'expired' | 'wrongHost';
  /** A host name the certificate names besides loopback (a My Domain that a proxy routes here), else `host`. */
  certHost?: string;
  /** 0 = ephemeral (default). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** 18-char org id starting with 00D. */
  orgId?: string;
  clients?: FakeClient[];
  users?: FakeUser[];
  /** Added delay before every response. */
  latencyMs?: number;
  /** Idle timeout of access tokens, default 7200. */
  sessionTimeoutSeconds?: number;
  /** Default true: signature = base64(HMAC-SHA256(secret, id + issued_at)); false => no signature field. */
  signResponses?: boolean;
  /** Latest API version served, default '65.0'. */
  apiVersion?: string;
  /**
   * Default false: the ScratchOrgInfo query answers 400 INVALID_TYPE. True: a Dev Hub, which signs
   * scratch orgs up (ScratchOrgInfo insert and polling, ActiveScratchOrg), each served by a fake
   * org of its own started at signup (see devHub.ts).
   */
  isDevHub?: boolean;
  /** The org tracks source changes, as scratch orgs do: each deploy adds or updates SourceMember records (Tooling API). */
  sourceTracking?: boolean;
  /** Dev Hub: the poll (GET of the ScratchOrgInfo record) on which a signup turns Active or Error; default 2. */
  scratchOrgPolls?: number;
  accounts?: Array<{ Id: string; Name: string }>;
  /** Changes to the Organization record (default: a Developer Edition org named Fake Org, no namespace). */
  organization?: OrganizationFields;
  /** Print one line per request to stderr (never secrets or tokens). */
  log?: boolean;
  /** The tag of those lines, default `fake-org` (a Dev Hub's scratch orgs: `scratch <org id>`). */
  logLabel?: string;
  /** When set, token responses carry `api_instance_url` with this value (Salesforce sends https://api.salesforce.com). */
  apiInstanceUrl?: string;
  /**
   * The URL the org names itself by in its answers (instance_url, identity URLs, resource URLs),
   * for tests whose HTTP client routes that host to this server; default the server's own URL.
   */
  publicUrl?: string;
};

export type RequestRecord = {
  method: string;
  /** Raw path as received (e.g. `//services/data/v65.0`), without the query string. */
  path: string;
  /** Query string without `?`; values of secret-looking parameters are replaced by `REDACTED`. */
  query: string;
  /** Epoch ms when the request arrived. */
  at: number;
  /** True when the request carried a credential the org accepted (valid token, session id or client secret). */
  authorized: boolean;
  route: RouteName;
  /** HTTP status sent (0 while pending, or when the fault hung or reset the connection). */
  status: number;
  /** A form body (application/x-www-form-urlencoded) as a query string, secret-looking values replaced like `query`. */
  form?: string;
  /** The scheme of the Authorization header (`Bearer`, `Basic`), never its credentials. */
  authScheme?: string;
};

import { isSafeUsername } from '../sf/sfFiles.js';
import { httpSend, type HttpOptions } from '../shared/http.js';
import { loadMessages } from '../shared/messages.js';
import { printable } from '../shared/redaction.js';
import { isOrgId, isUserId } from '../shared/salesforceIds.js';

const messages = loadMessages('org-info');

/** API version of the look-ups below; the same one @salesforce/core uses for its own. */
export const LOOKUP_API_VERSION = 'v51.0';

export type Organization = {
  name?: string;
  instanceName?: string;
  namespacePrefix: string | null;
  isSandbox?: boolean;
  isScratch?: boolean;
  trailExpirationDate?: string | null;
  orgEdition?: string;
};

export type OrgInfo = {
  username: string;
  orgId: string;
  userId: string;
  isDevHub: boolean;
  /** Undefined when the Organization query failed (not needed for a login). */
  organization?: Organization;
  /** The org's latest API version (`66.0`); undefined when the org did not say. */
  apiVersion?: string;
};

const bearer = (accessToken: string): Record<string, string> => ({
  accept: 'application/json',
  authorization: `Bearer ${accessToken}`,
});

const query = (instanceUrl: string, soql: string): string =>
  `${instanceUrl}/services/data/${LOOKUP_API_VERSION}/query?q=${encodeURIComponent(soql)}`;

/** Who the token belongs to: GET /services/oauth2/userinfo. */
export const fetchUserInfo = async (
  instanceUrl: string,
  accessToken: string,
  options: HttpOptions = {}
): Promise<{ username: string; orgId: string; userId: string }> => {
  const url = `${instanceUrl}/services/oauth2/userinfo`;
  const response = await httpSend({ method: 'GET', url, headers: bearer(accessToken) }, options);
  const host = new URL(url).host;
  if (response.status !== 200) {
    let detail = '';
    try {
      const parsed = JSON.parse(response.body) as Array<{ errorCode?: string }> | { error?: string };
      const code = Array.isArray(parsed) ? parsed[0]?.errorCode : parsed.error;
      if (typeof code === 'string') detail = `: ${printable(code).slice(0, 100)}`;
    } catch {
      // keep the status alone
    }
    throw messages.createError('error.TokenRejected', [host, String(response.status), detail]);
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    body = {};
  }
  const { preferred_username: username, organization_id: orgId, user_id: userId } = body;
  if (typeof username !== 'string' || typeof orgId !== 'string' || typeof userId !== 'string') {
    throw messages.createError('error.UserInfoUnreadable', [host, String(response.status)]);
  }
  // The username names the auth file: the org's answer must not choose a path.
  if (!isSafeUsername(username)) throw messages.createError('error.UnsafeUsername', [host, JSON.stringify(printable(username).slice(0, 100))]);
  if (!isOrgId(orgId) || !isUserId(userId)) {
    throw messages.createError('error.BadIds', [host]);
  }
  return { username, orgId, userId };
};

/** Whether the org is a Dev Hub: it can read ScratchOrgInfo (the check @salesforce/core makes). */
export const fetchIsDevHub = async (instanceUrl: string, accessToken: string, options: HttpOptions = {}): Promise<boolean> => {
  try {
    const response = await httpSend(
      { method: 'GET', url: query(instanceUrl, 'SELECT Id FROM ScratchOrgInfo limit 1'), headers: bearer(accessToken) },
      { maxTries: 1, ...options }
    );
    return response.status === 200;
  } catch {
    return false;
  }
};

/** The Organization record fields sf keeps in an auth file; undefined when the query fails. */
export const fetchOrganization = async (
  instanceUrl: string,
  accessToken: string,
  options: HttpOptions = {}
): Promise<Organization | undefined> => {
  try {
    const soql = 'SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization';
    const response = await httpSend(
      { method: 'GET', url: query(instanceUrl, soql), headers: bearer(accessToken) },
      { maxTries: 1, ...options }
    );
    if (response.status !== 200) return undefined;
    const { records } = JSON.parse(response.body) as { records?: Array<Record<string, unknown>> };
    const record = records?.[0];
    if (!record) return undefined;
    // Stored in the auth file and shown by sf org list and display: printable text only.
    const text = (value: unknown): string | undefined => (typeof value === 'string' ? printable(value).slice(0, 255) : undefined);
    const trial = text(record.TrialExpirationDate) ?? null;
    const sandbox = record.IsSandbox === true;
    return {
      name: text(record.Name),
      instanceName: text(record.InstanceName),
      namespacePrefix: text(record.NamespacePrefix) ?? null,
      isSandbox: sandbox && !trial,
      isScratch: sandbox && Boolean(trial),
      trailExpirationDate: trial,
      orgEdition: text(record.OrganizationType),
    };
  } catch {
    return undefined;
  }
};

/** An API version as @salesforce/core accepts one in an auth file (validateApiVersion). */
const API_VERSION = /^[1-9]\d\.0$/;

/**
 * The org's latest API version, from GET /services/data (the request every sf command makes
 * first, unless the auth file remembers the answer); undefined when the org gives none. The list
 * needs no session, and none is sent.
 */
export const fetchApiVersion = async (instanceUrl: string, options: HttpOptions = {}): Promise<string | undefined> => {
  try {
    const response = await httpSend(
      { method: 'GET', url: `${instanceUrl}/services/data`, headers: { accept: 'application/json' } },
      { maxTries: 1, ...options }
    );
    if (response.status !== 200) return undefined;
    const list = JSON.parse(response.body) as unknown;
    if (!Array.isArray(list)) return undefined;
    const versions = list
      .map((entry) => (entry as { version?: unknown } | null)?.version)
      .filter((version): version is string => typeof version === 'string' && API_VERSION.test(version));
    return versions.sort((a, b) => Number(a) - Number(b)).pop();
  } catch {
    return undefined;
  }
};

/**
 * Everything a login needs to know about a fresh token, in one round trip: userinfo, the Dev Hub
 * check, the Organization query and the API versions run in parallel. Only userinfo must succeed.
 */
export const describeOrg = async (instanceUrl: string, accessToken: string, options: HttpOptions = {}): Promise<OrgInfo> => {
  const [user, isDevHub, organization, apiVersion] = await Promise.all([
    fetchUserInfo(instanceUrl, accessToken, options),
    fetchIsDevHub(instanceUrl, accessToken, options),
    fetchOrganization(instanceUrl, accessToken, options),
    fetchApiVersion(instanceUrl, options),
  ]);
  return { ...user, isDevHub, organization, apiVersion };
};

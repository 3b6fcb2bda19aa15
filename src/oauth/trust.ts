import { isIP } from 'node:net';
import { loadMessages, warningOf, type PluginWarning } from '../shared/messages.js';

const messages = loadMessages('trust');

/**
 * Where this plugin lets a token and a secret go. The org's answers are untrusted input: a look-alike
 * or captured host can answer whatever it likes, so the instance URL it names must follow the rules
 * of --instance-url and be the login host itself or a Salesforce domain, before the token is used.
 */

/** The one name that counts as this machine: `localhost` itself (a name under .localhost goes to DNS on some machines). */
const LOOPBACK_NAMES = new Set(['localhost', '[::1]', '::1']);

/**
 * The domains Salesforce serves orgs from: the allowlist of @salesforce/core's SfdcUrl
 * (isSalesforceDomain), which sf also applies to a project's sfdcLoginUrl.
 */
const SALESFORCE_DOMAINS = [
  'cloudforce.com',
  'force.com',
  'salesforce.com',
  'salesforceliveagent.com',
  'salesforce.mil',
  'crmforce.mil',
  'sfcrmproducts.cn',
] as const;

/** True for a host on this machine: a literal address in 127.0.0.0/8, ::1, or the exact name localhost. */
export const isLoopbackHost = (hostname: string): boolean =>
  LOOPBACK_NAMES.has(hostname) || (isIP(hostname) === 4 && hostname.startsWith('127.'));

/**
 * The suffixes of Salesforce's My Domain hosts, the only hosts that serve the client credentials
 * flow: production, sandbox, scratch and the other enhanced domains (acme--uat.sandbox.my.salesforce.com),
 * Government Cloud Plus (salesforce.mil) and Alibaba Cloud (sfcrmproducts.cn).
 */
const MY_DOMAIN_SUFFIXES = ['.my.salesforce.com', '.my.salesforce.mil', '.my.sfcrmproducts.cn'] as const;

/** True for a My Domain host (acme.my.salesforce.com), the name before the suffix not empty. */
export const isMyDomainHost = (hostname: string): boolean => {
  const host = hostname.toLowerCase();
  return MY_DOMAIN_SUFFIXES.some((suffix) => host.endsWith(suffix) && host.length > suffix.length && !host.startsWith('.'));
};

/** Whether NODE_TLS_REJECT_UNAUTHORIZED turns off Node's check of TLS certificates (Node reads exactly "0"). */
export const tlsCheckDisabled = (env: NodeJS.ProcessEnv): boolean => env.NODE_TLS_REJECT_UNAUTHORIZED === '0';

/** The warning to give before the secret is sent while tlsCheckDisabled. */
export const tlsUncheckedWarning = (): PluginWarning => warningOf(messages, 'warning.TlsUnchecked');

/** True for a host in one of Salesforce's domains. */
export const isSalesforceHost = (hostname: string): boolean =>
  SALESFORCE_DOMAINS.some((domain) => hostname === domain || hostname.endsWith(`.${domain}`));

const parse = (url: string): URL | undefined => {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
};

/**
 * Checks the URL that a token is stored with or sent to, named by the org's token response
 * (instance_url): https (plain http only to the loopback host the login itself went to), no
 * credentials, and the login host itself or a Salesforce domain. Returns its origin.
 */
export const trustedInstanceUrl = (instanceUrl: string, loginUrl: string): string => {
  const url = parse(instanceUrl);
  const login = parse(loginUrl);
  const shown = url ? url.origin : instanceUrl.slice(0, 200);
  if (!url || !login || url.username !== '' || url.password !== '') throw messages.createError('error.UntrustedInstanceUrl', [login?.host ?? loginUrl, shown]);
  const sameHost = url.hostname.toLowerCase() === login.hostname.toLowerCase();
  const plainHttpAllowed = url.protocol === 'http:' && login.protocol === 'http:' && isLoopbackHost(login.hostname) && sameHost;
  if (url.protocol !== 'https:' && !plainHttpAllowed) {
    throw messages.createError('error.InsecureInstanceUrl', [login.host, shown]);
  }
  if (!sameHost && !isSalesforceHost(url.hostname.toLowerCase())) {
    throw messages.createError('error.UntrustedInstanceUrl', [login.host, shown]);
  }
  return url.origin;
};

/** Checks a stored login URL before the secret is sent to it: https, or plain http to this machine. */
export const trustedLoginUrl = (loginUrl: string): string => {
  const url = parse(loginUrl);
  if (!url || url.username !== '' || url.password !== '' || !(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))) {
    throw messages.createError('error.UntrustedLoginUrl', [url ? url.origin : loginUrl.slice(0, 200)]);
  }
  return url.origin;
};

import { loadMessages } from '../shared/messages.js';

const messages = loadMessages('trust');

/**
 * Where this plugin lets a token and a secret go. The org's answers are untrusted input: a look-alike
 * or captured host can answer whatever it likes, so the instance URL it names must follow the rules
 * of --instance-url and be the login host itself or a Salesforce domain, before the token is used.
 */

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * The domains Salesforce serves orgs from: the allowlist of @salesforce/core's SfdcUrl
 * (isSalesforceDomain), which sf also applies to a project's sfdcLoginUrl.
 */
export const SALESFORCE_DOMAINS = [
  'cloudforce.com',
  'force.com',
  'salesforce.com',
  'salesforceliveagent.com',
  'salesforce.mil',
  'crmforce.mil',
  'sfcrmproducts.cn',
] as const;

/** True for a host on this machine: localhost, 127.0.0.0/8 and ::1. */
export const isLoopbackHost = (hostname: string): boolean =>
  LOOPBACK_NAMES.has(hostname) || hostname.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(hostname);

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

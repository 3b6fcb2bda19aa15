import { isIP } from 'node:net';
import { isLoopbackHost } from '../oauth/trust.js';
import { bareHostname } from '../shared/hostname.js';
import { loadMessages } from '../shared/messages.js';

const messages = loadMessages('instance-url');

export type NormalizedInstanceUrl = {
  /** Origin of the org's API host, without a trailing slash: https://acme.my.salesforce.com */
  url: string;
  /** Set when the input was a Lightning host that was rewritten to its API host. */
  convertedFrom?: string;
};

const GENERIC_LOGIN_HOSTS = new Set([
  'login.salesforce.com',
  'test.salesforce.com',
  'login.salesforce.mil',
  'test.salesforce.mil',
]);

/**
 * Removes the Visualforce suffixes of a host label: "acme--c" and "acme--ns" become "acme",
 * "acme--dev--c" (a sandbox) becomes "acme--dev".
 */
const guessMyDomainFromVisualforce = (hostname: string): string => {
  const sandbox = hostname.includes('.sandbox.');
  const label = hostname.split('.')[0];
  // A legacy host without My Domain (c.na123.visual.force.com) names no org.
  if (!label.includes('--')) return '<MyDomainName>.my.salesforce.com';
  const parts = label.split('--');
  const kept = sandbox ? parts.slice(0, 2) : parts.slice(0, 1);
  return `${kept.join('--')}.${sandbox ? 'sandbox.' : ''}my.salesforce.com`;
};

const checkHost = (hostname: string, protocol: string, original: string): string | undefined => {
  const bare = bareHostname(hostname);
  if (GENERIC_LOGIN_HOSTS.has(hostname)) {
    throw messages.createError('error.GenericLoginHost', [hostname]);
  }
  if (isIP(bare) !== 0 && !(protocol === 'http:' && isLoopbackHost(hostname))) {
    throw messages.createError('error.IpAddressHost', [bare]);
  }
  if (protocol === 'http:' && !isLoopbackHost(hostname)) {
    throw messages.createError('error.InsecureHttp', [original], [hostname]);
  }
  if (hostname.endsWith('.my.salesforce-setup.com')) {
    const apiHost = hostname.replace(/\.my\.salesforce-setup\.com$/, '.my.salesforce.com');
    throw messages.createError('error.SetupHost', [hostname], [apiHost]);
  }
  if (hostname.endsWith('.vf.force.com') || hostname.endsWith('.visualforce.com') || hostname.endsWith('.visual.force.com')) {
    throw messages.createError('error.VisualforceHost', [hostname], [guessMyDomainFromVisualforce(hostname)]);
  }
  if (hostname.endsWith('.lightning.force.com')) {
    return hostname.replace(/\.lightning\.force\.com$/, '.my.salesforce.com');
  }
  return undefined;
};

/**
 * Turns what a user pastes into the origin of the org's API host, or throws an SfError that
 * says what to give instead. A bare host gets https://, a path, query or fragment is dropped,
 * a Lightning host becomes its my.salesforce.com host. Sends nothing over the network.
 */
export const normalizeInstanceUrl = (input: string): NormalizedInstanceUrl => {
  const trimmed = input.trim();
  if (trimmed === '') {
    throw messages.createError('error.MissingInstanceUrl');
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    // Never repeat a "user:password@" part: it would end up in logs.
    throw messages.createError('error.InvalidInstanceUrl', [trimmed.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i, '$1***@')]);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw messages.createError('error.UnsupportedProtocol', [parsed.protocol.replace(/:$/, '')], [parsed.host || 'acme.my.salesforce.com']);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw messages.createError('error.CredentialsInUrl', [parsed.hostname]);
  }
  if (parsed.hostname === '' || (!parsed.hostname.includes('.') && !isLoopbackHost(parsed.hostname))) {
    throw messages.createError('error.InvalidInstanceUrl', [trimmed]);
  }
  const hostname = parsed.hostname.toLowerCase();
  const converted = checkHost(hostname, parsed.protocol, parsed.origin);
  if (converted) {
    return { url: `https://${converted}`, convertedFrom: parsed.origin };
  }
  return { url: parsed.origin };
};

/**
 * Picks the instance URL: the flag when given, else the project's sfdcLoginUrl when it names a
 * usable My Domain, else an error that asks for --instance-url.
 */
export const resolveInstanceUrl = (flagValue: string | undefined, projectLoginUrl: string | undefined): NormalizedInstanceUrl => {
  if (flagValue !== undefined) {
    return normalizeInstanceUrl(flagValue);
  }
  if (projectLoginUrl === undefined || projectLoginUrl.trim() === '') {
    throw messages.createError('error.MissingInstanceUrl');
  }
  try {
    return normalizeInstanceUrl(projectLoginUrl);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw messages.createError('error.ProjectLoginUrl', [reason], [], error);
  }
};

/** The info line to show when a Lightning host was rewritten, or undefined. */
export const conversionNotice = (normalized: NormalizedInstanceUrl): string | undefined =>
  normalized.convertedFrom
    ? messages.getMessage('info.LightningConverted', [normalized.convertedFrom, normalized.url])
    : undefined;

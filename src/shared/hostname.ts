/**
 * A URL's hostname as Node's net, tls and http functions take it: an IPv6 address without the
 * brackets a URL writes around it ([::1] becomes ::1); any other name as it is.
 */
export const bareHostname = (hostname: string): string => hostname.replace(/^\[(.*)\]$/, '$1');

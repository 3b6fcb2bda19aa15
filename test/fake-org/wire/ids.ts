/** Salesforce-shaped ids and tokens. */
import { randomBytes } from 'node:crypto';

const CHECKSUM_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The 3-character case-safe suffix that turns a 15-char id into an 18-char one. */
export function to18(id15: string): string {
  if (id15.length === 18) return id15;
  if (id15.length !== 15) throw new Error(`not a 15-char id: ${id15}`);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') flags |= 1 << i;
    }
    suffix += CHECKSUM_CHARS.charAt(flags);
  }
  return id15 + suffix;
}

/** A record id matches the id asked for: the same id, or its 15-character (case-sensitive) prefix. */
export function matchesId(rowId: string, id: string): boolean {
  return rowId === id || (id.length === 15 && rowId.startsWith(id));
}

export function randomChars(n: number, alphabet = ID_CHARS): string {
  const bytes = randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet.charAt(bytes[i] % alphabet.length);
  return out;
}

/** A random 18-char id with the given 3-char key prefix (pod part `0000` like a small org). */
export function randomId(prefix: string): string {
  return to18(prefix + '0000' + randomChars(8, ID_CHARS));
}

/** Opaque access token shaped like Salesforce's: `<orgId15>!AQ` followed by [A-Za-z0-9._]. */
export function opaqueToken(orgId: string): string {
  return `${orgId.slice(0, 15)}!AQ` + randomChars(108, ID_CHARS + '._');
}

/** An authorization code shaped like Salesforce's (`aPrx…==`), good for one exchange. */
export function authorizationCode(): string {
  return 'aPrx' + randomChars(80, ID_CHARS + '._') + '==';
}

/** A refresh token shaped like Salesforce's (`5Aep861…`). */
export function refreshToken(): string {
  return '5Aep861' + randomChars(80, ID_CHARS + '._');
}

function b64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** A JWT-format access token (what orgs with "Issue JWT-based access tokens" hand out). */
export function jwtToken(claims: Record<string, unknown>): string {
  const header = b64url(JSON.stringify({ tnk: 'core/prod/00D', ver: '1.0', kid: 'CORE_ATJWT.00D', typ: 'JWT', alg: 'RS256' }));
  const body = b64url(JSON.stringify(claims));
  return `${header}.${body}.${b64url(randomBytes(64))}`;
}

export const DEFAULT_ORG_ID = to18('00DFK0000000001');
export const DEFAULT_USER_ID = to18('005FK0000000001');

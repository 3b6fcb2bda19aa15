import { homedir } from 'node:os';
import { EXPIRY_FIELD, LIFETIME_FIELD, ownershipOf, STORED_AT_FIELD, type Ownership } from '../sf/authFields.js';
import { authFilePath, fileAgeMs, isSafeUsername, readJsonObject } from '../sf/sfFiles.js';

/** Dependency-free checks the renewal hook makes before every sf command. */

export const RENEWAL_SWITCH = 'SF_CLIENT_CREDENTIALS_RENEWAL';
export const MARGIN_VARIABLE = 'SF_CLIENT_CREDENTIALS_RENEWAL_MARGIN';
/** Largest margin before expiry at which a token is renewed. */
export const MAX_MARGIN_MS = 5 * 60 * 1000;
/**
 * Lifetime assumed when the org does not answer introspection: short enough that the renewal hook
 * checks again soon (the shortest session timeout Salesforce offers is 15 minutes).
 */
export const FALLBACK_LIFETIME_MS = 15 * 60 * 1000;

export type StoredExpiry = {
  username: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Lifetime of a fresh token, ms, if known. */
  lifetimeMs?: number;
  /** When this plugin stored the token, epoch ms by this machine's clock, if known. */
  storedAt?: number;
};

/**
 * The shortest time between two renewals before commands: a token this plugin stored less than
 * this long ago (by this machine's clock, either way) is not renewed before a command, whatever
 * its stored expiry says. See isRenewalDue.
 */
export const MIN_RENEWAL_INTERVAL_MS = 5 * 60 * 1000;

/** What the hook learns of an org's auth file without decrypting anything. */
export type StoredState = {
  ownership: Ownership;
  /** For a login of this plugin: when its token expires. */
  expiry?: StoredExpiry;
  /** The file's fields as stored. */
  stored?: Record<string, unknown>;
};

/** True when renewal is turned off with SF_CLIENT_CREDENTIALS_RENEWAL=false (or 0, off, no). */
export const isRenewalDisabled = (env: NodeJS.ProcessEnv): boolean =>
  ['false', '0', 'off', 'no'].includes((env[RENEWAL_SWITCH] ?? '').trim().toLowerCase());

/**
 * How long before the stored expiry a token is renewed: SF_CLIENT_CREDENTIALS_RENEWAL_MARGIN
 * (seconds) when set, else a tenth of the token's lifetime, at most 5 minutes.
 */
export const renewalMarginMs = (lifetimeMs: number | undefined, env: NodeJS.ProcessEnv): number => {
  const fromEnv = Number(env[MARGIN_VARIABLE]);
  if ((env[MARGIN_VARIABLE] ?? '').trim() !== '' && Number.isFinite(fromEnv) && fromEnv >= 0) return fromEnv * 1000;
  if (lifetimeMs === undefined || !Number.isFinite(lifetimeMs) || lifetimeMs <= 0) return MAX_MARGIN_MS;
  return Math.min(MAX_MARGIN_MS, Math.floor(lifetimeMs / 10));
};

/** The stored expiry of an auth file's fields, when they are a login of this plugin. */
export const expiryOf = (username: string, fields: Record<string, unknown> | undefined): StoredExpiry | undefined => {
  if (ownershipOf(fields) !== 'ours') return undefined;
  const expiresAt = fields?.[EXPIRY_FIELD];
  if (typeof expiresAt !== 'number') return undefined;
  const lifetime = fields?.[LIFETIME_FIELD];
  const storedAt = fields?.[STORED_AT_FIELD];
  return {
    username,
    expiresAt,
    lifetimeMs: typeof lifetime === 'number' ? lifetime : undefined,
    storedAt: typeof storedAt === 'number' && Number.isFinite(storedAt) ? storedAt : undefined,
  };
};

/** Reads an org's auth file, and whose login it holds. Reads one file and decrypts nothing. */
export const readStoredState = async (username: string, home = homedir()): Promise<StoredState> => {
  if (!isSafeUsername(username, home)) return { ownership: 'none' };
  const stored = await readJsonObject(authFilePath(username, home));
  return { ownership: ownershipOf(stored), expiry: expiryOf(username, stored), stored };
};

/**
 * Whether a stored token should be renewed now, before a command: its stored expiry (the org's
 * issued_at plus the lifetime, so the org's clock) is near or past, by this machine's clock.
 *
 * Neither clock is trusted blindly. A machine clock ahead of the org's by more than a token
 * lifetime would find every fresh token expired and renew before every command, toward
 * Salesforce's limit of 3,600 logins an hour per user; so would an auth file whose expiry was
 * edited. Hence a floor: a token this plugin stored less than MIN_RENEWAL_INTERVAL_MS ago, by this
 * machine's clock (the distance either way, so a stamp dated ahead does not stop renewals for
 * longer), is not renewed before a command. In normal use a renewal comes at 90 % of the token's
 * lifetime, and Salesforce's shortest session lasts 15 minutes, so the floor never delays one. A
 * token that really is dead is still renewed when the org refuses it (renewRejected), which the
 * org's answer drives, not a clock.
 */
export const isRenewalDue = (stored: StoredExpiry, now: number, env: NodeJS.ProcessEnv): boolean => {
  if (now < stored.expiresAt - renewalMarginMs(stored.lifetimeMs, env)) return false;
  return stored.storedAt === undefined || fileAgeMs(stored.storedAt, now) >= MIN_RENEWAL_INTERVAL_MS;
};

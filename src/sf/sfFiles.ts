import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, parse, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Where sf keeps its files, named the way @salesforce/core names them (Global.SFDX_DIR,
 * Global.SF_DIR, the org accessor's auth file names). Every other module asks this one for a path
 * or a lock name, so that this plugin and sf always mean the same file and the same lock.
 * Node built-ins only: the prerun hook reads these files before every sf command.
 */

/** ~/.sfdx: auth files, alias.json, key.json. */
export const sfdxDir = (home = homedir()): string => join(home, '.sfdx');

/** ~/.sf: the global config.json and sf's log files. */
const sfDir = (home = homedir()): string => join(home, '.sf');

/** Salesforce usernames are at most 80 characters long. */
const MAX_USERNAME_LENGTH = 80;

/**
 * What a username's parts may not hold: @, white space, a path separator, a control character, or
 * a bidirectional control (which would make a terminal show the name in another order).
 */
const NOT_IN_USERNAME = '@\\s/\\\\\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const USERNAME_FORM = new RegExp(`^[^${NOT_IN_USERNAME}]+@[^${NOT_IN_USERNAME}]+\\.[^${NOT_IN_USERNAME}.]+$`);

/**
 * Whether a name can be a Salesforce username, and so name an auth file: the form of an email
 * address, at most 80 characters, no white space, control character, bidirectional control or
 * path separator, and an auth file path that stays in ~/.sfdx. An org's answer never chooses where a file goes.
 */
export const isSafeUsername = (username: string, home = homedir()): boolean => {
  if (username.length === 0 || username.length > MAX_USERNAME_LENGTH) return false;
  if (!USERNAME_FORM.test(username)) return false;
  if (username.split(/[@.]/).some((part) => part === '')) return false;
  const path = resolve(authFilePath(username, home));
  return dirname(path) === resolve(sfdxDir(home)) && basename(path) === `${username}.json`;
};

/** ~/.sfdx/<username>.json, the auth file of a username. */
export const authFilePath = (username: string, home = homedir()): string => join(sfdxDir(home), `${username}.json`);

/** ~/.sfdx/alias.json: {"orgs": {alias: username}}. */
export const aliasFilePath = (home = homedir()): string => join(sfdxDir(home), 'alias.json');

/** ~/.sfdx/key.json: the encryption key with SF_USE_GENERIC_UNIX_KEYCHAIN=true. */
export const keyFilePath = (home = homedir()): string => join(sfdxDir(home), 'key.json');

/** ~/.sf/config.json, the global config. */
export const globalConfigPath = (home = homedir()): string => join(sfDir(home), 'config.json');

/** <project>/.sf/config.json, the config of a project. */
export const projectConfigPath = (projectRoot: string): string => join(projectRoot, '.sf', 'config.json');

/**
 * What this plugin locks to renew the token of a username, one renewal per org at a time across
 * processes. It is not the auth file itself: @salesforce/core locks that one for each write.
 */
export const renewalLockTarget = (username: string, home = homedir()): string => `${authFilePath(username, home)}.renewal`;

/**
 * Where a file is written before it is renamed over path: beside it, hidden, named after the
 * writing process (.<name>.<pid>.<random>.tmp), so that a left-over of a killed process is known.
 */
export const temporaryFilePath = (path: string, pid = process.pid): string =>
  join(dirname(path), `.${basename(path)}.${pid}.${randomBytes(4).toString('hex')}.tmp`);

/** The file and the process a temporary file of temporaryFilePath belongs to; undefined for any other name. */
export const parseTemporaryFileName = (name: string): { target: string; pid: number } | undefined => {
  const match = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name);
  return match ? { target: match[1], pid: Number(match[2]) } : undefined;
};

/** The folder holding sfdx-project.json, searching upwards from dir, as sf finds its project. */
export const findProjectRoot = (dir: string): string | undefined => {
  let current = dir;
  const { root } = parse(current);
  for (;;) {
    if (existsSync(join(current, 'sfdx-project.json'))) return current;
    if (current === root) return undefined;
    current = dirname(current);
  }
};

/**
 * How long a read waits for a file that does not parse to become whole. @salesforce/core writes
 * its files in place (truncate, then write, under its lock), so a reader that does not hold the
 * lock can find an empty or half-written file; a prefix of a JSON object never parses, so a read
 * that parses saw the whole file.
 */
const TORN_READ_WAIT_MS = 250;

/** A file being rewritten was modified just now; one that has not changed for this long is broken, not torn. */
const TORN_FILE_AGE_MS = 2000;

/**
 * How old a file or folder is by its mtime: the distance to now, either way. This machine's clock
 * is not trusted blindly: an mtime in the future (a clock set back, a file copied from a cache or
 * planted) counts as that far in the past, so that nothing dated ahead stays "fresh" for ever; a
 * lock dated ahead is stale, a broken file dated ahead is not waited on.
 */
export const fileAgeMs = (mtimeMs: number, now = Date.now()): number => Math.abs(now - mtimeMs);

/** Whether a file that does not parse may be in the middle of a rewrite: it was modified just now. */
const maybeTorn = async (path: string): Promise<boolean> => {
  try {
    return fileAgeMs((await stat(path)).mtimeMs) < TORN_FILE_AGE_MS;
  } catch {
    return false;
  }
};

/**
 * A JSON file's object, or undefined when it is missing, unreadable or not a JSON object. A file
 * caught in the middle of a rewrite is read again until it parses, for at most TORN_READ_WAIT_MS;
 * a broken file that nobody is writing costs no wait (the hook reads sf's files before every command).
 */
export const readJsonObject = async (path: string, waitMs = TORN_READ_WAIT_MS): Promise<Record<string, unknown> | undefined> => {
  const giveUpAt = Date.now() + waitMs;
  for (let pause = 1; ; pause = Math.min(pause * 2, 20)) {
    let value: unknown;
    try {
      // eslint-disable-next-line no-await-in-loop
      value = JSON.parse(await readFile(path, 'utf8')) as unknown;
    } catch (error) {
      // eslint-disable-next-line no-await-in-loop
      if ((error as NodeJS.ErrnoException).code !== undefined || Date.now() >= giveUpAt || !(await maybeTorn(path))) return undefined;
      // eslint-disable-next-line no-await-in-loop
      await sleep(pause);
      continue;
    }
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  }
};

/** A value read from sf's files, settings or variables, when it is a string with something in it; else undefined. */
export const textOf = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * alias.json's map of alias to username, read without sf's lock (so, if sf is rewriting it, read
 * again until whole); empty when there is no alias file or no map in it.
 */
export const readAliases = async (home = homedir()): Promise<Record<string, unknown>> => {
  const orgs = (await readJsonObject(aliasFilePath(home)))?.orgs;
  return orgs && typeof orgs === 'object' && !Array.isArray(orgs) ? (orgs as Record<string, unknown>) : {};
};

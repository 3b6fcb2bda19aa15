import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateAggregator } from '@salesforce/core';

/** Variables for each test: a string sets the variable, undefined removes it. */
export type TestEnv = Record<string, string | undefined>;

const applyEnv = (env: TestEnv): void => {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
};

/** Puts process.env back to a copy taken earlier: changed variables restored, added ones removed. */
const restoreEnv = (saved: NodeJS.ProcessEnv): void => {
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  applyEnv(saved);
};

/** Runs fn with these variables (undefined removes one), then puts process.env back as it was. */
export const withEnv = async <T>(env: TestEnv, fn: () => Promise<T>): Promise<T> => {
  const saved = { ...process.env };
  applyEnv(env);
  try {
    return await fn();
  } finally {
    restoreEnv(saved);
  }
};

/** A value that exists only while a test runs. */
export const current = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`${what} exists only while a test runs`);
  return value;
};

/** The temporary folders made by makeTempDir that are still there. */
const madeDirs = new Set<string>();

const removeMadeDirsNow = (): void => {
  for (const dir of madeDirs) rmSync(dir, { recursive: true, force: true });
  madeDirs.clear();
};

/**
 * The one way the tests make a temporary folder: a new empty folder in os.tmpdir() named `prefix`
 * and six random characters. The caller removes it with removeTempDir when done with it; whatever
 * is still there when the process exits (a failed test, an after hook that never ran, an uncaught
 * error) is removed then, so that no run leaves anything in the system temp folder.
 */
export const makeTempDir = async (prefix: string): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (madeDirs.size === 0) process.once('exit', removeMadeDirsNow);
  madeDirs.add(dir);
  return dir;
};

/** Removes a folder made by makeTempDir, with everything in it. */
export const removeTempDir = async (dir: string): Promise<void> => {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  madeDirs.delete(dir);
  if (madeDirs.size === 0) process.removeListener('exit', removeMadeDirsNow);
};

/**
 * Registers mocha hooks (call it inside a describe, first) that point os.tmpdir() at a fresh
 * folder for the whole describe, then remove it with whatever was written there under a fixed
 * name: @salesforce/core's TestContext, for one, writes <tmpdir>/.sfdx/alias.json.
 */
export const useOwnTmpdir = (): void => {
  let dir: string | undefined;
  let saved: string | undefined;
  before(async () => {
    dir = await makeTempDir('cc-tmpdir-');
    saved = process.env.TMPDIR;
    process.env.TMPDIR = dir;
  });
  after(async () => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    if (dir) await removeTempDir(dir);
    dir = undefined;
  });
};

/**
 * Registers mocha hooks (call it inside a describe) that give each test a fresh, empty temporary
 * folder, removed after the test. Returns a function that gives the current test's folder.
 */
export const useTempDir = (): (() => string) => {
  let dir: string | undefined;
  beforeEach(async () => {
    dir = await makeTempDir('cc-test-');
  });
  afterEach(async () => {
    if (dir) await removeTempDir(dir);
    dir = undefined;
  });
  return () => current(dir, 'useTempDir: the temporary folder');
};

/**
 * The one temporary-HOME helper of the tests. Registers mocha hooks (call it inside a describe)
 * that give each test a fresh, empty HOME, with `env` applied and @salesforce/core's
 * StateAggregator cleared (it caches the files of the previous HOME). core's log file is off
 * unless `env` sets SF_DISABLE_LOG_FILE: its writer thread opens ~/.sf/sf-<date>.log when it gets
 * to it, which can be after the HOME is removed, and so would make the HOME again. Afterwards the whole
 * environment is put back as it was, whatever the test changed, and the HOME is removed.
 * Returns a function that gives the current test's HOME.
 */
export const useTempHome = (env: TestEnv = {}): (() => string) => {
  let home: string | undefined;
  let saved: NodeJS.ProcessEnv | undefined;

  beforeEach(async () => {
    saved = { ...process.env };
    home = await makeTempDir('cc-home-');
    applyEnv({ SF_DISABLE_LOG_FILE: 'true', ...env, HOME: home });
    StateAggregator.clearInstance();
  });

  afterEach(async () => {
    StateAggregator.clearInstance();
    if (saved) restoreEnv(saved);
    saved = undefined;
    if (home) await removeTempDir(home);
    home = undefined;
  });

  return () => current(home, 'useTempHome: the temporary HOME');
};

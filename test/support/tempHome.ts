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

/**
 * Registers mocha hooks (call it inside a describe) that give each test a fresh, empty temporary
 * folder, removed after the test. Returns a function that gives the current test's folder.
 */
export const useTempDir = (): (() => string) => {
  let dir: string | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cc-test-'));
  });
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => current(dir, 'useTempDir: the temporary folder');
};

/**
 * The one temporary-HOME helper of the tests. Registers mocha hooks (call it inside a describe)
 * that give each test a fresh, empty HOME, with `env` applied and @salesforce/core's
 * StateAggregator cleared (it caches the files of the previous HOME); afterwards the whole
 * environment is put back as it was, whatever the test changed, and the HOME is removed.
 * Returns a function that gives the current test's HOME.
 */
export const useTempHome = (env: TestEnv = {}): (() => string) => {
  let home: string | undefined;
  let saved: NodeJS.ProcessEnv | undefined;

  beforeEach(async () => {
    saved = { ...process.env };
    home = await mkdtemp(join(tmpdir(), 'cc-home-'));
    applyEnv({ ...env, HOME: home });
    StateAggregator.clearInstance();
  });

  afterEach(async () => {
    StateAggregator.clearInstance();
    if (saved) restoreEnv(saved);
    saved = undefined;
    if (home) await rm(home, { recursive: true, force: true });
    home = undefined;
  });

  return () => current(home, 'useTempHome: the temporary HOME');
};

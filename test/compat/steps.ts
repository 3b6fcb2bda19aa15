/** The outcome of each scenario of one cell of the compatibility matrix, and how a failure is worded. */
import type { SfRun } from './cellSf.js';

/** The scenarios, in the order of the table's columns. */
export const SCENARIOS = [
  { id: 'install', label: 'install', title: 'sf plugins install file:<tarball> of the packed plugin' },
  { id: 'login', label: 'login', title: 'sf org login client-credentials --json: status 0' },
  { id: 'query', label: 'query', title: 'sf data query on the alias' },
  { id: 'renewKilled', label: 'renew-killed', title: 'renewal inside sf data query of a token killed at the org' },
  { id: 'renewDue', label: 'renew-due', title: 'renewal before sf data query when the stored expiry is due' },
  { id: 'orgList', label: 'org-list', title: 'sf org list shows the org Connected (its token killed)' },
  { id: 'scratchClassic', label: 'scratch-CA', title: 'sf org create scratch from a connected-app Dev Hub: PlatformCLI signup, no hub key or secret in the scratch auth' },
  { id: 'scratchEca', label: 'scratch-ECA', title: 'sf org create scratch from an External Client App Dev Hub: PlatformCLI signup, no hub key or secret in the scratch auth' },
  { id: 'deleteScratch', label: 'delete-scratch', title: 'sf org delete scratch (the hub token killed)' },
] as const;

export type ScenarioId = (typeof SCENARIOS)[number]['id'];
export type Outcome = { ok: boolean; reason?: string };
export type CellOutcomes = Record<ScenarioId, Outcome>;

/** A scenario's failure, worded for the table's notes. */
export class ScenarioFailure extends Error {}

export const fail = (reason: string): never => {
  throw new ScenarioFailure(reason);
};

export const check = (condition: boolean, reason: string): void => {
  if (!condition) fail(reason);
};

/** sf's human output on one line: oclif wraps warnings and errors and prefixes their continuation lines with "›". */
const oneLine = (text: string): string => text.replace(/\s*›\s*/g, ' ').replace(/\s+/g, ' ').trim();

/** What the user saw of a failed sf run: its JSON error (name, message, actions), else its error output. */
export const userMessage = (run: SfRun): string => {
  const json = run.json;
  if (json && typeof json.message === 'string') {
    const actions = Array.isArray(json.actions) && json.actions.length > 0 ? ` [actions: ${json.actions.map(String).join(' | ')}]` : '';
    return oneLine(`${typeof json.name === 'string' ? `${json.name}: ` : ''}${json.message}${actions}`);
  }
  const text = run.stderr.trim() || run.stdout.trim();
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^\s*(Error|TypeError|ReferenceError|SyntaxError)\b/.test(line));
  // npm's own error lines (sf plugins install) come before sf's error.
  const npm = lines.slice(0, Math.max(start, 0)).filter((line) => /^npm (ERR!|error)/.test(line));
  return oneLine([...npm, ...lines.slice(Math.max(start, 0))].join('\n')).slice(0, 2000) || '(no output)';
};

/** Fails with the command and what the user saw unless sf exited 0. */
export const expectSuccess = (run: SfRun): SfRun => {
  if (run.code !== 0) fail(`\`${run.command}\` exited ${run.code}: ${userMessage(run)}`);
  return run;
};

/**
 * Runs the scenarios of one track in order, recording each outcome. A failed prerequisite (a
 * login that is not a column of its own) or a failed blocking scenario marks the track's later
 * scenarios as not run, with the reason.
 */
export class Steps {
  /** Why the later scenarios of the track do not run; `detail`, the failure's words, is given once. */
  private blocked?: string;
  private detail?: string;

  public constructor(private readonly outcomes: Partial<CellOutcomes>, private readonly redact: (text: string) => string) {}

  public async step(id: ScenarioId, fn: () => Promise<void>, options: { blocking?: boolean } = {}): Promise<boolean> {
    if (this.blocked) {
      this.outcomes[id] = { ok: false, reason: `not run: ${this.detail ?? this.blocked}` };
      this.detail = undefined;
      return false;
    }
    try {
      await fn();
      this.outcomes[id] = { ok: true };
      return true;
    } catch (error) {
      const reason = this.redact(error instanceof ScenarioFailure ? error.message : `unexpected: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      this.outcomes[id] = { ok: false, reason };
      if (options.blocking) this.blocked = `${id} failed`;
      return false;
    }
  }

  /** A step every later one needs, without a column of its own. */
  public async prerequisite(label: string, fn: () => Promise<void>): Promise<void> {
    if (this.blocked) return;
    try {
      await fn();
    } catch (error) {
      this.blocked = `${label} failed`;
      this.detail = this.redact(`${label} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

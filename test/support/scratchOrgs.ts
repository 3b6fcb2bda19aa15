/** Helpers of the Dev Hub end-to-end tests (test/nuts/devhub*.nut.ts). */
import type { FakeOrg } from '../fake-org/server.js';
import type { SfResult, SfSandbox } from './sfSandbox.js';
import { sfLogTexts } from './sfState.js';

/** The sample project's scratch org definition (orgName and edition only: no settings, so core deploys nothing at creation). */
export const DEFINITION_FILE = 'config/project-scratch-def.json';

/** `sf org create scratch` with the sample definition, an alias and a wait, as the tests run it. */
export const createScratchArgs = (alias: string, extra: string[] = []): string[] => [
  'org', 'create', 'scratch', '--definition-file', DEFINITION_FILE, '--alias', alias, '--wait', '5', ...extra,
];

export type OrgListRow = { type: string; alias: string; username: string; orgId: string; status: string; expires: string };

const ORG_LIST_HEADINGS = ['Type', 'Alias', 'Username', 'Org Id', 'Status', 'Expires'] as const;

/** Rows of the boxed table sf prints on a terminal or a pipe: cells between `│`. */
const boxedRows = (lines: string[]): string[][] =>
  lines
    .filter((line) => line.startsWith('│'))
    .map((line) => line.split('│').slice(1, -1).map((cell) => cell.trim()))
    .filter((cells) => cells.length >= 7 && cells[1] !== 'Type');

/**
 * Rows of the plain table sf prints when `CI` is set (oclif's table drops the borders there):
 * a heading line, a line of dashes, then fixed-width columns whose starts the headings give.
 */
const plainRows = (lines: string[]): string[][] => {
  const dashes = lines.findIndex((line, i) => i > 0 && /^-{20,}$/.test(line) && ORG_LIST_HEADINGS.every((h) => lines[i - 1].includes(h)));
  if (dashes < 0) return [];
  const heading = lines[dashes - 1];
  // Each heading is left-aligned after one space of padding; the first column (default markers) has none.
  const starts = [0, ...ORG_LIST_HEADINGS.map((h) => heading.indexOf(h) - 1)];
  const rows: string[][] = [];
  for (const line of lines.slice(dashes + 1)) {
    if (line.trim() === '') break;
    rows.push(starts.map((start, i) => line.slice(start, starts[i + 1]).trim()));
  }
  return rows;
};

/**
 * The rows of `sf org list`'s table (its human output), boxed or plain. The tests read the table,
 * not `--json`: sf's JSON output of `org list` holds every decrypted auth field but refreshToken
 * and clientSecret.
 */
export const orgListRows = (stdout: string): OrgListRow[] => {
  const lines = stdout.split('\n');
  const boxed = boxedRows(lines);
  return (boxed.length > 0 ? boxed : plainRows(lines)).map(([, type, alias, username, orgId, status, expires]) => ({ type, alias, username, orgId, status, expires }));
};

/**
 * What to print when `sf org list` did not show a row for each of these aliases: its output, the
 * warnings plugin-org logged (it drops a scratch org silently when its Dev Hub's answer fails),
 * and the Dev Hub's last requests. Empty, and nothing read, when every row is there.
 */
export const orgListContext = async (sf: SfSandbox, list: SfResult, hub: FakeOrg, aliases: string[]): Promise<string> => {
  const rows = orgListRows(list.stdout);
  if (aliases.every((alias) => rows.some((row) => row.alias === alias))) return '';
  const warnings = (await sfLogTexts(sf.home))
    .flatMap((text) => text.split('\n'))
    .filter((line) => /"level":(40|50)/.test(line) && /org:list|OrgListUtil|Error querying|Can't find|Problem reading/i.test(line))
    .slice(-20);
  const requests = hub.requests.slice(-12).map((r) => `${r.method} ${r.path}?${r.query.slice(0, 160)} -> ${r.status}${r.authorized ? ' (auth)' : ''}`);
  return [list.stdout, list.stderr, 'sf log warnings:', ...warnings, 'hub requests:', ...requests].join('\n');
};

/** The username of the scratch org a successful `sf org create scratch --json` made. */
export const scratchUsername = (result: SfResult): string => String(result.json?.result?.username);

/** The token requests a fake org received with this grant type, as its request log has them (secrets redacted). */
export const tokenForms = (org: FakeOrg, grantType: string): URLSearchParams[] =>
  org.requests
    .filter((r) => r.route === 'token' && r.form !== undefined)
    .map((r) => new URLSearchParams(r.form))
    .filter((form) => form.get('grant_type') === grantType);

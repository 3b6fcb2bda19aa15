/** Helpers of the Dev Hub end-to-end tests (test/nuts/devhub*.nut.ts). */
import type { FakeOrg } from '../fake-org/server.js';
import type { SfResult, SfSandbox } from './sfSandbox.js';

/** The sample project's scratch org definition (orgName and edition only: no settings, so core deploys nothing at creation). */
export const DEFINITION_FILE = 'config/project-scratch-def.json';

/** `sf org create scratch` with the sample definition, an alias and a wait, as the tests run it. */
export const createScratchArgs = (alias: string, extra: string[] = []): string[] => [
  'org', 'create', 'scratch', '--definition-file', DEFINITION_FILE, '--alias', alias, '--wait', '5', ...extra,
];

export type OrgListRow = { type: string; alias: string; username: string; orgId: string; status: string; expires: string };

/**
 * The rows of `sf org list`'s table (its human output). The tests read the table, not `--json`:
 * sf's JSON output of `org list` holds every decrypted auth field but refreshToken and clientSecret.
 */
export const orgListRows = (stdout: string): OrgListRow[] =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('│'))
    .map((line) => line.split('│').slice(1, -1).map((cell) => cell.trim()))
    .filter((cells) => cells.length >= 7 && cells[1] !== 'Type')
    .map(([, type, alias, username, orgId, status, expires]) => ({ type, alias, username, orgId, status, expires }));

/**
 * What to print when `sf org list` did not show what a test expected: its output, the warnings
 * plugin-org logged (it drops a scratch org silently when its Dev Hub's answer fails), and the
 * Dev Hub's last requests.
 */
export const orgListContext = async (sf: SfSandbox, list: SfResult, hub: FakeOrg): Promise<string> => {
  const logs = (await sf.files()).filter((f) => f.path.startsWith('.sf/') && f.path.endsWith('.log'));
  const warnings = logs
    .flatMap((f) => f.text.split('\n'))
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

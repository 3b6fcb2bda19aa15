/** Helpers of the Dev Hub end-to-end tests (test/nuts/devhub*.nut.ts). */
import type { FakeOrg } from '../fake-org/server.js';
import type { SfResult } from './sfSandbox.js';

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

/** The username of the scratch org a successful `sf org create scratch --json` made. */
export const scratchUsername = (result: SfResult): string => String(result.json?.result?.username);

/** The token requests a fake org received with this grant type, as its request log has them (secrets redacted). */
export const tokenForms = (org: FakeOrg, grantType: string): URLSearchParams[] =>
  org.requests
    .filter((r) => r.route === 'token' && r.form !== undefined)
    .map((r) => new URLSearchParams(r.form))
    .filter((form) => form.get('grant_type') === grantType);

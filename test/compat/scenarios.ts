/**
 * The scenarios of the compatibility matrix, shared by scripts/compat.mjs (every sf × Node) and
 * test/nuts/compat.nut.ts (one core-8 sf on Node 20): the packed plugin installed into the cell's
 * sf, then four independent tracks side by side, each with its own fake org and HOME.
 */
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUILT_IN_APP_ID, DEFAULT_CLIENT, DEFAULT_USER, FakeOrg, SAMPLE_PROJECT, type FakeClient } from '../fake-org/server.js';
import { CellHome, type Cell } from './cellSf.js';
import { makeDue } from './due.js';
import { check, expectSuccess, fail, SCENARIOS, Steps, userMessage, type CellOutcomes, type ScenarioId } from './steps.js';

export { SCENARIOS, type CellOutcomes, type Outcome, type ScenarioId } from './steps.js';
export type { Cell } from './cellSf.js';

const HUB_USER = { userId: '005FK0000000001', username: 'hub-admin@example.com' };
const hubApp = (kind: FakeClient['kind']): FakeClient & { clientSecret: string } => ({
  clientId: kind === 'externalClientApp' ? 'hub-external-client-app' : 'hub-connected-app',
  clientSecret: kind === 'externalClientApp' ? 'hub-eca-secret-5be20c' : 'hub-ca-secret-83d1f7',
  runAsUsername: HUB_USER.username,
  kind,
});
const QUERY = ['data', 'query', '--query', 'SELECT Id, Name FROM Account', '--target-org', 'ci', '--json'];

type Context = { cell: Cell; work: string; plugin: string; outcomes: Partial<CellOutcomes>; orgs: FakeOrg[]; secrets: Set<string> };

const redactor =
  (context: Context) =>
  (text: string): string => {
    let out = text;
    const secrets = [...context.secrets, ...context.orgs.flatMap((org) => [...org.allIssuedTokens(), ...org.allIssuedAuthCodes()])];
    for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join('[SECRET]');
    return out;
  };

const startOrg = async (context: Context, options: Parameters<typeof FakeOrg.start>[0]): Promise<FakeOrg> => {
  const org = await FakeOrg.start(options);
  context.orgs.push(org);
  for (const client of options?.clients ?? [DEFAULT_CLIENT]) context.secrets.add(client.clientSecret);
  return org;
};

const login = async (sf: CellHome, org: FakeOrg, app: FakeClient, alias: string): Promise<void> => {
  const run = expectSuccess(
    await sf.run(['org', 'login', 'client-credentials', '--client-id', app.clientId, '--instance-url', org.url, '--alias', alias, '--json'], {
      env: { SALESFORCE_CLIENT_SECRET: app.clientSecret },
    })
  );
  check(run.json?.status === 0, `\`${run.command}\` printed no JSON with status 0: ${run.stdout.slice(0, 500)}`);
};

/** A plain org: login, a query, a token killed at the org, sf org list. */
const orgTrack = async (context: Context): Promise<void> => {
  const org = await startOrg(context, {});
  const sf = await CellHome.create(context.cell, context.work, { plugin: context.plugin });
  const steps = new Steps(context.outcomes, redactor(context));
  await steps.step('login', () => login(sf, org, DEFAULT_CLIENT, 'ci'), { blocking: true });
  await steps.step('query', async () => {
    const run = expectSuccess(await sf.run(QUERY));
    check((run.json?.result as { totalSize?: number } | undefined)?.totalSize === 2, `\`${run.command}\` gave no 2 Accounts: ${run.stdout.slice(0, 300)}`);
  });
  await steps.step('renewKilled', async () => {
    const before = org.tokenRequests();
    org.expireAllTokens();
    expectSuccess(await sf.run(QUERY));
    check(org.tokenRequests() > before, 'the query succeeded, but no new token was minted');
  });
  await steps.step('orgList', async () => {
    org.expireAllTokens();
    const run = expectSuccess(await sf.run(['org', 'list', '--json']));
    const entries = Object.values((run.json?.result ?? {}) as Record<string, unknown>)
      .filter(Array.isArray)
      .flat() as Array<{ username?: string; connectedStatus?: string }>;
    const entry = entries.find((candidate) => candidate.username === DEFAULT_USER.username);
    if (!entry) fail(`\`${run.command}\` does not list ${DEFAULT_USER.username}`);
    check(entry?.connectedStatus === 'Connected', `\`sf org list\` shows the org as "${String(entry?.connectedStatus)}"`);
  });
};

/** A login made due (due.ts: stored expiry passed, session dead): the next command renews first. */
const dueTrack = async (context: Context): Promise<void> => {
  const org = await startOrg(context, {});
  const sf = await CellHome.create(context.cell, context.work, { plugin: context.plugin });
  const steps = new Steps(context.outcomes, redactor(context));
  await steps.prerequisite('login', () => login(sf, org, DEFAULT_CLIENT, 'ci'));
  await steps.step('renewDue', async () => {
    await makeDue(sf.authFilePath(DEFAULT_USER.username), org);
    org.resetRequests();
    const before = org.tokenRequests();
    const run = await sf.run(QUERY);
    const refused = org.requests.filter((request) => request.status === 401).length;
    if (run.code !== 0) fail(`no renewal before the command (${refused} request(s) refused with 401): \`${run.command}\` exited ${run.code}: ${userMessage(run)}`);
    check(refused === 0, `no renewal before the command: ${refused} request(s) went out with the expired token and were refused with 401 (renewed inside the command instead)`);
    check(org.tokenRequests() > before, 'no new token was minted');
  });
};

/** The hub's stored secret (encrypted) as the hub's auth file holds it. */
const storedSecret = async (sf: CellHome): Promise<string | undefined> => {
  const fields = JSON.parse(await readFile(sf.authFilePath(HUB_USER.username), 'utf8')) as { clientSecret?: string };
  return fields.clientSecret;
};

/** A Dev Hub logged in with the plugin through this kind of app; a scratch org made from it, then (connected app) deleted. */
const hubTrack = async (context: Context, kind: 'connectedApp' | 'externalClientApp'): Promise<void> => {
  const app = hubApp(kind);
  const hub = await startOrg(context, { isDevHub: true, users: [HUB_USER], clients: [app] });
  const sf = await CellHome.create(context.cell, context.work, { plugin: context.plugin });
  const project = await mkdtemp(join(context.work, 'project-'));
  await cp(SAMPLE_PROJECT, project, { recursive: true });
  const steps = new Steps(context.outcomes, redactor(context));
  const scenario: ScenarioId = kind === 'connectedApp' ? 'scratchClassic' : 'scratchEca';
  let scratchUsername: string | undefined;
  await steps.prerequisite('the Dev Hub login', () => login(sf, hub, app, 'hub'));
  await steps.step(scenario, async () => {
    const run = expectSuccess(
      await sf.run(['org', 'create', 'scratch', '--definition-file', 'config/project-scratch-def.json', '--alias', 'so', '--wait', '5', '--target-dev-hub', 'hub', '--json'], {
        cwd: project,
      })
    );
    scratchUsername = String((run.json?.result as { username?: string } | undefined)?.username);
    const problems: string[] = [];
    const signup = hub.signups.at(-1);
    if (signup?.consumerKey !== BUILT_IN_APP_ID) problems.push(`signed up through ${String(signup?.consumerKey)}, not ${BUILT_IN_APP_ID}`);
    const raw = await readFile(sf.authFilePath(scratchUsername), 'utf8');
    const fields = JSON.parse(raw) as Record<string, unknown>;
    if (fields.clientId === app.clientId) problems.push(`the scratch auth file holds the hub's consumer key (clientId ${app.clientId})`);
    const hubSecret = await storedSecret(sf);
    if ('clientSecret' in fields || raw.includes(app.clientSecret) || (hubSecret && raw.includes(hubSecret))) {
      problems.push(`the scratch auth file holds a client secret${hubSecret && raw.includes(hubSecret) ? " (the hub's, encrypted)" : ''}`);
    }
    check(problems.length === 0, problems.join('; '));
  });
  if (kind !== 'connectedApp') return;
  await steps.step('deleteScratch', async () => {
    if (!scratchUsername) fail('not run: no scratch org was created');
    hub.expireAllTokens({ scratchOrgs: true });
    expectSuccess(await sf.run(['org', 'delete', 'scratch', '--target-org', 'so', '--no-prompt', '--json'], { cwd: project }));
    check(hub.signups.at(-1)?.status === 'Deleted', `the hub's ScratchOrgInfo is ${String(hub.signups.at(-1)?.status)}, not Deleted`);
  });
};

/**
 * Runs every scenario on one cell: installs the packed plugin `tarball` into the cell's sf (in a
 * HOME under `work`, which the caller removes), then the tracks side by side. Never rejects for a
 * scenario's failure: each outcome holds its reason.
 */
export const runCell = async (cell: Cell, tarball: string, work: string): Promise<CellOutcomes> => {
  const context: Context = { cell, work, plugin: '', outcomes: {}, orgs: [], secrets: new Set() };
  const installer = await CellHome.create(cell, work);
  const steps = new Steps(context.outcomes, redactor(context));
  const installed = await steps.step(
    'install',
    async () => {
      // Once more after a failure: a hiccup of the npm registry is no incompatibility (both answers are shown when both fail).
      const first = await installer.installPlugin(tarball);
      const again = first.code === 0 ? first : await installer.installPlugin(tarball);
      if (again.code !== 0) fail(`\`${again.command}\` exited ${again.code} twice: ${userMessage(first)} / then: ${userMessage(again)}`);
      check(await installer.hasPlugin(), `\`sf plugins install file:${tarball}\` exited 0, but sf does not list the plugin`);
    },
    { blocking: true }
  );
  context.plugin = installer.dataDir;
  try {
    if (installed) {
      const tracks = [orgTrack(context), dueTrack(context), hubTrack(context, 'connectedApp'), hubTrack(context, 'externalClientApp')];
      const errors = (await Promise.allSettled(tracks)).flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
      if (errors.length > 0) for (const { id } of SCENARIOS) context.outcomes[id] ??= { ok: false, reason: redactor(context)(`not run: ${errors.join('; ')}`) };
    }
  } finally {
    await Promise.all(context.orgs.map((org) => org.stop()));
  }
  for (const { id } of SCENARIOS) context.outcomes[id] ??= { ok: false, reason: installed ? 'not run' : 'not run: install failed' };
  return context.outcomes as CellOutcomes;
};

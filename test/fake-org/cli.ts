/**
 * Run a fake org out of process:
 * `node --import tsx test/fake-org/cli.ts [--https] [--port N] [--latency MS] [--session-timeout S] [--dev-hub] [--scratch-org-polls N] [--log]`
 * Prints one JSON line {url, orgId, clientId, clientSecret, username, caCertPath, pid} and runs until SIGTERM/SIGINT.
 * Control it over HTTP under /__fake/ (see routes/admin.ts).
 */
import { parseArgs } from 'node:util';
import { FakeOrg } from './server.js';
import { DEFAULT_CLIENT } from './state.js';

function num(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`--${name} must be a number >= 0\n`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: {
    https: { type: 'boolean', default: false },
    port: { type: 'string' },
    host: { type: 'string' },
    latency: { type: 'string' },
    'session-timeout': { type: 'string' },
    'api-version': { type: 'string' },
    'dev-hub': { type: 'boolean', default: false },
    'scratch-org-polls': { type: 'string' },
    log: { type: 'boolean', default: false },
  },
  strict: true,
});

const org = await FakeOrg.start({
  https: values.https,
  port: num('port', values.port),
  host: values.host,
  latencyMs: num('latency', values.latency),
  sessionTimeoutSeconds: num('session-timeout', values['session-timeout']),
  apiVersion: values['api-version'],
  isDevHub: values['dev-hub'],
  scratchOrgPolls: num('scratch-org-polls', values['scratch-org-polls']),
  log: values.log,
});

process.stdout.write(JSON.stringify({
  url: org.url,
  orgId: org.orgId,
  clientId: DEFAULT_CLIENT.clientId,
  clientSecret: DEFAULT_CLIENT.clientSecret,
  username: DEFAULT_CLIENT.runAsUsername,
  caCertPath: org.caCertPath ?? null,
  pid: process.pid,
}) + '\n');

let stopping = false;
const shutdown = (): void => {
  if (stopping) return;
  stopping = true;
  org.stop().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`[fake-org] stop failed: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

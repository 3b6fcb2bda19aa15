// The demo: starts the project's fake Salesforce org, logs in to it with the real sf CLI through
// this plugin (client credentials), shows `sf org display` and a SOQL query, then stops the fake.
// Everything happens in a throw-away HOME; nothing of yours is touched.
// Usage: npm run demo [-- --https]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { binPath, ensureNode22, node22, repoRoot } from './node22.mjs';

ensureNode22();

const https = process.argv.includes('--https');
const PATH = binPath();
const build = spawnSync('tsc', ['-p', '.'], { cwd: repoRoot, env: { ...process.env, PATH }, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const fake = spawn(node22, ['--import', 'tsx', join(repoRoot, 'test', 'fake-org', 'cli.ts'), ...(https ? ['--https'] : [])], {
  cwd: repoRoot,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const org = await new Promise((resolve, reject) => {
  createInterface({ input: fake.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  fake.once('exit', (code) => reject(new Error(`the fake org exited with ${code}`)));
});

const home = mkdtempSync(join(tmpdir(), 'sf-cc-demo-'));
mkdirSync(join(home, '.local', 'share', 'sf'), { recursive: true });
writeFileSync(
  join(home, '.local', 'share', 'sf', 'package.json'),
  JSON.stringify({ name: '@salesforce/cli', private: true, dependencies: {}, oclif: { schema: 1, plugins: [{ name: 'sf-plugin-client-credentials', root: repoRoot, type: 'link' }] } })
);
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(SF_|SFDX_|SALESFORCE_)/.test(name))),
  HOME: home,
  XDG_DATA_HOME: join(home, '.local', 'share'),
  XDG_CACHE_HOME: join(home, '.cache'),
  PATH,
  SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
  SF_DISABLE_TELEMETRY: 'true',
  SF_AUTOUPDATE_DISABLE: 'true',
  SF_DISABLE_AUTOUPDATE: 'true',
  SF_SKIP_NEW_VERSION_CHECK: 'true',
  SALESFORCE_CLIENT_SECRET: org.clientSecret,
  ...(org.caCertPath ? { NODE_EXTRA_CA_CERTS: org.caCertPath } : {}),
};
const sf = (args) => {
  console.log(`\n$ sf ${args.join(' ')}`);
  const result = spawnSync(node22, [join(repoRoot, 'node_modules', '@salesforce', 'cli', 'bin', 'run.js'), ...args], {
    cwd: home,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return result.status ?? 1;
};

// The plugin refuses IP addresses over https (Salesforce's certificates name hosts), so the
// https demo uses the fake's certificate name localhost.
const instanceUrl = org.url.replace('https://127.0.0.1', 'https://localhost');
let failed = 0;
try {
  console.log(`Fake org at ${org.url} (org ID ${org.orgId}, Run As user ${org.username}).`);
  console.log('The client secret is in SALESFORCE_CLIENT_SECRET.');
  failed ||= sf(['org', 'login', 'client-credentials', '--client-id', org.clientId, '--instance-url', instanceUrl, '--alias', 'demo']);
  failed ||= sf(['org', 'display', '--target-org', 'demo']);
  failed ||= sf(['data', 'query', '--query', 'SELECT Id, Name FROM Account', '--target-org', 'demo']);
} finally {
  fake.kill('SIGTERM');
  rmSync(home, { recursive: true, force: true });
}
console.log(failed ? '\nThe demo failed.' : '\nThe demo logged in with client credentials and used the org through sf.');
process.exit(failed ? 1 : 0);

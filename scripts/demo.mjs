// The demo: starts the project's fake Salesforce org, logs in to it with the real sf CLI through
// this plugin (client credentials), shows `sf org display` and a SOQL query, then stops the fake.
// Everything happens in a throw-away HOME; nothing of yours is touched.
// Usage: npm run demo [-- --https]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { binPath, ensureNode22, node22, repoRoot } from './node22.mjs';

ensureNode22();

const https = process.argv.includes('--https');
const PATH = binPath();
const build = spawnSync('tsc', ['-p', '.'], { cwd: repoRoot, env: { ...process.env, PATH }, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// Over https the fake names itself localhost, the host its certificate names (the plugin refuses IP addresses over https).
const fake = spawn(node22, ['--import', 'tsx', join(repoRoot, 'test', 'fake-org', 'cli.ts'), ...(https ? ['--https', '--host', 'localhost'] : [])], {
  cwd: repoRoot,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const org = await new Promise((resolve, reject) => {
  createInterface({ input: fake.stdout }).once('line', (line) => resolve(JSON.parse(line)));
  fake.once('exit', (code) => reject(new Error(`the fake org exited with ${code}`)));
});

const home = mkdtempSync(join(tmpdir(), 'sf-cc-demo-'));
// Removed however the demo ends; sf's own temporary files go there too.
process.once('exit', () => rmSync(home, { recursive: true, force: true }));
mkdirSync(join(home, '.tmp'));
mkdirSync(join(home, '.local', 'share', 'sf'), { recursive: true });
writeFileSync(
  join(home, '.local', 'share', 'sf', 'package.json'),
  JSON.stringify({ name: '@salesforce/cli', private: true, dependencies: {}, oclif: { schema: 1, plugins: [{ name: 'sf-plugin-client-credentials', root: repoRoot, type: 'link' }] } })
);
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(SF_|SFDX_|SALESFORCE_)/.test(name))),
  HOME: home,
  TMPDIR: join(home, '.tmp'),
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

const instanceUrl = org.url;

/** Ends every session at the fake org, as an admin can in Setup > Session Management. */
const killEverySession = () =>
  new Promise((resolve, reject) => {
    const url = new URL('/__fake/expire-all', org.url);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', ...(org.caCertPath ? { ca: readFileSync(org.caCertPath) } : {}) }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`expire-all answered ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
let failed = 0;
try {
  console.log(`Fake org at ${org.url} (org ID ${org.orgId}, Run As user ${org.username}).`);
  console.log('The client secret is in SALESFORCE_CLIENT_SECRET.');
  failed ||= sf(['org', 'login', 'client-credentials', '--client-id', org.clientId, '--instance-url', instanceUrl, '--alias', 'demo']);
  failed ||= sf(['org', 'display', '--target-org', 'demo']);
  failed ||= sf(['data', 'query', '--query', 'SELECT Id, Name FROM Account', '--target-org', 'demo']);
  if (!failed) {
    await killEverySession();
    console.log('\nThe org has just ended every session, long before the stored expiry (as an admin can in Setup >');
    console.log('Session Management). Without renewal, every sf command on the org would now fail with INVALID_SESSION_ID.');
    failed ||= sf(['data', 'query', '--query', 'SELECT Id, Name FROM Account', '--target-org', 'demo']);
    if (!failed) console.log('The org refused the old token; the plugin minted a new one inside that request, stored it, and sf repeated the request.');
  }
} finally {
  fake.kill('SIGTERM');
}
console.log(failed ? '\nThe demo failed.' : '\nThe demo logged in with client credentials, used the org through sf, and kept using it after the org ended the session.');
process.exit(failed ? 1 : 0);

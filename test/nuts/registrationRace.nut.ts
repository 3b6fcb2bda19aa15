import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { AuthInfo } from '@salesforce/core';
import { NODE, REPO_ROOT } from '../support/sfSandbox.js';
import { useTempHome } from '../support/tempHome.js';

const PROCESSES = 8;
const ROUNDS = 3;
const CHILD = join(REPO_ROOT, 'test', 'support', 'registerChild.ts');

type Child = { ready: Promise<void>; done: Promise<string> };

const startChild = (index: number, home: string, startFile: string): Child => {
  const child = spawn(NODE, ['--import', 'tsx', CHILD, String(index), startFile], {
    cwd: REPO_ROOT,
    env: { ...process.env, HOME: home, SF_USE_GENERIC_UNIX_KEYCHAIN: 'true', SF_DISABLE_TELEMETRY: 'true', SF_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes('ready\n')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<string>((resolve) =>
    child.on('close', () => {
      markReady();
      resolve(output);
    })
  );
  return { ready, done };
};

/**
 * The first logins on a machine, started at the same instant in separate processes (CI jobs
 * sharing a runner): the plugin's registration, without sf around it, so that the processes
 * really collide on a fresh HOME. @salesforce/core alone would let each process create its own
 * encryption key (all but one auth file unreadable) and create alias.json racily (aliases lost).
 */
describe('registration race between processes on a fresh HOME', function () {
  this.timeout(300_000);
  // The children get this HOME too; the test reads their auth files back in this process with the same key.
  const tempHome = useTempHome({ SF_USE_GENERIC_UNIX_KEYCHAIN: 'true' });

  for (let round = 1; round <= ROUNDS; round++) {
    // Round 1: an empty HOME. Later rounds: an alias file but no key yet, as any sf command
    // that reads aliases leaves it; then nothing else serializes the processes before the key.
    const withAliasFile = round > 1;
    it(`round ${round}: ${PROCESSES} processes register at once on a HOME ${withAliasFile ? 'with only alias.json' : 'without sf state'}; one key, every alias, every auth file decrypts`, async () => {
      const home = tempHome();
      if (withAliasFile) {
        await mkdir(join(home, '.sfdx'));
        await writeFile(join(home, '.sfdx', 'alias.json'), '{"orgs":{}}');
      }
      const startFile = join(home, 'start');
      const children = Array.from({ length: PROCESSES }, (_unused, index) => startChild(index, home, startFile));
      await Promise.all(children.map((child) => child.ready));
      await writeFile(startFile, 'go');
      const outputs = await Promise.all(children.map((child) => child.done));
      outputs.forEach((output, index) => expect(output, `process ${index}`).to.match(/^ready\ndone\n$/));

      const sfdx = await readdir(join(home, '.sfdx'));
      expect(sfdx.filter((name) => name.endsWith('.tmp') || name.endsWith('.lock'))).to.deep.equal([]);
      const aliases = (JSON.parse(await readFile(join(home, '.sfdx', 'alias.json'), 'utf8')) as { orgs: Record<string, string> }).orgs;
      expect(aliases).to.deep.equal(
        Object.fromEntries(Array.from({ length: PROCESSES }, (_unused, index) => [`race${index}`, `user${index}@race.example.com`]))
      );

      // Read every auth file back with @salesforce/core and the one key in ~/.sfdx/key.json.
      for (let index = 0; index < PROCESSES; index++) {
        // eslint-disable-next-line no-await-in-loop
        const fields = (await AuthInfo.create({ username: `user${index}@race.example.com` })).getFields(true);
        expect(fields.accessToken, `auth file of process ${index}`).to.equal(`00DXX0000000001!AQ4AQRaceToken${index}`);
        expect(fields.clientSecret).to.equal(`RaceSecret-${index}-0123456789`);
      }
    });
  }
});

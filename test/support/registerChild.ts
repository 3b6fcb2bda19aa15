/**
 * One of several processes that register a login at the same moment (see registrationRace.nut.ts):
 * loads the plugin's registration, says "ready", waits for the start file, then registers
 * user<index>@race.example.com under the alias race<index>, and prints "done" or the error.
 * Usage: node --import tsx registerChild.ts <index> <start file>
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { storeLoginRecord } from '../../src/login/authRecord.js';

const [index, startFile] = process.argv.slice(2);
const username = `user${index}@race.example.com`;

process.stdout.write('ready\n');
while (!existsSync(startFile)) {
  // eslint-disable-next-line no-await-in-loop
  await sleep(2);
}
try {
  await storeLoginRecord({
    credentials: { loginUrl: 'https://race.my.salesforce.com', clientId: `client-${index}`, clientSecret: `RaceSecret-${index}-0123456789` },
    token: {
      accessToken: `00DXX0000000001!AQ4AQRaceToken${index}`,
      instanceUrl: 'https://race.my.salesforce.com',
      orgId: '00DXX0000000001EAA',
      userId: `005XX00000${String(index).padStart(5, '0')}EAA`,
      issuedAt: Date.now(),
    },
    org: { username, orgId: '00DXX0000000001EAA', userId: `005XX00000${String(index).padStart(5, '0')}EAA`, isDevHub: false },
    expiresAt: Date.now() + 7_200_000,
    alias: `race${index}`,
  });
  process.stdout.write('done\n');
} catch (error) {
  process.stdout.write(`failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
}

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { createGenerator } from 'ts-json-schema-generator';
import { REPO_ROOT } from '../support/sfSandbox.js';

describe('schemas/', () => {
  it('org-login-client-credentials.json matches the result type of the command', async function () {
    this.timeout(60_000);
    const generated = createGenerator({
      path: join(REPO_ROOT, 'src', 'commands', 'org', 'login', 'client-credentials.ts'),
      tsconfig: join(REPO_ROOT, 'tsconfig.json'),
      type: 'ClientCredentialsLoginResult',
      skipTypeCheck: true,
    }).createSchema('ClientCredentialsLoginResult');
    const committed = JSON.parse(await readFile(join(REPO_ROOT, 'schemas', 'org-login-client-credentials.json'), 'utf8')) as unknown;
    expect(committed, 'run npm run schema and commit the result').to.deep.equal(JSON.parse(JSON.stringify(generated)));
  });
});

import { expect } from 'chai';
// ESLint 8 reads flat configs (eslint.config.js) through FlatESLint.
import { FlatESLint } from 'eslint/use-at-your-own-risk';
import { REPO_ROOT } from '../support/sfSandbox.js';

/**
 * The import boundaries live in eslint.config.js: the hook-safe src/sf/ may import Node's built-ins
 * and its own modules only, src/extension/ those and src/sf/; the core-free folders no core,
 * jsforce or oclif; the hook, statically, src/extension/ and src/sf/ only. Each rule must catch
 * what it forbids.
 */
describe('lint boundaries', function () {
  this.timeout(120_000);
  let eslint: FlatESLint;
  before(() => {
    eslint = new FlatESLint({ cwd: REPO_ROOT });
  });

  /** The messages of the import rules for this code, linted as if it were the file at path. */
  const violations = async (path: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${path}` });
    return result.messages
      .filter((message) => /restricted-(imports|syntax)/.test(message.ruleId ?? ''))
      .map((message) => message.message);
  };

  it('src/extension/ may not import @salesforce/core, jsforce, sf-plugins-core, npm packages or the rest of src, not even dynamically', async () => {
    const code = [
      "import { readFile } from 'node:fs/promises';",
      "import { authFilePath } from '../sf/sfFiles.js';",
      "import { AuthInfo } from '@salesforce/core';",
      "import { Connection } from '@jsforce/jsforce-node';",
      "import { SfCommand } from '@salesforce/sf-plugins-core';",
      "import lockfile from 'proper-lockfile';",
      "import { loadMessages } from '../shared/messages.js';",
      'export const all = [readFile, authFilePath, AuthInfo, Connection, SfCommand, lockfile, loadMessages];',
      "export const later = (): Promise<unknown> => import('../renewal/engine.js');",
      '',
    ].join('\n');
    const found = await violations('src/extension/renewalCheck.ts', code);
    expect(found.filter((message) => message.includes("'@salesforce/core'"))).to.have.length(1);
    for (const name of ['@jsforce/jsforce-node', '@salesforce/sf-plugins-core', 'proper-lockfile', '../shared/messages.js']) {
      expect(found.some((message) => message.includes(`'${name}'`)), name).to.equal(true);
    }
    expect(found.some((message) => message.includes('no dynamic import'))).to.equal(true);
    expect(found.some((message) => message.includes("'node:fs/promises'") || message.includes("'../sf/sfFiles.js'"))).to.equal(false);
  });

  it('src/sf/ may import Node built-ins and its own folder only', async () => {
    const code = [
      "import { readFile } from 'node:fs/promises';",
      "import { fileAgeMs } from './sfFiles.js';",
      "import { hostCore } from '../extension/hostCore.js';",
      'export const all = [readFile, fileAgeMs, hostCore];',
      '',
    ].join('\n');
    const found = await violations('src/sf/authFields.ts', code);
    expect(found).to.have.length(1);
    expect(found[0]).to.include('../extension/hostCore.js');
  });

  it('the core-free folders may not import @salesforce/core or the login modules', async () => {
    const code = "import { AuthInfo } from '@salesforce/core';\nimport { resolveLoginInput } from '../login/input.js';\nexport const x = [AuthInfo, resolveLoginInput];\n";
    for (const path of ['src/renewal/engine.ts', 'src/oauth/tokenExchange.ts', 'src/shared/http.ts', 'src/store/authFile.ts']) {
      // eslint-disable-next-line no-await-in-loop
      expect(await violations(path, code), path).to.have.length(2);
    }
  });

  it('the hook imports statically only src/extension/, src/sf/ and types', async () => {
    const code = [
      "import type { Hook } from '@oclif/core';",
      "import { readStoredState } from '../extension/renewalCheck.js';",
      "import { renewBeforeUse } from '../renewal/engine.js';",
      "import { Messages } from '@salesforce/core';",
      'export const x = [readStoredState, renewBeforeUse, Messages] as unknown as Hook<"prerun">;',
      '',
    ].join('\n');
    const found = await violations('src/hooks/prerun.ts', code);
    expect(found).to.have.length(2);
    expect(found.join('\n')).to.include('../renewal/engine.js').and.include('@salesforce/core');
  });

  it('src/ imports @salesforce/core statically only, where the build checks every name', async () => {
    const code = "export const project = (): Promise<unknown> => import('@salesforce/core/project');\nexport const mine = (): Promise<unknown> => import('./projectCore.js');\n";
    const found = await violations('src/login/projectLoginUrl.ts', code);
    expect(found).to.have.length(1);
    expect(found[0]).to.include('Import @salesforce/core statically');
  });
});

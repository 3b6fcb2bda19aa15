import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { patchStoredAuth, readStoredAuth } from '../../src/store/authFile.js';
import { useTempHome } from '../support/tempHome.js';

const USERNAME = 'runas@acme.com';

describe('store: auth files', () => {
  const home = useTempHome();
  const path = (): string => join(home(), '.sfdx', `${USERNAME}.json`);
  const store = async (fields: Record<string, unknown>): Promise<void> => {
    await mkdir(join(home(), '.sfdx'), { recursive: true });
    await writeFile(path(), JSON.stringify(fields, null, 2));
  };

  it('reads the stored fields; undefined without a file or with one that is not a JSON object', async () => {
    expect(await readStoredAuth(USERNAME)).to.equal(undefined);
    await store({ username: USERNAME, accessToken: 'enc:a' });
    expect(await readStoredAuth(USERNAME)).to.deep.equal({ username: USERNAME, accessToken: 'enc:a' });
    await writeFile(path(), '["not", "an object"]');
    expect(await readStoredAuth(USERNAME)).to.equal(undefined);
  });

  it('patches: sets fields, removes those set to undefined, keeps the rest, with no temporary file left', async () => {
    await store({ username: USERNAME, accessToken: 'enc:a', clientCredentialsExpiry: 1, instanceUrl: 'https://acme.my.salesforce.com' });
    const written = await patchStoredAuth(USERNAME, { accessToken: 'enc:b', clientCredentialsExpiry: undefined }, () => true);
    const expected = { username: USERNAME, accessToken: 'enc:b', instanceUrl: 'https://acme.my.salesforce.com' };
    expect(written).to.deep.equal(expected);
    expect(JSON.parse(await readFile(path(), 'utf8'))).to.deep.equal(expected);
    expect(await readdir(join(home(), '.sfdx'))).to.deep.equal([`${USERNAME}.json`]);
  });

  it('writes nothing when the file no longer passes the check, is gone, or is not JSON', async () => {
    await store({ username: USERNAME, accessToken: 'enc:newer' });
    const seen: unknown[] = [];
    expect(await patchStoredAuth(USERNAME, { accessToken: 'enc:older' }, (current) => (seen.push(current), current.accessToken === 'enc:a'))).to.equal(undefined);
    expect(seen, 'the check sees the file as it is under the lock').to.deep.equal([{ username: USERNAME, accessToken: 'enc:newer' }]);
    expect(JSON.parse(await readFile(path(), 'utf8'))).to.deep.equal({ username: USERNAME, accessToken: 'enc:newer' });

    await writeFile(path(), '{ half a file');
    expect(await patchStoredAuth(USERNAME, { accessToken: 'enc:b' }, () => true)).to.equal(undefined);
    expect(await readFile(path(), 'utf8')).to.equal('{ half a file');

    expect(await patchStoredAuth('nobody@acme.com', { accessToken: 'enc:b' }, () => true)).to.equal(undefined);
    expect(await readdir(join(home(), '.sfdx'))).to.deep.equal([`${USERNAME}.json`]);
  });
});

/** A throwaway CA and a server certificate for 127.0.0.1 and localhost, made with the openssl CLI. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type Certs = { dir: string; caCertPath: string; key: Buffer; cert: Buffer; dispose: () => Promise<void> };

/** A server certificate that fails TLS checks on purpose: expired, or naming only another host. */
export type CertFlaw = 'expired' | 'wrongHost';

export async function makeCerts(extraHost?: string, flaw?: CertFlaw): Promise<Certs> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-org-tls-'));
  try {
    const p = (f: string): string => join(dir, f);
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    await run('openssl', ['req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '7',
      '-subj', '/O=Fake Salesforce Org/CN=Fake Org Test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    await run('openssl', ['req', ...ec, '-keyout', p('server.key'), '-out', p('server.csr'), '-subj', '/O=Fake Salesforce Org/CN=localhost']);
    const sans = flaw === 'wrongHost' ? ['DNS:some-other-org.my.salesforce.com'] : ['IP:127.0.0.1', 'IP:::1', 'DNS:localhost'];
    if (flaw !== 'wrongHost' && extraHost && !['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'].includes(extraHost)) {
      sans.push(isIP(extraHost) ? `IP:${extraHost}` : `DNS:${extraHost}`);
    }
    await writeFile(p('server.ext'), [
      `subjectAltName=${sans.join(',')}`,
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
    ].join('\n') + '\n');
    await run('openssl', ['x509', '-req', '-in', p('server.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'),
      // -days -1: valid from now until yesterday, so already expired (openssl 3.0 has no -not_after).
      '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', flaw === 'expired' ? '-1' : '7', '-sha256', '-extfile', p('server.ext'), '-out', p('server.pem')]);
    await rm(p('ca.key'));
    const [key, cert] = await Promise.all([readFile(p('server.key')), readFile(p('server.pem'))]);
    return { dir, caCertPath: p('ca.pem'), key, cert, dispose: () => rm(dir, { recursive: true, force: true }) };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`could not make test certificates with openssl: ${(e as Error).message}`);
  }
}

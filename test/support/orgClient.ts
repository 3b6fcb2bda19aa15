/**
 * A tiny client for the fake org (test/fake-org/): raw HTTP calls, a token minted with the client
 * credentials grant, and the payloads sf sends (a deploy zip of one Apex class, a SOAP envelope).
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { crc32, deflateRawSync } from 'node:zlib';
import type { FakeOrg } from '../fake-org/server.js';
import { DEFAULT_CLIENT } from '../fake-org/state.js';

export type Res = { status: number; headers: IncomingHttpHeaders; text: string; json: <T = Record<string, unknown>>() => T; ms: number };
export type CallOpts = { form?: Record<string, string>; headers?: Record<string, string>; body?: string | Buffer; token?: string; ca?: string | false };

export function call(org: Pick<FakeOrg, 'url' | 'caCertPath'>, method: string, path: string, opts: CallOpts = {}): Promise<Res> {
  const url = new URL(org.url);
  const headers: Record<string, string> = { ...opts.headers };
  let body = opts.body;
  if (opts.form) {
    body = new URLSearchParams(opts.form).toString();
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  const caPath = opts.ca === undefined ? org.caCertPath : opts.ca || undefined;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const options = { host: url.hostname, port: url.port, method, path, headers, agent: false as const };
    const onRes = (res: import('node:http').IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T, ms: Date.now() - started });
      });
      res.on('error', reject);
    };
    const req = url.protocol === 'https:'
      ? httpsRequest({ ...options, ca: caPath ? readFileSync(caPath) : undefined }, onRes)
      : httpRequest(options, onRes);
    req.on('error', reject);
    req.end(body);
  });
}

export type TokenBody = {
  access_token: string; signature?: string; token_format?: string; instance_url: string; id: string;
  token_type: string; issued_at: string; scope: string; refresh_token?: string; expires_in?: number;
};

export async function mint(org: Pick<FakeOrg, 'url' | 'caCertPath'>, clientId = DEFAULT_CLIENT.clientId, clientSecret = DEFAULT_CLIENT.clientSecret): Promise<TokenBody> {
  const res = await call(org, 'POST', '/services/oauth2/token', { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret } });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${res.text}`);
  return res.json<TokenBody>();
}

/** A zip (deflated entries) like the one sf sends to deploy. */
function makeZip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const packed = deflateRawSync(data);
    const nameBuf = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04_03_4b_50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02_01_4b_50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, packed);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06_05_4b_50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A deploy zip of one Apex class, Hello (what sf sends to deploy a project like fixtures/sample-project). */
export const HELLO_ZIP = makeZip({
  'package.xml': '<?xml version="1.0"?><Package xmlns="http://soap.sforce.com/2006/04/metadata"><types><members>Hello</members><name>ApexClass</name></types><version>65.0</version></Package>',
  'classes/Hello.cls': 'public class Hello {}',
  'classes/Hello.cls-meta.xml': '<ApexClass><apiVersion>65.0</apiVersion><status>Active</status></ApexClass>',
});

/** A SOAP envelope as jsforce builds it (soapenv prefix, default namespace on Header and Body). */
export function soapEnvelope(sessionId: string, inner: string): string {
  const ns = 'http://soap.sforce.com/2006/04/metadata';
  return '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"'
    + ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    + `<soapenv:Header xmlns="${ns}"><SessionHeader><sessionId>${sessionId}</sessionId></SessionHeader></soapenv:Header>`
    + `<soapenv:Body xmlns="${ns}">${inner}</soapenv:Body></soapenv:Envelope>`;
}

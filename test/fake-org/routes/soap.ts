/** Metadata API over SOAP (POST /services/Soap/m/NN.0): deploy, checkDeployStatus, cancelDeploy. */
import { escapeXml, unescapeXml } from '../wire/xml.js';
import { deployStatus, startDeploy } from './deploy.js';
import { xml } from './reply.js';
import type { Ctx, Reply } from './reply.js';

const SOAPENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const MD_NS = 'http://soap.sforce.com/2006/04/metadata';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** Text of the first element with this local name, whatever its namespace prefix. */
export function soapValue(body: string, localName: string): string | undefined {
  const re = new RegExp(`<(?:[\\w.-]+:)?${localName}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${localName}\\s*>`);
  const m = re.exec(body);
  return m ? unescapeXml(m[1]) : undefined;
}

/** Local name of the operation: the first element inside Body. */
export function soapOperation(body: string): string | undefined {
  const m = /<(?:[\w.-]+:)?Body(?:\s[^>]*)?>\s*<(?:[\w.-]+:)?([\w]+)/.exec(body);
  return m?.[1];
}

function toXml(name: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (value === null) return `<${name} xsi:nil="true"/>`;
  if (value === undefined) return '';
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value as Record<string, unknown>).map(([k, v]) => toXml(k, v)).join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** Envelope and Body carry the soapenv prefix (jsforce looks them up by `:Envelope`/`:Body`); Body has no attributes. */
export function soapResponse(operation: string, result: unknown): Reply {
  return xml(200, `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAPENV}" xmlns="${MD_NS}" xmlns:xsi="${XSI}">`
    + `<soapenv:Body><${operation}Response>${toXml('result', result)}</${operation}Response></soapenv:Body></soapenv:Envelope>`);
}

export function soapFault(code: string, message: string, status = 500): Reply {
  return xml(status, `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${SOAPENV}" xmlns:sf="${MD_NS}"><soapenv:Body><soapenv:Fault>`
    + `<faultcode>sf:${code}</faultcode><faultstring>${escapeXml(`${code}: ${message}`)}</faultstring>`
    + `<detail><sf:UnexpectedErrorFault xmlns:xsi="${XSI}" xsi:type="sf:UnexpectedErrorFault"><sf:exceptionCode>${code}</sf:exceptionCode>`
    + `<sf:exceptionMessage>${escapeXml(message)}</sf:exceptionMessage></sf:UnexpectedErrorFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`);
}

const invalidSessionFault = (): Reply => soapFault('INVALID_SESSION_ID', 'Invalid Session ID found in SessionHeader: Illegal Session');

export function soapRoute(ctx: Ctx): Reply {
  if (ctx.method !== 'POST') return soapFault('UNKNOWN_EXCEPTION', 'SOAP requests must use POST');
  const m = /^\/services\/Soap\/m\/(\d+)\.0(\/[\w]+)?$/.exec(ctx.path);
  const body = ctx.body.toString('utf8');
  const operation = soapOperation(body);
  if (!operation || !body.includes('Envelope')) return soapFault('INVALID_XML', 'could not parse the SOAP envelope');
  const sessionId = soapValue(body, 'sessionId');
  // JWT-format tokens are refused by SOAP below API 68.0 (Salesforce answers INVALID_SESSION_ID).
  const rec = ctx.state.lookup(sessionId, ctx.now);
  if (!rec || (rec.format === 'jwt' && Number(m?.[1] ?? 0) < 68)) return invalidSessionFault();
  ctx.state.use(sessionId, ctx.now);
  ctx.markAuthorized();
  if (!m) return soapFault('UNKNOWN_EXCEPTION', 'the fake org serves only the Metadata API (/services/Soap/m/NN.0)');
  if (Number(m[1]) > Number(ctx.state.apiVersion)) return soapFault('UNSUPPORTED_API_VERSION', 'Invalid Api version specified on URL');

  switch (operation) {
    case 'deploy': {
      const zip = Buffer.from((soapValue(body, 'ZipFile') ?? '').replace(/\s+/g, ''), 'base64');
      const opts = soapValue(body, 'DeployOptions') ?? '';
      const flag = (name: string): boolean | undefined => {
        const v = soapValue(opts, name);
        return v === undefined ? undefined : v === 'true';
      };
      const r = startDeploy(ctx.state, zip, rec.userId, { checkOnly: flag('checkOnly'), rollbackOnError: flag('rollbackOnError'), ignoreWarnings: flag('ignoreWarnings') });
      return soapResponse('deploy', { done: false, id: r.id, state: 'Queued' });
    }
    case 'checkDeployStatus': {
      const r = deployStatus(ctx.state, soapValue(body, 'asyncProcessId') ?? '', soapValue(body, 'includeDetails') === 'true');
      if (!r) return soapFault('INVALID_ID_FIELD', 'invalid id');
      return soapResponse('checkDeployStatus', r);
    }
    case 'cancelDeploy': {
      const id = soapValue(body, 'id') ?? '';
      if (!ctx.state.deploys.has(id)) return soapFault('INVALID_ID_FIELD', 'invalid id');
      return soapResponse('cancelDeploy', { done: true, id });
    }
    default:
      return soapFault('INVALID_OPERATION', `the fake org does not implement ${operation}`);
  }
}

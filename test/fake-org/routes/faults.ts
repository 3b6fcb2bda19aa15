/** Faults that replace the org's answer, or reshape it (see Fault in types.ts). */
import type { Fault } from '../types.js';
import { oauthError } from './reply.js';
import type { Reply } from './reply.js';

const MAINTENANCE_PAGE = '<!DOCTYPE html><html><head><title>Down for Maintenance</title></head><body>'
  + '<h1>Salesforce is down for maintenance</h1><p>We are performing scheduled maintenance. Please try again later.</p></body></html>';

/** The reply of a fault that replaces the org's answer entirely; undefined for the other faults. */
export function faultReply(fault: Fault): Reply | undefined {
  switch (fault.kind) {
    case 'status':
      return { status: fault.status, body: fault.body ?? '', contentType: fault.contentType ?? 'text/plain' };
    case 'oauthError':
      return oauthError(fault.error, fault.description, fault.status ?? 400);
    case 'html':
      return { status: fault.status ?? 503, body: MAINTENANCE_PAGE, contentType: 'text/html' };
    case 'invalidJson':
      return { status: 200, body: '{"token_type":"Bearer","issued_at":"17', contentType: 'application/json;charset=UTF-8' };
    default:
      return undefined;
  }
}

/** The org's JSON object answer with one field removed (omitField) or set (setField); any other answer as it is. */
export function reshapeReply(reply: Reply, fault: Fault | undefined): Reply {
  if (fault?.kind !== 'omitField' && fault?.kind !== 'setField') return reply;
  if (!reply.contentType?.startsWith('application/json') || reply.body === undefined) return reply;
  let value: unknown;
  try {
    value = JSON.parse(reply.body.toString());
  } catch {
    return reply;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return reply;
  const fields = { ...(value as Record<string, unknown>) };
  if (fault.kind === 'omitField') delete fields[fault.field];
  else fields[fault.field] = fault.value;
  return { ...reply, body: JSON.stringify(fields) };
}

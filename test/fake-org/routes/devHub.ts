/**
 * The Dev Hub's REST records: ScratchOrgInfo insert (a signup) and retrieve (its polling), and
 * ActiveScratchOrg deletion (a scratch org deleted). Queries of both objects go through soql.ts.
 */
import type { TokenRecord } from '../state.js';
import { json, jsonObject, notFound, restError } from './reply.js';
import type { Ctx, Reply } from './reply.js';
import { recordAnswer } from './soql.js';

const NO_CONTENT: Reply = { status: 204, body: '' };

/** `rest` is the path after /services/data/vNN.0/ ; undefined when the request is not one of these. */
export function devHubRoute(ctx: Ctx, rest: string[], version: string, rec: TokenRecord): Reply | undefined {
  const hub = ctx.state.devHub;
  if (!hub || rest[0] !== 'sobjects') return undefined;
  const type = rest[1]?.toLowerCase();
  if (type === 'scratchorginfo' && rest.length === 2 && ctx.method === 'POST') {
    const body = jsonObject(ctx);
    if (!body) return restError(400, 'JSON_PARSER_ERROR', 'The request body is not a JSON object');
    const result = hub.insert(body, rec.userId, ctx.now);
    if ('errorCode' in result) return json(result.status, [{ message: result.message, errorCode: result.errorCode, fields: result.fields ?? [] }]);
    return json(201, { id: result.id, success: true, errors: [] }, { Location: `/services/data/v${version}/sobjects/ScratchOrgInfo/${result.id}` });
  }
  if (type === 'scratchorginfo' && rest.length === 3 && ctx.method === 'GET') {
    const row = hub.retrieve(rest[2], ctx.now);
    if (!row) return notFound();
    return json(200, recordAnswer(`/services/data/v${version}`, 'ScratchOrgInfo', row.Id, row));
  }
  if (type === 'activescratchorg' && rest.length === 3 && ctx.method === 'DELETE') {
    switch (hub.deleteActive(rest[2], ctx.now)) {
      case 'deleted':
        return NO_CONTENT;
      case 'alreadyDeleted':
        return restError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
      default:
        return notFound();
    }
  }
  return undefined;
}

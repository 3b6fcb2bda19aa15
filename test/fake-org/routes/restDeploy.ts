/** Metadata API over REST: POST …/metadata/deployRequest (multipart zip) and GET …/deployRequest/{id}. */
import { deployStatus, startDeploy } from './deploy.js';
import type { DeployResult } from './deploy.js';
import { json, notFound, restError } from './reply.js';
import type { Ctx, Reply } from './reply.js';

type Part = { name: string; data: Buffer };

function multipart(ctx: Ctx): Part[] {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(ctx.req.headers['content-type'] ?? '');
  if (!m) return [];
  const boundary = Buffer.from(`--${m[1] ?? m[2]}`);
  const parts: Part[] = [];
  let pos = ctx.body.indexOf(boundary);
  while (pos >= 0) {
    const next = ctx.body.indexOf(boundary, pos + boundary.length);
    if (next < 0) break;
    const chunk = ctx.body.subarray(pos + boundary.length, next);
    const headerEnd = chunk.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = chunk.subarray(0, headerEnd).toString('utf8');
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
      parts.push({ name, data: chunk.subarray(headerEnd + 4, chunk.length - 2) });
    }
    pos = next;
  }
  return parts;
}

const view = (ctx: Ctx, version: string, r: DeployResult, deployOptions: unknown): Record<string, unknown> => ({
  id: r.id,
  validatedDeployRequestId: null,
  url: `${ctx.baseUrl}/services/data/v${version}/metadata/deployRequest/${r.id}`,
  deployOptions,
  deployResult: r,
});

export function deployRequestRoute(ctx: Ctx, rest: string[], version: string, userId: string): Reply {
  if (ctx.method === 'POST' && rest.length === 0) {
    const parts = multipart(ctx);
    const file = parts.find((p) => p.name === 'file');
    if (!file) return restError(400, 'INVALID_MULTIPART_REQUEST', 'No file part in the request');
    let deployOptions: Record<string, unknown> = {};
    try {
      const entity = parts.find((p) => p.name === 'entity_content');
      deployOptions = entity ? ((JSON.parse(entity.data.toString('utf8')) as { deployOptions?: Record<string, unknown> }).deployOptions ?? {}) : {};
    } catch {
      return restError(400, 'JSON_PARSER_ERROR', 'entity_content is not valid JSON');
    }
    const r = startDeploy(ctx.state, file.data, userId, deployOptions as { checkOnly?: boolean });
    const pending = { ...r, done: false, status: 'Pending', details: undefined };
    return json(201, view(ctx, version, pending as unknown as DeployResult, deployOptions));
  }
  if (ctx.method === 'GET' && rest.length === 1) {
    const r = deployStatus(ctx.state, rest[0], ctx.url.searchParams.get('includeDetails') === 'true');
    if (!r) return notFound();
    return json(200, view(ctx, version, r, { checkOnly: r.checkOnly, rollbackOnError: r.rollbackOnError }));
  }
  return notFound();
}

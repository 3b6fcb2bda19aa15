/** REST data API: versions, resource map, query (with the `columns=true` variant), sobject records, limits. */
import { authenticate, identityUrl, invalidSession, json, notFound, restError } from './reply.js';
import type { Ctx, Reply } from './reply.js';
import { devHubRoute } from './devHub.js';
import { deployRequestRoute } from './restDeploy.js';
import { getRecord, runQuery } from './soql.js';

const OLDEST_VERSION = 31;
const SEASONS = ['Winter', 'Spring', 'Summer'];

/** `Winter '26` for 65.0: three releases a year, Winter first, v65 = Winter '26. */
export function releaseLabel(version: number): string {
  const k = version - 65;
  return `${SEASONS[((k % 3) + 3) % 3]} '${26 + Math.floor(k / 3)}`;
}

function versions(ctx: Ctx): Reply {
  const latest = Number(ctx.state.apiVersion);
  const list = [];
  for (let v = OLDEST_VERSION; v <= latest; v++) list.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
  return json(200, list);
}

function resources(ctx: Ctx, version: string, userId: string): Reply {
  const p = `/services/data/v${version}`;
  const names = ['tooling', 'metadata', 'eclair', 'folders', 'prechatForms', 'contact-tracing', 'jsonxform', 'chatter', 'tabs', 'appMenu',
    'quickActions', 'queryAll', 'commerce', 'wave', 'iot', 'analytics', 'search', 'identity', 'composite', 'parameterizedSearch',
    'fingerprint', 'theme', 'nouns', 'domino', 'event', 'serviceTemplates', 'recent', 'connect', 'licensing', 'limits', 'process',
    'dedupe', 'async-queries', 'query', 'match', 'emailConnect', 'compactLayouts', 'knowledgeManagement', 'sobjects', 'actions', 'support'];
  const map: Record<string, string> = {};
  for (const n of names) map[n] = n === 'identity' ? identityUrl(ctx, userId) : `${p}/${n}`;
  return json(200, map);
}

function limits(): Reply {
  const pair = (max: number, remaining: number): { Max: number; Remaining: number } => ({ Max: max, Remaining: remaining });
  return json(200, {
    ActiveScratchOrgs: pair(3, 3),
    DailyApiRequests: pair(15_000, 14_998),
    DailyAsyncApexExecutions: pair(250_000, 250_000),
    DailyBulkApiBatches: pair(15_000, 15_000),
    DailyBulkV2QueryJobs: pair(10_000, 10_000),
    DailyScratchOrgs: pair(6, 6),
    DailyStreamingApiEvents: pair(10_000, 10_000),
    DataStorageMB: pair(5, 5),
    FileStorageMB: pair(20, 20),
    HourlyODataCallout: pair(1000, 1000),
    HourlyTimeBasedWorkflow: pair(50, 50),
    MassEmail: pair(10, 10),
    SingleEmail: pair(15, 15),
  });
}

export function dataRoute(ctx: Ctx): Reply {
  const parts = ctx.path.split('/').filter(Boolean); // services, data, vNN.0, ...
  if (parts.length === 2) return ctx.method === 'GET' ? versions(ctx) : notFound();
  const vm = /^v(\d+)\.0$/.exec(parts[2]);
  if (!vm || Number(vm[1]) < OLDEST_VERSION || Number(vm[1]) > Number(ctx.state.apiVersion)) return notFound();
  const version = `${vm[1]}.0`;
  const rec = authenticate(ctx);
  if (!rec) return invalidSession();
  const rest = parts.slice(3);
  const resource = rest[0] ?? '';
  if (rest.length === 0 && ctx.method === 'GET') return resources(ctx, version, rec.userId);
  // Queries: …/query and …/queryAll of the data API, …/tooling/query of the Tooling API.
  const api = resource === 'tooling' ? 'tooling' : 'data';
  const queryPath = (api === 'tooling' ? rest.slice(1) : rest).join('/');
  if ((queryPath === 'query' || (api === 'data' && queryPath === 'queryAll')) && ctx.method === 'GET') {
    const q = ctx.url.searchParams.get('q');
    if (!q) return restError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    return runQuery(ctx.state, q, version, ctx.url.searchParams.get('columns') === 'true', api);
  }
  const hub = devHubRoute(ctx, rest, version, rec);
  if (hub) return hub;
  if (resource === 'sobjects' && rest.length === 3 && ctx.method === 'GET') return getRecord(ctx.state, rest[1], rest[2], version);
  if (resource === 'limits' && rest.length === 1 && ctx.method === 'GET') return limits();
  if (resource === 'metadata' && rest[1] === 'deployRequest') return deployRequestRoute(ctx, rest.slice(2), version, rec.userId);
  return notFound();
}

/** Hands a request to the route that serves its path. */
import type { RouteName } from '../types.js';
import { adminRoute } from './admin.js';
import type { AdminTarget } from './admin.js';
import { dataRoute } from './data.js';
import { identityRoute, introspectRoute, revokeRoute, tokenRoute, userinfoRoute } from './oauth.js';
import { notFound } from './reply.js';
import type { Ctx, Reply } from './reply.js';
import { soapRoute } from './soap.js';

export function routeOf(path: string): RouteName {
  if (path === '/__fake' || path.startsWith('/__fake/')) return 'admin';
  const oauth = /^\/services\/oauth2\/(token|introspect|revoke|userinfo)\/?$/.exec(path);
  if (oauth) return oauth[1] as RouteName;
  if (/^\/id\/[^/]+\/[^/]+\/?$/.test(path)) return 'userinfo';
  if (path === '/services/data' || path.startsWith('/services/data/')) return 'data';
  if (path.startsWith('/services/Soap/')) return 'soap';
  return 'other';
}

export function dispatch(ctx: Ctx, route: RouteName, admin: AdminTarget): Reply {
  switch (route) {
    case 'token':
      return tokenRoute(ctx);
    case 'introspect':
      return introspectRoute(ctx);
    case 'revoke':
      return revokeRoute(ctx);
    case 'userinfo': {
      const id = /^\/id\/([^/]+)\/([^/]+)\/?$/.exec(ctx.path);
      return id ? identityRoute(ctx, id[1], id[2]) : userinfoRoute(ctx);
    }
    case 'data':
      return dataRoute(ctx);
    case 'soap':
      return soapRoute(ctx);
    case 'admin':
      return adminRoute(ctx, admin);
    default:
      return notFound();
  }
}

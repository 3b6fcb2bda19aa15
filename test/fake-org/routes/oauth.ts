/** OAuth endpoints: token (client credentials; the other grants are in grants.ts), introspect, revoke, userinfo and the identity URL. */
import type { FakeClient, FakeUser } from '../types.js';
import { clientCredentials, parseForm } from '../wire/http.js';
import { jwtToken, opaqueToken } from '../wire/ids.js';
import { signature } from '../wire/signature.js';
import { authorizationCodeGrant, refreshTokenGrant } from './grants.js';
import { authenticate, identityUrl, invalidSession, isReply, json, notFound, oauthError } from './reply.js';
import type { Ctx, Reply } from './reply.js';

const WRONG_DOMAINS = new Set(['login.salesforce.com', 'test.salesforce.com']);


/** Check client id + secret; the error reply, or the client. */
function checkClient(ctx: Ctx, form: Record<string, string>): Reply | FakeClient {
  const { id, secret } = clientCredentials(ctx.req, form);
  const client = id ? ctx.state.getClient(id) : undefined;
  if (!client) return oauthError('invalid_client_id', 'client identifier invalid');
  if (secret !== client.clientSecret) return oauthError('invalid_client', 'invalid client credentials');
  return client;
}

export function tokenRoute(ctx: Ctx): Reply {
  if (ctx.method !== 'POST') return oauthError('invalid_request', 'must use HTTP POST');
  const form = parseForm(ctx.body);
  if (form.grant_type === 'authorization_code') return authorizationCodeGrant(ctx, form);
  if (form.grant_type === 'refresh_token') return refreshTokenGrant(ctx, form);
  const host = (ctx.req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  if (WRONG_DOMAINS.has(host)) return oauthError('invalid_grant', 'request not supported on this domain');
  if (form.grant_type !== 'client_credentials') return oauthError('unsupported_grant_type', 'grant type not supported');
  if (ctx.state.ended) return oauthError('inactive_org', 'org is locked, closed, or suspended');
  const checked = checkClient(ctx, form);
  if (isReply(checked)) return checked;
  const client = checked;
  const user = client.runAsUsername ? ctx.state.findUserByName(client.runAsUsername) : undefined;
  if (client.enabled === false || !user) return oauthError('invalid_grant', 'no client credentials user enabled');
  if (user.active === false) return oauthError('inactive_user', 'user is inactive');
  if (client.approved === false) return oauthError('invalid_app_access', 'user is not admin approved to access this app');
  ctx.markAuthorized();

  const issuedAt = String(ctx.now);
  const id = identityUrl(ctx, user.userId);
  const asJwt = ctx.fault?.kind === 'jwtToken';
  const token = asJwt
    ? jwtToken({
        scp: ['api'],
        aud: [ctx.baseUrl],
        sub: `uid:${user.userId}`,
        nbf: Math.floor(ctx.now / 1000) - 30,
        mty: 'oauth',
        sft: ctx.state.orgId.slice(0, 15),
        roles: [],
        iss: ctx.baseUrl,
        hsc: false,
        exp: Math.floor(ctx.now / 1000) + ctx.state.sessionTimeoutSeconds,
        iat: Math.floor(ctx.now / 1000),
        client_id: client.clientId,
      })
    : opaqueToken(ctx.state.orgId);
  ctx.state.addToken(token, client.clientId, user.userId, asJwt ? 'jwt' : 'opaque', ctx.now);

  const body: Record<string, string> = { access_token: token };
  if (ctx.state.signResponses) {
    const key = ctx.fault?.kind === 'badSignature' ? `${client.clientSecret}-wrong` : client.clientSecret;
    body.signature = signature(key, id, issuedAt);
  }
  Object.assign(body, {
    token_format: asJwt ? 'jwt' : 'opaque',
    instance_url: ctx.baseUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
    scope: 'api',
  });
  if (ctx.state.apiInstanceUrl) body.api_instance_url = ctx.state.apiInstanceUrl;
  return json(200, body);
}

export function introspectRoute(ctx: Ctx): Reply {
  if (ctx.method !== 'POST') return oauthError('invalid_request', 'must use HTTP POST');
  const form = parseForm(ctx.body);
  const checked = checkClient(ctx, form);
  if (isReply(checked)) return checked;
  ctx.markAuthorized();
  const rec = ctx.state.lookup(form.token, ctx.now);
  const user = rec ? ctx.state.getUser(rec.userId) : undefined;
  if (!rec || !user || rec.clientId !== checked.clientId) return json(200, { active: false });
  return json(200, {
    active: true,
    scope: 'api',
    client_id: rec.clientId,
    username: user.username,
    sub: identityUrl(ctx, user.userId),
    token_type: 'access_token',
    exp: Math.floor(ctx.state.expiresAt(rec) / 1000),
    iat: Math.floor(rec.issuedAt / 1000),
    nbf: Math.floor(rec.issuedAt / 1000),
  });
}

export function revokeRoute(ctx: Ctx): Reply {
  const token = ctx.method === 'POST' ? parseForm(ctx.body).token : (ctx.url.searchParams.get('token') ?? undefined);
  if (!token || !ctx.state.revoke(token)) return oauthError('unsupported_token_type', 'this token type is not supported');
  ctx.markAuthorized();
  return { status: 200, body: '', headers: { 'Cache-Control': 'no-cache,must-revalidate,max-age=0,no-store,private' } };
}

function names(user: FakeUser): { first: string; last: string; nick: string } {
  const nick = user.username.split('@')[0];
  const parts = nick.split(/[._-]+/).filter(Boolean);
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  return { first: cap(parts[0] ?? 'Fake'), last: cap(parts.slice(1).join(' ') || 'User'), nick };
}

function urls(ctx: Ctx, userId: string): Record<string, string> {
  const b = ctx.baseUrl;
  const org = ctx.state.orgId;
  return {
    enterprise: `${b}/services/Soap/c/{version}/${org}`,
    metadata: `${b}/services/Soap/m/{version}/${org}`,
    partner: `${b}/services/Soap/u/{version}/${org}`,
    rest: `${b}/services/data/v{version}/`,
    sobjects: `${b}/services/data/v{version}/sobjects/`,
    search: `${b}/services/data/v{version}/search/`,
    query: `${b}/services/data/v{version}/query/`,
    recent: `${b}/services/data/v{version}/recent/`,
    tooling_soap: `${b}/services/Soap/T/{version}/${org}`,
    tooling_rest: `${b}/services/data/v{version}/tooling/`,
    profile: `${b}/${userId}`,
    feeds: `${b}/services/data/v{version}/chatter/feeds`,
    groups: `${b}/services/data/v{version}/chatter/groups`,
    users: `${b}/services/data/v{version}/chatter/users`,
    feed_items: `${b}/services/data/v{version}/chatter/feed-items`,
    feed_elements: `${b}/services/data/v{version}/chatter/feed-elements`,
    custom_domain: b,
  };
}

/** The fields userinfo and the identity URL both end with: the user's API URLs, status and locale. */
function sessionUserFields(ctx: Ctx, user: FakeUser): Record<string, unknown> {
  return {
    urls: urls(ctx, user.userId),
    active: user.active !== false,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28_800_000,
  };
}

export function userinfoRoute(ctx: Ctx): Reply {
  const rec = authenticate(ctx);
  const user = rec ? ctx.state.getUser(rec.userId) : undefined;
  if (!rec || !user) return invalidSession();
  const n = names(user);
  const email = user.email ?? user.username;
  return json(200, {
    sub: identityUrl(ctx, user.userId),
    user_id: user.userId,
    organization_id: ctx.state.orgId,
    preferred_username: user.username,
    nickname: n.nick,
    name: `${n.first} ${n.last}`,
    email,
    email_verified: true,
    given_name: n.first,
    family_name: n.last,
    zoneinfo: 'America/Los_Angeles',
    photos: { picture: `${ctx.baseUrl}/profilephoto/005/F`, thumbnail: `${ctx.baseUrl}/profilephoto/005/T` },
    profile: `${ctx.baseUrl}/${user.userId}`,
    picture: `${ctx.baseUrl}/profilephoto/005/F`,
    address: { country: 'US' },
    is_salesforce_integration_user: false,
    ...sessionUserFields(ctx, user),
    updated_at: '2025-01-01T00:00:00Z',
    is_app_installed: true,
  });
}

/** GET /id/{orgId}/{userId} */
export function identityRoute(ctx: Ctx, orgId: string, userId: string): Reply {
  const rec = authenticate(ctx);
  if (!rec) return invalidSession();
  const user = orgId === ctx.state.orgId ? ctx.state.getUser(userId) : undefined;
  if (!user) return notFound();
  const n = names(user);
  return json(200, {
    id: identityUrl(ctx, user.userId),
    asserted_user: rec.userId === user.userId,
    user_id: user.userId,
    organization_id: ctx.state.orgId,
    username: user.username,
    nick_name: n.nick,
    display_name: `${n.first} ${n.last}`,
    email: user.email ?? user.username,
    email_verified: true,
    first_name: n.first,
    last_name: n.last,
    timezone: 'America/Los_Angeles',
    photos: { picture: `${ctx.baseUrl}/profilephoto/005/F`, thumbnail: `${ctx.baseUrl}/profilephoto/005/T` },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: 'US',
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    ...sessionUserFields(ctx, user),
    last_modified_date: '2025-01-01T00:00:00.000+0000',
    is_app_installed: true,
  });
}

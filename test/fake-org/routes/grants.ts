/**
 * The token endpoint's other grants: authorization_code (how sf authorizes a new scratch org with
 * ScratchOrgInfo.AuthCode) and refresh_token (how sf renews that org's sessions). The app is sf's
 * built-in app (no secret) or one of the org's clients (its secret, its callback URLs).
 */
import type { FakeUser } from '../types.js';
import type { OAuthApp } from '../state.js';
import { clientCredentials } from '../wire/http.js';
import { opaqueToken } from '../wire/ids.js';
import { signature } from '../wire/signature.js';
import { identityUrl, isReply, json, oauthError } from './reply.js';
import type { Ctx, Reply } from './reply.js';

/** The app named by the request, with its secret checked; or the error Salesforce answers. */
function checkApp(ctx: Ctx, form: Record<string, string>): OAuthApp | Reply {
  const { id, secret } = clientCredentials(ctx.req, form);
  const app = ctx.state.oauthApp(id);
  if (!app) return oauthError('invalid_client_id', 'client identifier invalid');
  if (app.clientSecret !== undefined && secret !== app.clientSecret) return oauthError('invalid_client', 'invalid client credentials');
  return app;
}

function activeUser(ctx: Ctx, userId: string): FakeUser | Reply {
  const user = ctx.state.getUser(userId);
  if (!user || user.active === false) return oauthError('inactive_user', 'user is inactive');
  return user;
}

/** A token answer of these grants: a new access token, the refresh token when one is issued, signed with the app's secret. */
function tokenAnswer(ctx: Ctx, app: OAuthApp, user: FakeUser, refreshToken?: string): Reply {
  const token = opaqueToken(ctx.state.orgId);
  ctx.state.addToken(token, app.clientId, user.userId, 'opaque', ctx.now);
  const issuedAt = String(ctx.now);
  const id = identityUrl(ctx, user.userId);
  const body: Record<string, string> = { access_token: token };
  if (refreshToken) body.refresh_token = refreshToken;
  if (ctx.state.signResponses) body.signature = signature(app.clientSecret ?? '', id, issuedAt);
  Object.assign(body, { scope: 'refresh_token web api', instance_url: ctx.baseUrl, id, token_type: 'Bearer', issued_at: issuedAt });
  return json(200, body);
}

/** grant_type=authorization_code: a code works once, for the app and the callback it was issued for. */
export function authorizationCodeGrant(ctx: Ctx, form: Record<string, string>): Reply {
  const app = checkApp(ctx, form);
  if (isReply(app)) return app;
  const code = ctx.state.findAuthCode(form.code);
  if (!code || code.clientId !== app.clientId) return oauthError('invalid_grant', 'expired authorization code');
  const redirectUri = form.redirect_uri ?? '';
  if (redirectUri !== code.redirectUri || !app.acceptsCallback(redirectUri)) return oauthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
  const user = activeUser(ctx, code.userId);
  if (isReply(user)) return user;
  code.used = true;
  ctx.markAuthorized();
  return tokenAnswer(ctx, app, user, ctx.state.addRefreshToken(app.clientId, user.userId));
}

/** grant_type=refresh_token: a new access token for the refresh token's app and user; no new refresh token (no rotation). */
export function refreshTokenGrant(ctx: Ctx, form: Record<string, string>): Reply {
  const app = checkApp(ctx, form);
  if (isReply(app)) return app;
  const rec = ctx.state.findRefreshToken(form.refresh_token);
  if (!rec || rec.clientId !== app.clientId) return oauthError('invalid_grant', 'expired access/refresh token');
  const user = activeUser(ctx, rec.userId);
  if (isReply(user)) return user;
  ctx.markAuthorized();
  return tokenAnswer(ctx, app, user);
}

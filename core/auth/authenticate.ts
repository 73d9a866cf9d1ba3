/**
 * The authentication middleware for `/api/v1/*`: every route requires a
 * signed-in caller (401 otherwise) except sign-in itself.
 * - `Authorization: Bearer rlt_…` → an API token, acting as its creator
 *   within its scopes; `Bearer rls_…` → a session (the token login returns);
 * - otherwise the session cookie; a cookie-authenticated unsafe request must
 *   carry the session's CSRF token in `X-CSRF-Token` (403 without it).
 *   Bearer requests are exempt: a browser never adds that header by itself.
 * After the route ran, a 403 answer is written to the audit log.
 */
import type { MiddlewareHandler } from 'hono';
import type { ObjectId } from 'mongodb';
import { routePath } from 'hono/route';
import type { Principal } from '../context.ts';
import type { AppEnv } from '../http/env.ts';
import { forbidden, unauthenticated } from '../shared/errors.ts';
import { markTokenUsed, resolveApiToken } from './api-tokens.ts';
import { clientIp } from './client.ts';
import { CSRF_HEADER, sessionCookie } from './cookies.ts';
import { checkCsrf } from './csrf.ts';
import type { AuthDeps } from './deps.ts';
import { principalFor } from './principal.ts';
import { API_TOKEN_PREFIX } from './secrets.ts';
import { resolveSession, revokeSession } from './sessions.ts';
import { isActive, loadUser } from './users.ts';

const API_PREFIX = '/api/v1/';
/** Reachable without signing in (besides /health and /metrics, which live outside /api/v1). */
const PUBLIC_ROUTES = new Set(['POST /api/v1/auth/login']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isPublicRoute(method: string, path: string): boolean {
  return PUBLIC_ROUTES.has(`${method} ${path}`);
}

interface Identity {
  principal: Principal;
  via: 'bearer' | 'cookie';
  csrfToken?: string;
  tokenId?: ObjectId;
}

async function identify(deps: AuthDeps, authorization: string | undefined, cookie: string | undefined): Promise<Identity | null> {
  let secret: string;
  let via: Identity['via'];
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S{1,200})\s*$/i.exec(authorization);
    if (!match) return null;
    secret = match[1]!;
    via = 'bearer';
  } else if (cookie !== undefined) {
    secret = cookie;
    via = 'cookie';
  } else {
    return null;
  }

  if (via === 'bearer' && secret.startsWith(API_TOKEN_PREFIX)) {
    const token = await resolveApiToken(deps.db, secret);
    const user = token ? await loadUser(deps.db, token.userId) : null;
    if (!token || !user || !isActive(user)) return null;
    const principal = await principalFor({ db: deps.db, registry: deps.registry, user, kind: 'token', scopes: token.scopes, tokenId: token._id.toHexString() });
    return { principal, via, tokenId: token._id };
  }
  const session = await resolveSession(deps.db, secret, deps.options.session);
  const user = session ? await loadUser(deps.db, session.userId) : null;
  if (!session) return null;
  if (!user || !isActive(user)) {
    await revokeSession(deps.db, session._id);
    return null;
  }
  const principal = await principalFor({ db: deps.db, registry: deps.registry, user, kind: 'user', sessionId: session._id });
  return { principal, via, csrfToken: session.csrfToken };
}

export function authenticate(deps: AuthDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const path = c.req.path;
    if (!path.startsWith(API_PREFIX) || isPublicRoute(c.req.method, path)) return next();
    const identity = await identify(deps, c.req.header('authorization'), sessionCookie(c));
    if (!identity) throw unauthenticated('Sign-in required: send the session cookie or Authorization: Bearer <token>');
    const { principal } = identity;
    const ip = clientIp(c, deps.options.trustProxy);
    const actor = { actor: principal.userId, email: principal.email, ip, requestId: c.get('requestId') };

    if (identity.via === 'cookie' && !SAFE_METHODS.has(c.req.method)) {
      const csrf = checkCsrf(c, identity.csrfToken, deps.options.trustProxy);
      if (!csrf.isAllowed) {
        await deps.audit.record({ type: 'auth.csrf_refused', ...actor, via: 'session', details: { method: c.req.method, path } });
        throw forbidden(`A cookie-authenticated ${c.req.method} was refused as a possible cross-site request: ${csrf.reason}. Send the CSRF token (the relata_csrf cookie) in the ${CSRF_HEADER} header`);
      }
    }
    if (identity.tokenId && (await markTokenUsed(deps.db, identity.tokenId))) {
      await deps.audit.record({ type: 'token.used', ...actor, via: 'token', tokenId: principal.tokenId, details: { method: c.req.method, path } });
    }

    c.set('principal', principal);
    await next();
    if (c.res.status === 403) {
      await deps.audit.record({ type: 'access.denied', ...actor, via: principal.kind === 'token' ? 'token' : 'session', ...(principal.tokenId ? { tokenId: principal.tokenId } : {}), details: { method: c.req.method, route: routePath(c, -1), path } });
    }
  };
}

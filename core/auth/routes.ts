/**
 * `/api/v1/auth`: sign-in, sign-out, the signed-in user, own password change
 * (own preferences: profile-routes.ts).
 * Thin: parse, call one operation, shape the answer. API tokens: token-routes.ts.
 */
import { Hono, type Context } from 'hono';
import { actorFields } from '../audit/audit-log.ts';
import type { Principal } from '../context.ts';
import type { AppEnv } from '../http/env.ts';
import { readJsonBody } from '../http/json-body.ts';
import { problemResponse } from '../http/problem.ts';
import { requestContext } from '../http/request-context.ts';
import { serializeRecord } from '../records/serialize.ts';
import type { StoredRecord } from '../records/stored-record.ts';
import { AppError, fieldInvalid, unauthenticated } from '../shared/errors.ts';
import { clientIp } from './client.ts';
import { clearSessionCookies, setSessionCookies } from './cookies.ts';
import { passwordHashOf, storePasswordHash } from './credentials.ts';
import type { AuthDeps } from './deps.ts';
import { hashPassword, passwordProblems, verifyPassword } from './passwords.ts';
import { revokeSession, revokeUserSessions } from './sessions.ts';
import { signIn } from './sign-in.ts';
import { tokenRoutes } from './token-routes.ts';
import { USER_ENTITY, loadUser, type UserRecord } from './users.ts';

const NONE: ReadonlySet<string> = new Set();

export function userJson(deps: AuthDeps, user: UserRecord): Record<string, unknown> {
  const entity = deps.registry.entity(USER_ENTITY);
  return entity ? serializeRecord({ entity, record: user as unknown as StoredRecord, hidden: NONE }) : { _id: user._id.toHexString(), email: user.email, name: user.name };
}

/**
 * The answer of `GET /api/v1/auth/me` (and of `PATCH`, profile-routes.ts):
 * the signed-in user's record itself (API.md: "→ the signed-in user"), plus
 * how they are signed in; `user` repeats the record for clients that read it there.
 */
export function meJson(principal: Principal, user: Record<string, unknown>): Record<string, unknown> {
  return {
    ...user,
    user,
    isAdmin: principal.isAdmin,
    hasAllDirections: principal.hasAllDirections,
    via: principal.kind === 'token' ? 'token' : 'session',
    ...(principal.scopes ? { scopes: principal.scopes } : {}),
  };
}

/** 429 carries Retry-After, which the shared problem mapper does not know about. */
function withRetryAfter(c: Context<AppEnv>, error: unknown): Response {
  const response = problemResponse(c, error);
  if (error instanceof AppError && typeof error.extensions.retryAfter === 'number') response.headers.set('Retry-After', String(error.extensions.retryAfter));
  return response;
}

export function authRoutes(deps: AuthDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.post('/login', async (c) => {
    try {
      const result = await signIn({
        deps,
        body: await readJsonBody(c, 16 * 1024),
        ip: clientIp(c, deps.options.trustProxy),
        userAgent: c.req.header('user-agent') ?? '',
        requestId: c.get('requestId'),
      });
      setSessionCookies(c, { token: result.token, session: result.session, trustProxy: deps.options.trustProxy });
      c.header('Cache-Control', 'no-store');
      return c.json({ token: result.token, csrfToken: result.session.csrfToken, expiresAt: result.session.expiresAt.toISOString(), user: userJson(deps, result.user) });
    } catch (error) {
      return withRetryAfter(c, error);
    }
  });

  routes.post('/logout', async (c) => {
    const ctx = requestContext(c);
    if (ctx.principal.sessionId && (await revokeSession(deps.db, ctx.principal.sessionId))) {
      await deps.audit.record({ type: 'auth.logout', ...actorFields(ctx), ip: clientIp(c, deps.options.trustProxy) });
    }
    clearSessionCookies(c, deps.options.trustProxy);
    return c.body(null, 204);
  });

  routes.get('/me', async (c) => {
    const { principal } = requestContext(c);
    const user = principal.userId ? await loadUser(deps.db, principal.userId) : null;
    if (!user) throw unauthenticated();
    return c.json(meJson(principal, userJson(deps, user)));
  });

  // Own password: the current one proves it is really the user; other sessions end.
  routes.post('/password', async (c) => {
    const ctx = requestContext(c);
    const body = (await readJsonBody(c, 16 * 1024)) as { currentPassword?: unknown; newPassword?: unknown };
    const user = ctx.principal.userId && ctx.principal.kind === 'user' ? await loadUser(deps.db, ctx.principal.userId) : null;
    if (!user) throw new AppError('FORBIDDEN', 'Only a signed-in user (not an API token) may change their password');
    const problems = passwordProblems(body?.newPassword, { email: user.email }).map((error) => ({ ...error, path: '/newPassword' }));
    if (problems.length > 0) throw fieldInvalid(problems);
    const stored = await passwordHashOf(deps.db, user._id);
    if (typeof body.currentPassword !== 'string' || !stored || !(await verifyPassword(body.currentPassword, stored))) {
      throw fieldInvalid([{ path: '/currentPassword', message: 'is not your current password' }]);
    }
    await storePasswordHash(deps.db, user._id, await hashPassword(body.newPassword as string, deps.options.passwordCost));
    await revokeUserSessions(deps.db, user._id, ctx.principal.sessionId);
    await deps.audit.record({ type: 'auth.password_changed', ...actorFields(ctx), target: { entity: USER_ENTITY, id: user._id.toHexString() } });
    return c.body(null, 204);
  });

  routes.route('/tokens', tokenRoutes(deps));
  return routes;
}

/**
 * `/api/v1/auth/tokens`: API tokens of the signed-in user. The secret is in
 * the 201 answer only. Tokens cannot manage tokens: a leaked token must not
 * be able to mint its own successors.
 */
import { Hono, type Context } from 'hono';
import { ObjectId } from 'mongodb';
import { scopeProblems } from '../access/scopes.ts';
import { actorFields } from '../audit/audit-log.ts';
import type { RequestContext } from '../context.ts';
import type { AppEnv } from '../http/env.ts';
import { readJsonBody } from '../http/json-body.ts';
import { requestContext } from '../http/request-context.ts';
import { assertPlainObject } from '../records/write-input.ts';
import { fieldInvalid, forbidden, notFound, type FieldError } from '../shared/errors.ts';
import { createApiToken, findApiToken, listApiTokens, revokeApiToken, type ApiTokenView } from './api-tokens.ts';
import { clientIp } from './client.ts';
import type { AuthDeps } from './deps.ts';

function sessionContext(c: Context<AppEnv>): RequestContext & { principal: { userId: ObjectId } } {
  const ctx = requestContext(c);
  if (ctx.principal.kind !== 'user' || !ctx.principal.userId) throw forbidden('API tokens are managed by a signed-in user, not with an API token');
  return ctx as RequestContext & { principal: { userId: ObjectId } };
}

function view(token: ApiTokenView) {
  return {
    _id: token._id.toHexString(),
    name: token.name,
    scopes: token.scopes,
    hint: token.hint,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  };
}

function parseBody(body: unknown): { name: string; scopes: string[]; expiresAt?: Date } {
  assertPlainObject(body);
  const errors: FieldError[] = [];
  for (const key of Object.keys(body)) if (!['name', 'scopes', 'expiresAt'].includes(key)) errors.push({ path: `/${key}`, message: 'is not a token property' });
  if (typeof body.name !== 'string' || body.name.trim() === '' || body.name.length > 100) errors.push({ path: '/name', message: 'must be a text of 1 to 100 characters' });
  errors.push(...scopeProblems(body.scopes));
  let expiresAt: Date | undefined;
  if (body.expiresAt !== undefined && body.expiresAt !== null) {
    expiresAt = typeof body.expiresAt === 'string' ? new Date(body.expiresAt) : undefined;
    if (!expiresAt || Number.isNaN(expiresAt.getTime()) || expiresAt <= new Date()) errors.push({ path: '/expiresAt', message: 'must be a date-time in the future' });
  }
  if (errors.length > 0) throw fieldInvalid(errors);
  return { name: (body.name as string).trim(), scopes: [...new Set(body.scopes as string[])], ...(expiresAt ? { expiresAt } : {}) };
}

export function tokenRoutes(deps: AuthDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.post('/', async (c) => {
    const ctx = sessionContext(c);
    const input = parseBody(await readJsonBody(c, 16 * 1024));
    const { token, document } = await createApiToken(deps.db, { userId: ctx.principal.userId, ...input });
    await deps.audit.record({ type: 'token.created', ...actorFields(ctx), ip: clientIp(c, deps.options.trustProxy), tokenId: document._id.toHexString(), details: { name: document.name, scopes: document.scopes } });
    c.header('Cache-Control', 'no-store');
    return c.json({ ...view(document), token }, 201);
  });

  routes.get('/', async (c) => {
    const ctx = sessionContext(c);
    return c.json({ items: (await listApiTokens(deps.db, ctx.principal.userId)).map(view) });
  });

  // Own tokens; administrators may revoke anyone's. Anything else is unknown.
  routes.delete('/:id', async (c) => {
    const ctx = sessionContext(c);
    const id = c.req.param('id');
    const token = /^[0-9a-f]{24}$/.test(id) ? await findApiToken(deps.db, new ObjectId(id)) : null;
    if (!token || (!token.userId.equals(ctx.principal.userId) && !ctx.principal.isAdmin)) throw notFound(`No API token with id ${id}`);
    await revokeApiToken(deps.db, token._id);
    await deps.audit.record({ type: 'token.revoked', ...actorFields(ctx), ip: clientIp(c, deps.options.trustProxy), tokenId: token._id.toHexString(), details: { name: token.name, owner: token.userId.toHexString() } });
    return c.body(null, 204);
  });

  return routes;
}

/**
 * `GET /api/v1/audit` (administrators): the security audit log, newest
 * first, paged with `limit`/`offset`, filtered by `type`, `actor`, `since`,
 * `until`.
 */
import { Hono } from 'hono';
import { ObjectId } from 'mongodb';
import type { AppEnv } from '../http/env.ts';
import { requestContext } from '../http/request-context.ts';
import { badRequest, forbidden } from '../shared/errors.ts';
import { AUDIT_TYPES, type AuditEntry, type AuditLog, type AuditType } from './audit-log.ts';

const PARAMETERS = new Set(['type', 'actor', 'since', 'until', 'limit', 'offset']);

function integer(raw: string | undefined, name: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) > max) throw badRequest(`${name} must be an integer between 0 and ${max}`);
  return Number(raw);
}

function date(raw: string | undefined, name: string): Date | undefined {
  if (raw === undefined) return undefined;
  const value = new Date(raw);
  if (Number.isNaN(value.getTime())) throw badRequest(`${name} must be a date-time`);
  return value;
}

function toJson(entry: AuditEntry): Record<string, unknown> {
  return { ...entry, _id: entry._id.toHexString(), at: entry.at.toISOString(), actor: entry.actor ? entry.actor.toHexString() : null };
}

export function auditRoutes(deps: { audit: AuditLog }): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/', async (c) => {
    if (!requestContext(c).principal.isAdmin) throw forbidden('Only administrators may read the audit log');
    const query = c.req.query();
    for (const key of Object.keys(query)) if (!PARAMETERS.has(key)) throw badRequest(`Unknown parameter "${key}"`);
    if (query.type !== undefined && !(AUDIT_TYPES as readonly string[]).includes(query.type)) throw badRequest(`type must be one of ${AUDIT_TYPES.join(', ')}`);
    if (query.actor !== undefined && !/^[0-9a-f]{24}$/.test(query.actor)) throw badRequest('actor must be a user id');
    const result = await deps.audit.list({
      ...(query.type ? { type: query.type as AuditType } : {}),
      ...(query.actor ? { actor: new ObjectId(query.actor) } : {}),
      since: date(query.since, 'since'),
      until: date(query.until, 'until'),
      limit: integer(query.limit, 'limit', 50, 500) || 50,
      offset: integer(query.offset, 'offset', 0, 1_000_000),
    });
    return c.json({ items: result.items.map(toJson), total: result.total });
  });
  return routes;
}

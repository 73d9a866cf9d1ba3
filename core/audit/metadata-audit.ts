/**
 * Records successful changes of roles and business directions (they decide
 * what everyone may see) in the audit log, with the acting administrator.
 */
import type { MiddlewareHandler } from 'hono';
import { requestContext } from '../http/request-context.ts';
import type { AppEnv } from '../http/env.ts';
import { actorFields, type AuditLog, type AuditType } from './audit-log.ts';

const WATCHED: Array<{ pattern: RegExp; type: AuditType }> = [
  { pattern: /^\/api\/v1\/meta\/roles(?:\/([^/]+))?$/, type: 'metadata.role_changed' },
  { pattern: /^\/api\/v1\/meta\/directions(?:\/([^/]+))?$/, type: 'metadata.direction_changed' },
];
const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function auditMetadataChanges(audit: AuditLog): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (!CHANGES.has(c.req.method) || c.res.status >= 300) return;
    for (const { pattern, type } of WATCHED) {
      const match = pattern.exec(c.req.path);
      if (!match) continue;
      let name: string | undefined = match[1];
      if (!name && c.res.status === 201) name = ((await c.res.clone().json().catch(() => ({}))) as { name?: string }).name;
      await audit.record({ type, ...actorFields(requestContext(c)), target: { name: name ?? '' }, details: { method: c.req.method } });
    }
  };
}

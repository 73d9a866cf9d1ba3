/**
 * API token scopes: `*` (everything the creator may do) or `entity:action`,
 * where either side may be `*` (`organization:read`, `deal:*`, `*:read`).
 * A token never does more than its creator; scopes only take away.
 */
import { ROLE_ACTIONS, type RoleAction } from '../metadata/types.ts';
import type { FieldError } from '../shared/errors.ts';

const SCOPE_PATTERN = /^(\*|[a-z][a-zA-Z0-9]{0,63}):(\*|[a-z]+)$/;
export const MAX_SCOPES = 100;

/** Why a scope list is refused (pure). */
export function scopeProblems(scopes: unknown): FieldError[] {
  if (!Array.isArray(scopes) || scopes.length === 0) return [{ path: '/scopes', message: 'must be a non-empty array, e.g. ["*"] or ["organization:read"]' }];
  if (scopes.length > MAX_SCOPES) return [{ path: '/scopes', message: `must hold at most ${MAX_SCOPES} scopes` }];
  const errors: FieldError[] = [];
  scopes.forEach((scope, index) => {
    if (scope === '*') return;
    const match = typeof scope === 'string' ? SCOPE_PATTERN.exec(scope) : null;
    if (!match || (match[2] !== '*' && !(ROLE_ACTIONS as readonly string[]).includes(match[2]!))) {
      errors.push({ path: `/scopes/${index}`, message: `must be "*" or "<entity>:<action>" with an action of ${ROLE_ACTIONS.join(', ')} or "*"` });
    }
  });
  return errors;
}

/** Whether scopes (undefined: a session, unlimited) allow `action` on `entity`. */
export function scopeAllows(scopes: readonly string[] | undefined, entity: string, action: RoleAction): boolean {
  if (scopes === undefined) return true;
  return scopes.some((scope) => {
    if (scope === '*') return true;
    const [scopeEntity, scopeAction] = scope.split(':');
    return (scopeEntity === '*' || scopeEntity === entity) && (scopeAction === '*' || scopeAction === action);
  });
}

export function isUnlimited(scopes: readonly string[] | undefined): boolean {
  return scopes === undefined || scopes.includes('*');
}

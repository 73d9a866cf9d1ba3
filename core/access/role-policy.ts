/**
 * The access policy of roles and business directions, asked by the record
 * service on every path (list, read, update, delete, bulk, expand, history,
 * search, counts). Answers data, never strings:
 * - an action no role grants (or the token's scopes exclude) → `false`;
 * - own-records restrictions → `{ owner: … }`;
 * - partitioned entities, for users without "all directions" →
 *   `{ direction: { $in: <the user's directions> } }`;
 * all ANDed. Administrators bypass roles and directions, not token scopes.
 */
import type { Document, Filter, ObjectId } from 'mongodb';
import type { Principal, RequestContext } from '../context.ts';
import type { MetadataRegistry } from '../metadata/registry.ts';
import type { DirectionDefinition, EntityDefinition } from '../metadata/types.ts';
import { compileRoles, type CompiledRoles, type EntityGrant } from './compile-roles.ts';
import type { AccessDecision, AccessPolicy, RecordAction } from './policy.ts';
import { scopeAllows } from './scopes.ts';

/** The actions an own-records restriction limits; reading and creating stay open (see README). */
const OWN_ACTIONS: ReadonlySet<RecordAction> = new Set(['update', 'delete', 'transition']);
const NONE: ReadonlySet<string> = new Set();

function isAdministrator(principal: Principal, roles: CompiledRoles): boolean {
  return principal.kind === 'system' || principal.isAdmin || roles.isAdmin;
}

function seesAllDirections(principal: Principal, roles: CompiledRoles): boolean {
  return isAdministrator(principal, roles) || principal.hasAllDirections || roles.allDirections;
}

/** true: any of the caller's records; false: none; else the owner condition. */
function ownCondition(grants: readonly EntityGrant[], action: RecordAction, principal: Principal): AccessDecision {
  if (!OWN_ACTIONS.has(action) || grants.some((grant) => grant.own === undefined)) return true;
  if (!principal.userId) return false;
  if (grants.some((grant) => grant.own === 'team')) {
    const team: ObjectId[] = principal.team && principal.team.length > 0 ? principal.team : [principal.userId];
    return { owner: { $in: team } };
  }
  return { owner: principal.userId };
}

/** Fields left out for every grant in `grants` (a field is hidden only if no role shows it). */
function intersection(grants: readonly EntityGrant[], pick: (grant: EntityGrant) => ReadonlySet<string>): ReadonlySet<string> {
  if (grants.length === 0) return NONE;
  const [first, ...rest] = grants;
  const out = new Set([...pick(first!)].filter((name) => rest.every((grant) => pick(grant).has(name))));
  return out.size === 0 ? NONE : out;
}

export function createRolePolicy(deps: { registry: MetadataRegistry }): AccessPolicy {
  const rolesOf = (ctx: RequestContext) => compileRoles(deps.registry.snapshot, ctx.principal.roles);

  const creatable = (ctx: RequestContext): string[] => {
    const known = deps.registry.snapshot.byKind<DirectionDefinition>('direction');
    return ctx.principal.directions.filter((name) => {
      const doc = known.get(name);
      return doc !== undefined && doc.definition.isActive !== false;
    });
  };

  return {
    recordFilter({ ctx, entity, action }) {
      const { principal } = ctx;
      if (!scopeAllows(principal.scopes, entity.name, action)) return false;
      if (principal.kind === 'system') return true;
      const roles = rolesOf(ctx);
      const conditions: Filter<Document>[] = [];
      if (!isAdministrator(principal, roles)) {
        const grants = roles.grants(entity.name).filter((grant) => grant.actions.has(action));
        if (grants.length === 0) return false;
        const own = ownCondition(grants, action, principal);
        if (own === false) return false;
        if (own !== true) conditions.push(own);
      }
      if (entity.features?.direction && !seesAllDirections(principal, roles)) {
        const directions = action === 'create' ? creatable(ctx) : principal.directions;
        if (directions.length === 0) return false;
        conditions.push({ direction: { $in: directions } });
      }
      if (conditions.length === 0) return true;
      return conditions.length === 1 ? conditions[0]! : { $and: conditions };
    },

    hiddenFields({ ctx, entity }) {
      const roles = rolesOf(ctx);
      if (isAdministrator(ctx.principal, roles)) return NONE;
      const grants = roles.grants(entity.name);
      const readers = grants.filter((grant) => grant.actions.has('read'));
      return intersection(readers.length > 0 ? readers : grants, (grant) => grant.unreadable);
    },

    readonlyFields({ ctx, entity }) {
      const roles = rolesOf(ctx);
      if (isAdministrator(ctx.principal, roles)) return NONE;
      const writers = roles.grants(entity.name).filter((grant) => grant.actions.has('create') || grant.actions.has('update'));
      return intersection(writers, (grant) => grant.unwritable);
    },

    creatableDirections({ ctx, entity }: { ctx: RequestContext; entity: EntityDefinition }) {
      if (!entity.features?.direction || seesAllDirections(ctx.principal, rolesOf(ctx))) return undefined;
      return creatable(ctx);
    },
  };
}

/** Whether the caller may read any record of the entity (for the entity list of `/meta/entities`). */
export function canReadEntity(policy: AccessPolicy, ctx: RequestContext, entity: EntityDefinition): boolean {
  return policy.recordFilter({ ctx, entity, action: 'read' }) !== false;
}

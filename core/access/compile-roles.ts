/**
 * Turns the roles a user holds into one permission set: per entity, the
 * grants of each role (actions, own-records restriction, field
 * restrictions). Compiled once per metadata revision and role combination
 * (STYLE §7), never per request.
 */
import type { MetadataSnapshot } from '../metadata/registry.ts';
import type { EntityPermission, RoleAction, RoleDefinition } from '../metadata/types.ts';

export interface EntityGrant {
  actions: ReadonlySet<RoleAction>;
  /** limits update, delete and transition to own (or own team's) records */
  own?: 'owner' | 'team';
  /** fields this role may not read */
  unreadable: ReadonlySet<string>;
  /** fields this role may not write */
  unwritable: ReadonlySet<string>;
}

export interface CompiledRoles {
  isAdmin: boolean;
  allDirections: boolean;
  /** does any role limit to the user's team (the principal then needs its team) */
  usesTeam: boolean;
  grants(entity: string): readonly EntityGrant[];
}

function toGrant(permission: EntityPermission): EntityGrant {
  if (Array.isArray(permission)) return { actions: new Set(permission), unreadable: new Set(), unwritable: new Set() };
  const fields = Object.entries(permission.fields ?? {});
  return {
    actions: new Set(permission.actions),
    ...(permission.own ? { own: permission.own } : {}),
    unreadable: new Set(fields.filter(([, rule]) => rule.read === false).map(([name]) => name)),
    unwritable: new Set(fields.filter(([, rule]) => rule.write === false || rule.read === false).map(([name]) => name)),
  };
}

function compile(roles: RoleDefinition[]): CompiledRoles {
  // Within one role the entity's own entry wins over "*"; across roles, grants add up.
  const named = roles.map((role) => new Map(Object.entries(role.permissions).map(([entity, permission]) => [entity, toGrant(permission)])));
  const cache = new Map<string, EntityGrant[]>();
  return {
    isAdmin: roles.some((role) => role.isAdmin === true),
    allDirections: roles.some((role) => role.isAdmin === true || role.allDirections === true),
    usesTeam: roles.some((role) => Object.values(role.permissions).some((p) => !Array.isArray(p) && p.own === 'team')),
    grants(entity) {
      let hit = cache.get(entity);
      if (!hit) {
        hit = named.map((grants) => grants.get(entity) ?? grants.get('*')).filter((grant): grant is EntityGrant => grant !== undefined);
        cache.set(entity, hit);
      }
      return hit;
    },
  };
}

const compiled = new WeakMap<MetadataSnapshot, Map<string, CompiledRoles>>();

/** The union of the named roles (unknown names grant nothing), cached per snapshot. */
export function compileRoles(snapshot: MetadataSnapshot, roleNames: readonly string[]): CompiledRoles {
  let bySet = compiled.get(snapshot);
  if (!bySet) compiled.set(snapshot, (bySet = new Map()));
  const key = [...new Set(roleNames)].sort().join('\n');
  let hit = bySet.get(key);
  if (!hit) {
    const roles = key === '' ? [] : key.split('\n').flatMap((name) => {
      const doc = snapshot.byKind<RoleDefinition>('role').get(name);
      return doc ? [doc.definition] : [];
    });
    hit = compile(roles);
    bySet.set(key, hit);
  }
  return hit;
}

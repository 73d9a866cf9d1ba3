/**
 * Who a request acts as, rebuilt from the user record on every request so
 * that a changed role, direction or deactivation takes effect at once.
 */
import type { Db } from 'mongodb';
import { compileRoles } from '../access/compile-roles.ts';
import { isUnlimited } from '../access/scopes.ts';
import type { Principal } from '../context.ts';
import type { MetadataRegistry } from '../metadata/registry.ts';
import { nameList, teamOf, type UserRecord } from './users.ts';

export async function principalFor(input: {
  db: Db;
  registry: MetadataRegistry;
  user: UserRecord;
  kind: 'user' | 'token';
  scopes?: string[];
  sessionId?: string;
  tokenId?: string;
}): Promise<Principal> {
  const { user } = input;
  const snapshot = input.registry.snapshot;
  const roleNames = nameList(user.roles).filter((name) => snapshot.byKind('role').has(name));
  const roles = compileRoles(snapshot, roleNames);
  return {
    kind: input.kind,
    userId: user._id,
    email: user.email,
    roles: roleNames,
    directions: nameList(user.directions),
    // A scoped token of an administrator is not an administrator: only "*" carries that.
    isAdmin: roles.isAdmin && isUnlimited(input.scopes),
    hasAllDirections: roles.allDirections,
    ...(input.scopes ? { scopes: input.scopes } : {}),
    ...(input.sessionId ? { sessionId: input.sessionId } : {}),
    ...(input.tokenId ? { tokenId: input.tokenId } : {}),
    ...(roles.usesTeam ? { team: await teamOf(input.db, user._id) } : {}),
  };
}

/**
 * Platform logic of the system entity `user`, run by the record service
 * around every write of a user record:
 * - `password` is write-only: checked before, hashed into `_credentials`
 *   after; never part of the record, its history or its events;
 * - e-mail is stored lower-cased (unique regardless of case);
 * - roles and directions must exist, and only administrators may change
 *   roles, directions, managers, activity or passwords, or touch an
 *   administrator's record at all (no self-promotion, no account takeover by
 *   someone who merely may edit users; the own password changes through
 *   POST /auth/password, which asks for the current one);
 * - the last active administrator cannot be demoted, deactivated or deleted;
 * - a password change, deactivation or deletion ends the user's sessions.
 */
import type { ObjectId } from 'mongodb';
import type { RequestContext } from '../context.ts';
import { actorFields } from '../audit/audit-log.ts';
import type { RoleDefinition } from '../metadata/types.ts';
import { isSameValue } from '../records/history.ts';
import type { RecordWriteHook } from '../records/hooks.ts';
import type { StoredRecord } from '../records/stored-record.ts';
import { AppError, fieldInvalid, forbidden, type FieldError } from '../shared/errors.ts';
import { revokeUserTokens } from './api-tokens.ts';
import { deleteCredentials, storePasswordHash } from './credentials.ts';
import type { AuthDeps } from './deps.ts';
import { hashPassword, passwordProblems } from './passwords.ts';
import { revokeUserSessions } from './sessions.ts';
import { USER_ENTITY, isManagerOf, nameList, normalizeEmail } from './users.ts';

/** Fields that decide what a user may reach: only administrators change them. */
const ACCESS_FIELDS = ['roles', 'directions', 'manager', 'active'] as const;

function listProblems(value: unknown, path: string, known: ReadonlyMap<string, unknown>, what: string): FieldError[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return [{ path, message: `must be an array of ${what} names` }];
  const errors: FieldError[] = [];
  value.forEach((item, index) => {
    if (typeof item !== 'string' || !known.has(item)) errors.push({ path: `${path}/${index}`, message: `is not a known ${what}` });
  });
  if (new Set(value).size !== value.length) errors.push({ path, message: 'must not repeat a name' });
  return errors;
}

/** Comparable form: absent, null and [] all mean "none". */
function accessValue(record: StoredRecord | undefined, field: string): unknown {
  const value = record?.[field];
  return value === undefined || (Array.isArray(value) && value.length === 0) ? null : value;
}

export function userWriteHook(deps: AuthDeps): RecordWriteHook {
  const adminRoleNames = () =>
    [...deps.registry.snapshot.byKind<RoleDefinition>('role').values()].filter((doc) => doc.definition.isAdmin === true).map((doc) => doc.name);
  const isAdministratorRecord = (record: StoredRecord | undefined) => {
    const admins = new Set(adminRoleNames());
    return record !== undefined && nameList(record.roles).some((role) => admins.has(role));
  };
  const isActiveAdmin = (record: StoredRecord | undefined) => record !== undefined && record.active !== false && isAdministratorRecord(record);

  async function assertAnotherAdminRemains(id: ObjectId): Promise<void> {
    const others = await deps.db.collection(USER_ENTITY).countDocuments({ _id: { $ne: id }, active: { $ne: false }, roles: { $in: adminRoleNames() } }, { limit: 1 });
    if (others === 0) throw new AppError('CONFLICT', 'At least one active administrator must remain');
  }

  async function checkAccessFields(ctx: RequestContext, record: StoredRecord, current: StoredRecord | undefined): Promise<void> {
    const snapshot = deps.registry.snapshot;
    const errors = [
      ...listProblems(record.roles, '/roles', snapshot.byKind('role'), 'role'),
      ...listProblems(record.directions, '/directions', snapshot.byKind('direction'), 'direction'),
    ];
    const manager = record.manager as ObjectId | undefined;
    if (manager && current && manager.equals(record._id)) errors.push({ path: '/manager', message: 'a user cannot be their own manager' });
    else if (manager && current && !isSameValue(manager, current.manager) && (await isManagerOf(deps.db, record._id, manager))) {
      errors.push({ path: '/manager', message: 'would make a cycle in the manager hierarchy' });
    }
    if (errors.length > 0) throw fieldInvalid(errors);
    // `active` defaults to true on create: only a change from that counts.
    const before = current ?? ({ active: true } as unknown as StoredRecord);
    const changed = ACCESS_FIELDS.filter((field) => !isSameValue(accessValue(before, field), accessValue(record, field)));
    if (changed.length > 0 && !ctx.principal.isAdmin) throw forbidden(`Only administrators may change ${changed.join(', ')}`);
  }

  return {
    writeOnly: ['password'],

    async before({ ctx, op, record, current, writeOnly }) {
      if (!ctx.principal.isAdmin) {
        if (isAdministratorRecord(current)) throw forbidden('Only administrators may change or delete an administrator');
        if ('password' in writeOnly) throw forbidden("Only administrators may set a user's password; use POST /api/v1/auth/password for your own");
      }
      if (op === 'delete') {
        if (isActiveAdmin(current)) await assertAnotherAdminRemains(current!._id);
        return;
      }
      if (!record) return;
      if (typeof record.email === 'string') record.email = normalizeEmail(record.email);
      if ('password' in writeOnly) {
        const problems = passwordProblems(writeOnly.password, { email: typeof record.email === 'string' ? record.email : undefined });
        if (problems.length > 0) throw fieldInvalid(problems);
      }
      await checkAccessFields(ctx, record, current);
      if (op === 'update' && isActiveAdmin(current) && !isActiveAdmin(record)) await assertAnotherAdminRemains(record._id);
    },

    async after({ ctx, op, record, current, writeOnly }) {
      const target = { entity: USER_ENTITY, id: record._id.toHexString() };
      if (op === 'delete') {
        await Promise.all([deleteCredentials(deps.db, record._id), revokeUserSessions(deps.db, record._id), revokeUserTokens(deps.db, record._id)]);
        await deps.audit.record({ type: 'user.deleted', ...actorFields(ctx), target });
        return;
      }
      if (typeof writeOnly.password === 'string') {
        await storePasswordHash(deps.db, record._id, await hashPassword(writeOnly.password, deps.options.passwordCost));
        if (op === 'update') {
          // Other sessions end; the one changing its own password stays signed in.
          const keep = ctx.principal.userId?.equals(record._id) ? ctx.principal.sessionId : undefined;
          await revokeUserSessions(deps.db, record._id, keep);
          await deps.audit.record({ type: 'auth.password_changed', ...actorFields(ctx), target });
        }
      }
      if (op === 'create') {
        await deps.audit.record({ type: 'user.created', ...actorFields(ctx), target, details: { roles: nameList(record.roles), directions: nameList(record.directions) } });
        return;
      }
      if (current && current.active !== false && record.active === false) await revokeUserSessions(deps.db, record._id);
      const changed = ACCESS_FIELDS.filter((field) => !isSameValue(accessValue(current, field), accessValue(record, field)));
      if (changed.length > 0) {
        const show = (value: unknown) => (value && typeof value === 'object' && !Array.isArray(value) ? String(value) : value ?? null);
        const details = Object.fromEntries(changed.map((field) => [field, { from: show(current?.[field]), to: show(record[field]) }]));
        await deps.audit.record({ type: 'user.access_changed', ...actorFields(ctx), target, details });
      }
    },
  };
}

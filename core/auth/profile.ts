/**
 * The signed-in user's own preferences: language, time zone and reminder
 * lead time. Most roles may not update `user` records at all, yet everyone
 * sets these for themselves — and only these: any other key is refused, so
 * this is no way around the roles (or the admin-only access fields). The
 * write is a normal record update of their own record: validated against the
 * `user` entity's metadata (an unknown time zone is a 400), recorded in its
 * history as theirs, and published as an event (a new lead time re-times
 * their pending reminders).
 */
import type { RequestContext } from '../context.ts';
import { scopeAllows } from '../access/scopes.ts';
import { updateRecord } from '../records/operations/update.ts';
import type { RecordDeps } from '../records/deps.ts';
import type { JsonRecord } from '../records/serialize.ts';
import { assertPlainObject } from '../records/write-input.ts';
import { fieldInvalid, forbidden, unauthenticated } from '../shared/errors.ts';
import { USER_ENTITY } from './users.ts';

/** The fields of `user` that everyone changes on their own record. */
export const PROFILE_FIELDS: readonly string[] = ['locale', 'timeZone', 'reminderLeadMinutes'];

export async function updateOwnProfile(input: { ctx: RequestContext; records: RecordDeps; body: unknown; expectedVersion?: number }): Promise<JsonRecord> {
  const { ctx } = input;
  const { principal } = ctx;
  if (!principal.userId || principal.kind === 'system') throw unauthenticated();
  if (!scopeAllows(principal.scopes, USER_ENTITY, 'update')) throw forbidden('This API token\'s scopes do not include "user:update"');
  assertPlainObject(input.body);
  const refused = Object.keys(input.body).filter((key) => !PROFILE_FIELDS.includes(key));
  if (refused.length > 0) {
    throw fieldInvalid(refused.map((key) => ({ path: `/${key}`, message: `is not one of your own preferences (${PROFILE_FIELDS.join(', ')}); an administrator changes it` })));
  }
  // Their own record, whatever their roles allow on users; the author stays them.
  const { scopes: _scopes, ...self } = principal;
  const acting: RequestContext = { ...ctx, principal: { ...self, isAdmin: true, hasAllDirections: true } };
  return updateRecord({ ctx: acting, deps: input.records, entity: USER_ENTITY, id: principal.userId.toHexString(), data: input.body, expectedVersion: input.expectedVersion });
}

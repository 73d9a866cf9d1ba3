/**
 * Business direction of a new record of a partitioned entity: the one given
 * (which must be one the caller may create in), or the caller's only one.
 */
import type { Document, Filter } from 'mongodb';
import { Query } from 'mingo';
import type { RequestContext } from '../context.ts';
import type { AccessDecision } from '../access/policy.ts';
import type { EntityDefinition } from '../metadata/types.ts';
import { fieldInvalid, forbidden } from '../shared/errors.ts';
import type { RecordDeps } from './deps.ts';

export function assignDirection(input: { ctx: RequestContext; deps: RecordDeps; entity: EntityDefinition; requested: string | null | undefined }): string | null {
  const { ctx, deps, entity, requested } = input;
  const allowed = deps.access.creatableDirections({ ctx, entity });
  const known = deps.registry.snapshot.byKind('direction');
  if (typeof requested === 'string') {
    if (known.size > 0 && !known.has(requested)) throw fieldInvalid([{ path: '/direction', message: `is not a known direction` }]);
    if (allowed && !allowed.includes(requested)) throw forbidden(`You may not create records in direction "${requested}"`);
    return requested;
  }
  if (allowed === undefined) {
    // Callers who see every direction are not limited to their own, but their only own one is still the default.
    const own = ctx.principal.directions.filter((name) => known.has(name));
    return own.length === 1 ? own[0]! : null;
  }
  if (allowed.length === 1) return allowed[0]!;
  throw fieldInvalid([{ path: '/direction', message: `is required: choose one of ${allowed.join(', ')}` }]);
}

/** A created or updated record must still fall inside what the caller may act on. */
export function assertMatchesAccess(decision: AccessDecision, record: Record<string, unknown>): void {
  if (decision === true) return;
  if (decision === false || !new Query(decision as Filter<Document> as Record<string, unknown>).test(record)) {
    throw forbidden('The record would fall outside what you may access');
  }
}

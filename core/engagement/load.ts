/**
 * Loading the record a panel or action is about, under the caller's access
 * rules: a record the caller may not read is a 404, never a hint that it
 * exists.
 */
import type { RequestContext } from '../context.ts';
import { withAccess, type AccessDecision } from '../access/policy.ts';
import { recordCollectionName } from '../metadata/collections.ts';
import type { EntityDefinition } from '../metadata/types.ts';
import type { RecordDeps } from '../records/deps.ts';
import { parseRecordId } from '../records/ids.ts';
import type { StoredRecord } from '../records/stored-record.ts';
import { recordNotFound } from '../shared/errors.ts';

export const NOT_STORED = { _search: 0, _outbox: 0, _dupKeys: 0 } as const;

export async function loadReadable(input: { ctx: RequestContext; deps: RecordDeps; entity: EntityDefinition; id: string }): Promise<StoredRecord> {
  const { ctx, deps, entity } = input;
  const id = parseRecordId(entity.name, input.id);
  const decision = deps.access.recordFilter({ ctx, entity, action: 'read' });
  if (decision === false) throw recordNotFound(entity.name, input.id);
  const record = await deps.db.collection<StoredRecord>(recordCollectionName(entity.name)).findOne(withAccess({ _id: id }, decision), { projection: NOT_STORED });
  if (!record) throw recordNotFound(entity.name, input.id);
  return record;
}

/** The caller's read filter for an entity, or undefined when they may read none of it. */
export function readFilter(input: { ctx: RequestContext; deps: RecordDeps; entity: EntityDefinition }): AccessDecision | undefined {
  const decision = input.deps.access.recordFilter({ ctx: input.ctx, entity: input.entity, action: 'read' });
  return decision === false ? undefined : decision;
}


/**
 * Delete one record: access → load → If-Match → delete guarded by version →
 * history (the record's last state) → event.
 */
import { ObjectId } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { withAccess } from '../../access/policy.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import { forbidden, recordNotFound, versionConflict } from '../../shared/errors.ts';
import type { RecordDeps } from '../deps.ts';
import { resolveEntity } from '../deps.ts';
import { storeHistory } from '../history.ts';
import { parseRecordId } from '../ids.ts';
import type { HistoryEntry, StoredRecord } from '../stored-record.ts';

export async function deleteRecord(input: {
  ctx: RequestContext;
  deps: RecordDeps;
  entity: string;
  id: string;
  expectedVersion?: number;
  ruleDepth?: number;
  /** a record merged into another is deleted with a `merge` history entry naming both */
  merge?: HistoryEntry['merge'];
}): Promise<void> {
  const { ctx, deps } = input;
  const entity = resolveEntity(deps, input.entity);
  const id = parseRecordId(entity.name, input.id);
  const decision = deps.access.recordFilter({ ctx, entity, action: 'delete' });
  const collection = deps.db.collection<StoredRecord>(recordCollectionName(entity.name));
  const current = await collection.findOne(withAccess({ _id: id }, decision));
  if (!current) {
    const readable = deps.access.recordFilter({ ctx, entity, action: 'read' });
    if (decision !== true && (await collection.countDocuments(withAccess({ _id: id }, readable), { limit: 1 })) > 0) {
      throw forbidden(`You may not delete this ${entity.name} record`);
    }
    throw recordNotFound(entity.name, input.id);
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
    throw versionConflict(undefined, { currentVersion: current.version });
  }
  const hook = deps.hooks?.get(entity.name);
  await hook?.before?.({ ctx, op: 'delete', current, writeOnly: {} });
  const result = await collection.deleteOne({ _id: id, version: current.version });
  if (result.deletedCount === 0) throw versionConflict('The record was changed by someone else while you were deleting it; reload it and try again');

  const now = new Date();
  const userId = ctx.principal.userId;
  if (entity.features?.history !== false) {
    const fieldNames = [...entity.fields.map((field) => field.name), 'owner', 'direction', 'stage'];
    const entry: HistoryEntry = {
      _id: new ObjectId(),
      entity: entity.name,
      recordId: id,
      op: input.merge ? 'merge' : 'delete',
      version: current.version + 1,
      at: now,
      by: userId,
      ...(ctx.principal.rule ? { rule: ctx.principal.rule } : {}),
      ...(input.merge ? { merge: input.merge } : {}),
      changes: fieldNames.filter((name) => current[name] !== undefined).map((field) => ({ field, from: current[field], to: null })),
    };
    // Entries still in the outbox of the deleted record go along with the final one.
    await storeHistory(deps.db, [...(current._outbox ?? []), entry]);
  }
  await hook?.after?.({ ctx, op: 'delete', record: current, current, writeOnly: {} });
  deps.bus.publish({
    kind: 'deleted',
    entity: entity.name,
    id: id.toHexString(),
    version: current.version,
    changedFields: [],
    record: current,
    previous: current,
    by: userId?.toHexString() ?? null,
    at: now,
    requestId: ctx.requestId,
    ruleDepth: input.ruleDepth ?? 0,
  });
}

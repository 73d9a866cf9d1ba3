/**
 * Re-pointing every reference to a merged record at the record it was
 * merged into, in every entity whose reference or references fields target
 * its entity (read from metadata: employments, activities, an
 * administrator's own entities alike). Each changed record gets its
 * version bumped, a `merge` history entry (through the outbox, as every
 * write) and an `updated` event.
 *
 * This runs as the platform, not under the caller's read filters: a
 * reference left pointing at a deleted record would be broken for everyone.
 * Batches are guarded by version; a record changed meanwhile is simply
 * picked up by the next pass, so the pass can be repeated at any time.
 */
import { ObjectId, type AnyBulkWriteOperation, type Collection, type Document } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import type { EntityDefinition, FieldDefinition } from '../../metadata/types.ts';
import type { RecordDeps } from '../../records/deps.ts';
import { DERIVED_HIDDEN_FIELDS, deriveFields } from '../../records/derive.ts';
import { flushOutbox, isSameValue } from '../../records/history.ts';
import type { FieldChange, HistoryEntry, StoredRecord } from '../../records/stored-record.ts';
import { referencingFields } from '../sources.ts';

const BATCH = 500;
const MAX_PASSES = 1000;

/** `from` replaced by `into` in one record's reference fields; undefined when it holds none. */
function repointed(record: StoredRecord, fields: readonly FieldDefinition[], from: ObjectId, into: ObjectId): { set: Record<string, unknown>; changes: FieldChange[] } | undefined {
  const set: Record<string, unknown> = {};
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const value = record[field.name];
    if (field.type === 'reference' && value instanceof ObjectId && value.equals(from)) {
      set[field.name] = into;
    } else if (field.type === 'references' && Array.isArray(value) && value.some((id) => id instanceof ObjectId && id.equals(from))) {
      const ids = new Map<string, ObjectId>();
      for (const id of value as ObjectId[]) {
        const next = id.equals(from) ? into : id;
        ids.set(next.toHexString(), next);
      }
      set[field.name] = [...ids.values()];
    } else {
      continue;
    }
    changes.push({ field: field.name, from: value, to: set[field.name] });
  }
  return changes.length > 0 ? { set, changes } : undefined;
}

async function repointEntity(input: { ctx: RequestContext; deps: RecordDeps; entity: EntityDefinition; fields: FieldDefinition[]; from: ObjectId; into: ObjectId; counts: RepointCounts }): Promise<void> {
  const { ctx, deps, entity, fields, from, into, counts } = input;
  const collection = deps.db.collection<StoredRecord>(recordCollectionName(entity.name));
  const hasHistory = entity.features?.history !== false;
  const userId = ctx.principal.userId;
  const filter = { $or: fields.map((field) => ({ [field.name]: from })) };
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const batch = await collection.find(filter, { projection: { _search: 0, _dupKeys: 0 } }).limit(BATCH).toArray();
    if (batch.length === 0) return;
    const now = new Date();
    const planned: Array<{ before: StoredRecord; after: StoredRecord; entry: HistoryEntry; changes: FieldChange[] }> = [];
    const operations: AnyBulkWriteOperation<StoredRecord>[] = [];
    for (const before of batch) {
      const change = repointed(before, fields, from, into);
      if (!change) continue;
      const after: StoredRecord = { ...before, ...change.set, version: before.version + 1, updatedAt: now, updatedBy: userId };
      delete after._outbox;
      // Derived values are recomputed like on any write (a computed field may read a reference).
      const derived = deriveFields(entity, after);
      const derivedChanges = Object.keys(derived).filter((name) => !name.startsWith('_') && !isSameValue(before[name] ?? null, derived[name] ?? null));
      Object.assign(after, derived);
      const changes = [...change.changes, ...derivedChanges.map((name) => ({ field: name, from: before[name] ?? null, to: derived[name] ?? null }))];
      const entry: HistoryEntry = { _id: new ObjectId(), entity: entity.name, recordId: before._id, op: 'merge', version: after.version, at: now, by: userId, merge: { from, into }, changes };
      const $set: Document = { ...change.set, version: after.version, updatedAt: now, updatedBy: userId };
      for (const name of derivedChanges) $set[name] = derived[name];
      for (const name of DERIVED_HIDDEN_FIELDS) if (derived[name] !== undefined) $set[name] = derived[name];
      operations.push({ updateOne: { filter: { _id: before._id, version: before.version }, update: { $set, ...(hasHistory ? { $push: { _outbox: entry } } : {}) } as Document } });
      planned.push({ before, after, entry, changes });
    }
    if (operations.length === 0) return;
    await collection.bulkWrite(operations, { ordered: false });
    // Only the records whose version still matched were changed: they carry our outbox entry (or, without history, our version).
    const isChanged = await changedRecords(collection, planned, hasHistory);
    for (const item of planned) {
      if (!isChanged(item)) continue;
      if (hasHistory) await flushOutbox(deps.db, entity.name, item.before._id, [...(item.before._outbox ?? []), item.entry]);
      const moved = (counts[entity.name] ??= {});
      for (const change of item.changes.filter((c) => fields.some((f) => f.name === c.field))) moved[change.field] = (moved[change.field] ?? 0) + 1;
      deps.bus.publish({
        kind: 'updated',
        entity: entity.name,
        id: item.before._id.toHexString(),
        version: item.after.version,
        changedFields: item.changes.map((c) => c.field),
        record: item.after,
        previous: item.before,
        by: userId?.toHexString() ?? null,
        at: now,
        requestId: ctx.requestId,
        ruleDepth: 0,
      });
    }
  }
  throw new Error(`Re-pointing ${entity.name} references did not settle after ${MAX_PASSES} passes`);
}

type Planned = { before: StoredRecord; after: StoredRecord; entry: HistoryEntry };

async function changedRecords(collection: Collection<StoredRecord>, planned: readonly Planned[], hasHistory: boolean): Promise<(item: Planned) => boolean> {
  const ids = planned.map((p) => p.before._id);
  if (hasHistory) {
    const docs = await collection.find({ _id: { $in: ids }, '_outbox._id': { $in: planned.map((p) => p.entry._id) } }, { projection: { '_outbox._id': 1 } }).toArray();
    const entries = new Set(docs.flatMap((doc) => (doc._outbox ?? []).map((entry) => entry._id.toHexString())));
    return (item) => entries.has(item.entry._id.toHexString());
  }
  const docs = await collection.find({ _id: { $in: ids } }, { projection: { version: 1 } }).toArray();
  const versions = new Map(docs.map((doc) => [doc._id.toHexString(), doc.version]));
  return (item) => versions.get(item.before._id.toHexString()) === item.after.version;
}

/** References moved: entity → field → records changed. */
export type RepointCounts = Record<string, Record<string, number>>;

/** Re-points every reference to `from` at `into`; answers how many were moved. */
export async function repointReferences(input: { ctx: RequestContext; deps: RecordDeps; target: EntityDefinition; from: ObjectId; into: ObjectId }): Promise<RepointCounts> {
  const counts: RepointCounts = {};
  const referencing = referencingFields(input.deps.registry.snapshot, input.target.name);
  await Promise.all(referencing.map(({ entity, fields }) => repointEntity({ ...input, entity, fields, counts })));
  return counts;
}

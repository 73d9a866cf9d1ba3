/**
 * Field-level history of one record, newest first, for callers who may read
 * the record. Fields the caller may not read are left out of every entry.
 * Entries still in the record's outbox (a crash between the write and the
 * move) are moved first, so history is never missing a change.
 */
import type { RequestContext } from '../../context.ts';
import { withAccess } from '../../access/policy.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import type { EntityDefinition } from '../../metadata/types.ts';
import { recordNotFound } from '../../shared/errors.ts';
import { fieldToJson, anyToJson } from '../codec.ts';
import type { RecordDeps } from '../deps.ts';
import { resolveEntity } from '../deps.ts';
import { flushOutbox } from '../history.ts';
import { parseRecordId } from '../ids.ts';
import { HISTORY_COLLECTION, type FieldChange, type HistoryEntry, type StoredRecord } from '../stored-record.ts';

/**
 * One change. `who` and `when` repeat `by` and `at` in the words of the API contract
 * ("who, when, from, to"), and `_id` repeats `id` in the records' own naming, so clients
 * written against either find them.
 */
export interface HistoryItem {
  id: string;
  _id: string;
  op: HistoryEntry['op'];
  version: number;
  at: string;
  when: string;
  by: string | null;
  who: string | null;
  rule?: string;
  merge?: { from: string; into: string };
  changes: Array<{ field: string; from: unknown; to: unknown }>;
}

export async function recordHistory(input: { ctx: RequestContext; deps: RecordDeps; entity: string; id: string; limit?: number; offset?: number }): Promise<{ items: HistoryItem[]; total: number }> {
  const { ctx, deps } = input;
  const entity = resolveEntity(deps, input.entity);
  const id = parseRecordId(entity.name, input.id);
  const decision = deps.access.recordFilter({ ctx, entity, action: 'read' });
  if (decision === false) throw recordNotFound(entity.name, input.id);
  const record = await deps.db
    .collection<StoredRecord>(recordCollectionName(entity.name))
    .findOne(withAccess({ _id: id }, decision), { projection: { _outbox: 1 } });
  if (!record) throw recordNotFound(entity.name, input.id);
  if (record._outbox && record._outbox.length > 0) await flushOutbox(deps.db, entity.name, id, record._outbox);

  const history = deps.db.collection<HistoryEntry>(HISTORY_COLLECTION);
  const filter = { entity: entity.name, recordId: id };
  const [entries, total] = await Promise.all([
    history
      .find(filter)
      .sort({ version: -1, at: -1 })
      .skip(input.offset ?? 0)
      .limit(input.limit ?? 50)
      .toArray(),
    history.countDocuments(filter),
  ]);
  const hidden = deps.access.hiddenFields({ ctx, entity });
  return { items: entries.map((entry) => toItem(entity, entry, hidden)), total };
}

function toItem(entity: EntityDefinition, entry: HistoryEntry, hidden: ReadonlySet<string>): HistoryItem {
  const byName = new Map(entity.fields.map((field) => [field.name, field]));
  const convert = (change: FieldChange) => {
    const field = byName.get(change.field);
    const toJson = (value: unknown) => (value === null || value === undefined ? null : field ? fieldToJson(field, value) : anyToJson(value));
    return { field: change.field, from: toJson(change.from), to: toJson(change.to) };
  };
  const id = entry._id.toHexString();
  const at = entry.at.toISOString();
  const by = entry.by ? entry.by.toHexString() : null;
  return {
    id,
    _id: id,
    op: entry.op,
    version: entry.version,
    at,
    when: at,
    by,
    who: by,
    ...(entry.rule ? { rule: entry.rule } : {}),
    ...(entry.merge ? { merge: { from: entry.merge.from.toHexString(), into: entry.merge.into.toHexString() } } : {}),
    changes: entry.changes.filter((change) => !hidden.has(change.field)).map(convert),
  };
}

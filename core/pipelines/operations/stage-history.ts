/**
 * A record's way through its pipeline (`GET /data/:entity/:id/stages`),
 * newest first: every transition with from, to, when, who or which rule,
 * and the time spent in the stage it left; the oldest item is the record
 * entering its first stage on create. Read from the field history, where
 * each transition was written in the same atomic update as the move.
 * Access: whoever may read the record (else 404).
 */
import type { Filter } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { withAccess } from '../../access/policy.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import { resolveEntity, type RecordDeps } from '../../records/deps.ts';
import { flushOutbox } from '../../records/history.ts';
import { parseRecordId } from '../../records/ids.ts';
import { HISTORY_COLLECTION, type HistoryEntry, type StoredRecord } from '../../records/stored-record.ts';
import { notFound, recordNotFound } from '../../shared/errors.ts';
import { pipelineOf } from '../lookup.ts';

export interface StageHistoryItem {
  at: string;
  from: string | null;
  to: string;
  /** milliseconds spent in `from`; null for the first stage or when unknown */
  dwellMs: number | null;
  dwellDays: number | null;
  by: string | null;
  rule?: string;
  note?: string;
  version: number;
}

const DAY_MS = 86_400_000;

export async function stageHistory(input: { ctx: RequestContext; deps: RecordDeps; entity: string; id: string; limit?: number; offset?: number }): Promise<{ items: StageHistoryItem[]; total: number }> {
  const { ctx, deps } = input;
  const entity = resolveEntity(deps, input.entity);
  if (!pipelineOf(deps.registry.snapshot, entity)) throw notFound(`${entity.name} records do not move through stages`);
  const id = parseRecordId(entity.name, input.id);
  const decision = deps.access.recordFilter({ ctx, entity, action: 'read' });
  if (decision === false) throw recordNotFound(entity.name, input.id);
  const record = await deps.db.collection<StoredRecord>(recordCollectionName(entity.name)).findOne(withAccess({ _id: id }, decision), { projection: { _outbox: 1 } });
  if (!record) throw recordNotFound(entity.name, input.id);
  // Entries a crash left in the outbox are moved first, so no transition is ever missing.
  if (record._outbox && record._outbox.length > 0) await flushOutbox(deps.db, entity.name, id, record._outbox);

  const filter: Filter<HistoryEntry> = { entity: entity.name, recordId: id, $or: [{ op: 'transition' }, { op: 'create', 'changes.field': 'stage' }] };
  const history = deps.db.collection<HistoryEntry>(HISTORY_COLLECTION);
  const [entries, total] = await Promise.all([
    history.find(filter).sort({ version: -1 }).skip(input.offset ?? 0).limit(input.limit ?? 100).toArray(),
    history.countDocuments(filter),
  ]);
  return { items: entries.map(toItem), total };
}

function toItem(entry: HistoryEntry): StageHistoryItem {
  const move = entry.transition ?? { from: null, to: String(entry.changes.find((change) => change.field === 'stage')?.to ?? ''), dwellMs: null };
  return {
    at: entry.at.toISOString(),
    from: move.from,
    to: move.to,
    dwellMs: move.dwellMs,
    dwellDays: move.dwellMs === null ? null : Math.round((move.dwellMs / DAY_MS) * 1000) / 1000,
    by: entry.by ? entry.by.toHexString() : null,
    ...(entry.rule ? { rule: entry.rule } : {}),
    ...(move.note !== undefined ? { note: move.note } : {}),
    version: entry.version,
  };
}

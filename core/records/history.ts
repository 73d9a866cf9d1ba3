/**
 * Field-level history: entries are written into the record's `_outbox` in
 * the same atomic update as the change, then moved here. Moving is
 * idempotent (the entry keeps its id), so it can be retried at any time.
 */
import type { Db, Document, ObjectId, UpdateFilter } from 'mongodb';
import { recordCollectionName } from '../metadata/collections.ts';
import { HISTORY_COLLECTION, type FieldChange, type HistoryEntry, type StoredRecord } from './stored-record.ts';

export function diffRecords(before: Record<string, unknown>, after: Record<string, unknown>, fieldNames: Iterable<string>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fieldNames) {
    const from = before[field] ?? null;
    const to = after[field] ?? null;
    if (!isSameValue(from, to)) changes.push({ field, from, to });
  }
  return changes;
}

/** Structural equality for stored values (ObjectId, Date, Decimal128, arrays, plain objects). */
export function isSameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => isSameValue(item, b[index]));
  }
  const bsonA = (a as { _bsontype?: string })._bsontype;
  const bsonB = (b as { _bsontype?: string })._bsontype;
  if (bsonA || bsonB) return bsonA === bsonB && String(a) === String(b);
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => isSameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** Moves a record's outbox entries into `_history`, then removes exactly those from the record. */
export async function flushOutbox(db: Db, entity: string, recordId: ObjectId, entries: HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  try {
    await db.collection<HistoryEntry>(HISTORY_COLLECTION).insertMany(entries, { ordered: false });
  } catch (error) {
    if (!isOnlyDuplicateKeys(error)) throw error;
  }
  // Untyped collection: the driver's typed $pull does not model an index-signature document.
  await db.collection(recordCollectionName(entity)).updateOne({ _id: recordId }, { $pull: { _outbox: { _id: { $in: entries.map((entry) => entry._id) } } } } as unknown as UpdateFilter<Document>);
}

/** Entries of a deleted record have no record to pull them from: store them directly. */
export async function storeHistory(db: Db, entries: HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  try {
    await db.collection<HistoryEntry>(HISTORY_COLLECTION).insertMany(entries, { ordered: false });
  } catch (error) {
    if (!isOnlyDuplicateKeys(error)) throw error;
  }
}

/** Sweeps every record of an entity whose outbox was left behind by a crash. */
export async function sweepOutboxes(db: Db, entity: string): Promise<number> {
  const stranded = await db
    .collection<StoredRecord>(recordCollectionName(entity))
    .find({ '_outbox.0': { $exists: true } }, { projection: { _outbox: 1 } })
    .toArray();
  for (const record of stranded) await flushOutbox(db, entity, record._id, record._outbox ?? []);
  return stranded.length;
}

function isOnlyDuplicateKeys(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  if (list.length === 0) return (error as { code?: unknown }).code === 11000;
  return list.every((item) => (item as { code?: unknown }).code === 11000 || (item as { err?: { code?: unknown } }).err?.code === 11000);
}

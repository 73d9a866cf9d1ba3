/**
 * The shape of a record as stored. Besides the entity's fields and the system
 * fields, every record may carry two hidden fields that never leave the
 * server:
 * - `_search`: normalized tokens of the searchable fields (full-text `q`);
 * - `_outbox`: history entries written in the same atomic update as the
 *   change they describe, moved to the `_history` collection right after.
 *   A crash in between loses nothing: the next write of the record, a read
 *   of its history, or the outbox sweeper moves them.
 */
import type { ObjectId } from 'mongodb';

export const HIDDEN_FIELDS = ['_search', '_outbox'] as const;
export const HISTORY_COLLECTION = '_history';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface HistoryEntry {
  /** same id in the outbox and in `_history`, so moving it twice is harmless */
  _id: ObjectId;
  entity: string;
  recordId: ObjectId;
  op: 'create' | 'update' | 'delete' | 'merge' | 'handover' | 'transition';
  version: number;
  at: Date;
  by: ObjectId | null;
  /** the rule that made the change, when a rule did */
  rule?: string;
  /** op `merge`: the record merged (`from`, deleted) and the one it was merged into */
  merge?: { from: ObjectId; into: ObjectId };
  /** op `transition`: the stage move and the time spent in the stage left (null when unknown) */
  transition?: StageTransition;
  changes: FieldChange[];
}

export interface StageTransition {
  from: string | null;
  to: string;
  dwellMs: number | null;
  note?: string;
}

export interface StoredRecord {
  _id: ObjectId;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  createdBy: ObjectId | null;
  updatedBy: ObjectId | null;
  _search?: string[];
  _outbox?: HistoryEntry[];
  [field: string]: unknown;
}

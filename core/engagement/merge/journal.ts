/**
 * The merge journal (`_merges`): one document per merged record, written
 * before anything changes and holding the merged record as it was. A merge
 * that stopped halfway (a crash, a timeout) is finished by repeating the
 * request; a merge that finished answers the same result again; a record
 * can be merged only once, into one record.
 */
import type { Db, ObjectId } from 'mongodb';
import type { StoredRecord } from '../../records/stored-record.ts';

export const MERGES_COLLECTION = '_merges';

export type FieldChoice = 'from' | 'into';

export interface MergeJournal {
  /** `<entity>:<merged record id>` */
  _id: string;
  entity: string;
  from: ObjectId;
  into: ObjectId;
  fields: Record<string, FieldChoice>;
  /** the merged record when the merge started (its values survive its deletion) */
  snapshot: StoredRecord;
  state: 'started' | 'done';
  by: ObjectId | null;
  startedAt: Date;
  finishedAt?: Date;
  /** references moved, entity → field → records, summed over attempts */
  repointed: Record<string, Record<string, number>>;
}

export function journalId(entity: string, from: ObjectId): string {
  return `${entity}:${from.toHexString()}`;
}

export function journals(db: Db) {
  return db.collection<MergeJournal>(MERGES_COLLECTION);
}

/**
 * Handovers as stored: one document per handover (`_handovers`), and, for a
 * handover with a return date, one item per reassigned record
 * (`_handover_items`) so that the return moves back exactly those records —
 * however many there are — and can resume after a crash.
 */
import type { Db, ObjectId } from 'mongodb';

export const HANDOVERS_COLLECTION = '_handovers';
export const HANDOVER_ITEMS_COLLECTION = '_handover_items';

export interface HandoverDocument {
  _id: ObjectId;
  from: ObjectId;
  to: ObjectId;
  by: ObjectId | null;
  at: Date;
  entities: string[];
  /** when the records go back to `from`; absent: for good */
  until?: Date;
  /** `running`: records are being moved; `active`: the return is pending; `returning`: claimed by a worker; `done`: no return planned, or returned */
  status: 'running' | 'active' | 'returning' | 'done';
  reassigned: Record<string, number>;
  failed: number;
  claimedAt?: Date;
  /** the current claim: progress and the final write of a return count only under it */
  claimId?: ObjectId;
  attempts?: number;
  returnedAt?: Date;
  returned?: Record<string, number>;
}

export interface HandoverItem {
  _id: ObjectId;
  handoverId: ObjectId;
  entity: string;
  recordId: ObjectId;
  returnedAt?: Date;
  /** the record had changed owner again, or was gone, when the return ran */
  isSkipped?: boolean;
}

export function handovers(db: Db) {
  return db.collection<HandoverDocument>(HANDOVERS_COLLECTION);
}

export function handoverItems(db: Db) {
  return db.collection<HandoverItem>(HANDOVER_ITEMS_COLLECTION);
}

export async function ensureHandoverIndexes(db: Db): Promise<void> {
  await handovers(db).createIndex({ status: 1, until: 1 }, { name: 'due' });
  await handoverItems(db).createIndex({ handoverId: 1, returnedAt: 1 }, { name: 'pending' });
}

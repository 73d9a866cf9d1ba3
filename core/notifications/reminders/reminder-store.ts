/**
 * The reminder schedule: one document per (activity, planned start). Its
 * deterministic id makes scheduling an idempotent upsert and names the
 * notification and e-mail it leads to, so that each is produced once.
 *
 * Delivery state: pending → sending (claimedBy, leaseUntil) → sent, or
 * cancelled (the activity changed), skipped (too late to be useful),
 * failed (the e-mail kept failing). A `sending` reminder whose lease ran out
 * belongs to a worker that died: another worker may claim it again.
 * The overdue flag has its own small state: pending → flagged | cancelled.
 */
import type { Db, ObjectId } from 'mongodb';
import { REMINDERS_COLLECTION } from '../collections.ts';

export type ReminderState = 'pending' | 'sending' | 'sent' | 'cancelled' | 'skipped' | 'failed';
export type OverdueState = 'pending' | 'flagged' | 'cancelled';

export interface ReminderEvent {
  at: Date;
  /** the worker that acted, or `scheduler` */
  by: string;
  event: 'claimed' | 'taken-over' | 'notified' | 'emailed' | 'sent' | 'retry' | 'cancelled' | 'skipped' | 'failed';
  detail?: string;
}

export interface StoredReminder {
  /** `<activity id>:<planned start, ms since epoch>` */
  _id: string;
  activityId: ObjectId;
  plannedStart: Date;
  /** the responsible employee when last scheduled; delivery re-reads the activity */
  userId: ObjectId;
  leadMinutes: number;
  dueAt: Date;
  state: ReminderState;
  /** when a worker may next try: `dueAt`, later after a failed attempt */
  nextAttemptAt: Date;
  claimedBy?: string;
  leaseUntil?: Date;
  failures: number;
  /** every claim, take-over and outcome, in order */
  log: ReminderEvent[];
  sentAt?: Date;
  reason?: string;
  overdue: OverdueState;
  overdueFlaggedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export function reminderId(activityId: ObjectId, plannedStart: Date): string {
  return `${activityId.toHexString()}:${plannedStart.getTime()}`;
}

export function reminderCollection(db: Db) {
  return db.collection<StoredReminder>(REMINDERS_COLLECTION);
}

export async function ensureReminderIndexes(db: Db): Promise<void> {
  const collection = reminderCollection(db);
  await collection.createIndex({ activityId: 1 }, { name: 'reminder_activity' });
  await collection.createIndex({ state: 1, nextAttemptAt: 1 }, { name: 'reminder_due' });
  await collection.createIndex({ state: 1, leaseUntil: 1 }, { name: 'reminder_lease' });
  await collection.createIndex({ overdue: 1, plannedStart: 1 }, { name: 'reminder_overdue' });
}

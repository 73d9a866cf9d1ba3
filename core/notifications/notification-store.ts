/**
 * In-app notifications: one document per message to one user. Each carries a
 * unique `key` naming what it is about (`reminder:<reminder id>`,
 * `overdue:<reminder id>`, `rule:<rule>:<run key>:<user id>`), so creating it
 * again — a retried job, a second worker, a re-delivered event — finds the
 * first one instead of adding a copy.
 *
 * Reminders mail their own copy (their schedule tracks it); other kinds that
 * should reach the user's mailbox too carry `email`, the state of that copy,
 * which the workers' sweep delivers (email-copies.ts).
 */
import { ObjectId, type Db } from 'mongodb';
import { NOTIFICATIONS_COLLECTION } from './collections.ts';

export const NOTIFICATION_KINDS = ['reminder', 'overdue', 'rule'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationLink {
  entity: string;
  id: string;
}

export type EmailCopyState = 'pending' | 'sending' | 'sent' | 'skipped' | 'failed';

/** The e-mail copy of a notification: pending → sending (claimed, leased) → sent | skipped | failed. */
export interface EmailCopy {
  state: EmailCopyState;
  /** when a worker may next try: creation, later after a failed attempt */
  nextAttemptAt: Date;
  failures: number;
  claimedBy?: string;
  leaseUntil?: Date;
  sentAt?: Date;
  reason?: string;
}

export interface StoredNotification {
  _id: ObjectId;
  key: string;
  userId: ObjectId;
  kind: NotificationKind;
  title: string;
  body: string;
  link?: NotificationLink;
  /** when the thing it is about happens (an activity's planned start) */
  eventAt?: Date;
  /** kind `rule`: the rule that sent it */
  rule?: string;
  email?: EmailCopy;
  createdAt: Date;
  readAt: Date | null;
}

export type NewNotification = Omit<StoredNotification, '_id' | 'createdAt' | 'readAt'>;

export function notificationCollection(db: Db) {
  return db.collection<StoredNotification>(NOTIFICATIONS_COLLECTION);
}

export async function ensureNotificationIndexes(db: Db): Promise<void> {
  const collection = notificationCollection(db);
  await collection.createIndex({ key: 1 }, { name: 'notification_key', unique: true });
  await collection.createIndex({ userId: 1, createdAt: -1, _id: -1 }, { name: 'notification_inbox' });
  await collection.createIndex({ userId: 1, readAt: 1, createdAt: -1 }, { name: 'notification_unread' });
  await collection.createIndex({ 'email.state': 1, 'email.nextAttemptAt': 1 }, { name: 'notification_email_due', sparse: true });
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/**
 * Creates the notification unless one with its key exists. Answers whether
 * this call created it.
 */
export async function notifyOnce(db: Db, notification: NewNotification, now: Date): Promise<boolean> {
  try {
    const result = await notificationCollection(db).updateOne(
      { key: notification.key },
      { $setOnInsert: { _id: new ObjectId(), ...notification, createdAt: now, readAt: null } },
      { upsert: true },
    );
    return result.upsertedCount === 1;
  } catch (error) {
    // Two writers upserting the same key at once: one insert wins, the other sees 11000.
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

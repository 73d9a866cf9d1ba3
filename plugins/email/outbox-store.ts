/**
 * The `_outbox` collection: one document per e-mail, keyed by the caller's
 * idempotency key (unique), recording every attempt.
 *
 * state: queued → sending (claimedBy, leaseUntil) → sent, or back to queued
 * after a temporary failure, or failed (permanent failure, or too many).
 */
import type { Db, ObjectId } from 'mongodb';

export const OUTBOX_COLLECTION = '_outbox';

export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed';

export interface OutboxAttempt {
  id: ObjectId;
  at: Date;
  /** the process that made the attempt */
  by: string;
  /** the previous attempt's claim ran out without a result: its worker died */
  isAfterInterruption?: boolean;
  /** the mail server's answer when it accepted the message */
  response?: string;
  error?: string;
}

export interface OutboxMessage {
  _id: ObjectId;
  idempotencyKey: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** fixed when queued and reused by every attempt, so receivers can tell a repeat */
  messageId: string;
  state: OutboxState;
  attempts: OutboxAttempt[];
  claimedBy?: string;
  leaseUntil?: Date;
  sentAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export function outboxCollection(db: Db) {
  return db.collection<OutboxMessage>(OUTBOX_COLLECTION);
}

export async function ensureOutboxIndexes(db: Db): Promise<void> {
  const collection = outboxCollection(db);
  await collection.createIndex({ idempotencyKey: 1 }, { name: 'outbox_key', unique: true });
  await collection.createIndex({ state: 1, leaseUntil: 1 }, { name: 'outbox_state' });
}

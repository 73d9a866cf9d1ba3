/**
 * The Mailer core sends through: every message goes through the `_outbox`
 * collection, so that one idempotency key is accepted by the mail server
 * once, and every attempt is recorded.
 *
 * send(): queue the message if its key is new → claim it (atomic
 * findOneAndUpdate: queued, or sending with an expired lease → sending
 * under this process's name) → SMTP → mark sent. A key already sent returns
 * at once; a key another process is sending right now is a retryable error.
 * What each crash window leads to is written down in README.md.
 */
import { createHash } from 'node:crypto';
import { ObjectId, type Db } from 'mongodb';
import type { Logger } from '../../core/observability/logger.ts';
import { MailError, type MailMessage, type Mailer } from '../../core/notifications/mailer.ts';
import { outboxCollection, type OutboxAttempt, type OutboxMessage, type OutboxState } from './outbox-store.ts';

/** What the outbox needs from a transport (nodemailer's SMTP transport, in production). */
export interface MailTransport {
  sendMail(mail: { from: string; to: string; subject: string; text: string; html?: string; messageId: string }): Promise<{ response?: string }>;
}

export interface OutboxMailerOptions {
  db: Db;
  transport: MailTransport;
  from: string;
  /** domain of the Message-IDs */
  domain: string;
  logger: Logger;
  /** this process, recorded on claims and attempts */
  workerId: string;
  /** how long a claim holds; longer than the transport's own timeouts */
  leaseMs?: number;
  maxAttempts?: number;
  now?: () => Date;
}

const DEFAULT_LEASE_MS = 5 * 60_000;
const DEFAULT_MAX_ATTEMPTS = 8;

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/** SMTP 5xx: the server refused for good (bad recipient, message rejected). Everything else may pass later. */
function isPermanent(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { responseCode?: unknown }).responseCode : undefined;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export function messageIdFor(key: string, domain: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 40)}@${domain}>`;
}

export function createOutboxMailer(options: OutboxMailerOptions): Mailer {
  const { db, transport, logger, workerId } = options;
  const collection = outboxCollection(db);
  const clock = options.now ?? (() => new Date());
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;

  async function enqueue(message: MailMessage, now: Date): Promise<void> {
    const doc: Omit<OutboxMessage, 'idempotencyKey'> = {
      _id: new ObjectId(),
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.html !== undefined ? { html: message.html } : {}),
      messageId: messageIdFor(message.idempotencyKey, options.domain),
      state: 'queued',
      attempts: [],
      createdAt: now,
      updatedAt: now,
    };
    try {
      await collection.updateOne({ idempotencyKey: message.idempotencyKey }, { $setOnInsert: doc }, { upsert: true });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error; // queued concurrently by another process
    }
  }

  return {
    async send(message: MailMessage): Promise<void> {
      const now = clock();
      await enqueue(message, now);
      const attempt: OutboxAttempt = { id: new ObjectId(), at: now, by: workerId };
      const before = await collection.findOneAndUpdate(
        { idempotencyKey: message.idempotencyKey, $or: [{ state: 'queued' }, { state: 'sending', leaseUntil: { $lte: now } }] },
        { $set: { state: 'sending', claimedBy: workerId, leaseUntil: new Date(now.getTime() + leaseMs), updatedAt: now }, $push: { attempts: attempt } },
        { returnDocument: 'before' },
      );
      if (!before) {
        const current = await collection.findOne({ idempotencyKey: message.idempotencyKey }, { projection: { state: 1 } });
        if (current?.state === 'sent') return; // accepted earlier: nothing to do
        if (current?.state === 'failed') throw new MailError('The message was given up after earlier attempts failed', { isRetryable: false });
        throw new MailError('The message is being sent by another process', { isRetryable: true });
      }
      if (before.state === 'sending') {
        // The previous attempt's process died without recording a result: it may or may not have been accepted.
        logger.warn({ key: message.idempotencyKey, previous: before.claimedBy }, 'outbox: resending a message whose previous attempt was interrupted');
        await collection.updateOne({ _id: before._id, 'attempts.id': attempt.id }, { $set: { 'attempts.$.isAfterInterruption': true } });
      }

      try {
        const info = await transport.sendMail({ from: options.from, to: before.to, subject: before.subject, text: before.text, ...(before.html !== undefined ? { html: before.html } : {}), messageId: before.messageId });
        const sentAt = clock();
        await collection.updateOne(
          { _id: before._id, 'attempts.id': attempt.id },
          { $set: { state: 'sent', sentAt, updatedAt: sentAt, 'attempts.$.response': info.response ?? 'accepted' }, $unset: { leaseUntil: '' } },
        );
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const state: OutboxState = isPermanent(error) || before.attempts.length + 1 >= maxAttempts ? 'failed' : 'queued';
        await collection.updateOne(
          { _id: before._id, 'attempts.id': attempt.id, state: 'sending' },
          { $set: { state, updatedAt: clock(), 'attempts.$.error': reason }, $unset: { leaseUntil: '' } },
        );
        throw new MailError(`The mail server did not accept the message: ${reason}`, { isRetryable: state === 'queued', cause: error });
      }
    },
  };
}

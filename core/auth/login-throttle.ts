/**
 * Sign-in throttling per account and per client address, counted in MongoDB
 * so that every API process shares the counters. Each counter is updated by
 * compare-and-set on a version number, so concurrent attempts are charged
 * one by one.
 */
import type { Db } from 'mongodb';
import { AppError } from '../shared/errors.ts';
import { LOGIN_ATTEMPTS_COLLECTION } from './collections.ts';
import { decideAttempt, expiryOf, type ThrottleDecision, type ThrottlePolicy, type ThrottleState } from './throttle-policy.ts';

interface CounterDocument extends ThrottleState {
  _id: string;
  v: number;
  expiresAt: Date;
}

export interface ThrottleKey {
  id: string;
  policy: ThrottlePolicy;
}

export interface ThrottleRefusal {
  retryAfterMs: number;
  isLocked: boolean;
  /** the key whose lock this attempt started (for the audit log) */
  lockedNow?: string;
}

const MAX_RETRIES = 8;

export class LoginThrottle {
  constructor(private readonly db: Db) {}

  private get counters() {
    return this.db.collection<CounterDocument>(LOGIN_ATTEMPTS_COLLECTION);
  }

  /** Charges one attempt to every key, or refuses (charging none) when one of them is slowed or locked. */
  async charge(keys: ThrottleKey[], now = new Date()): Promise<ThrottleRefusal | undefined> {
    const charged: ThrottleKey[] = [];
    for (const key of keys) {
      const decision = await this.apply(key, now);
      if (!decision.isAllowed) {
        for (const done of charged) await this.refund(done);
        return { retryAfterMs: decision.retryAfterMs, isLocked: decision.isLocked, ...(decision.next ? { lockedNow: key.id } : {}) };
      }
      charged.push(key);
    }
    return undefined;
  }

  /** After a successful sign-in: forget the account's failures, give the address its charge back. */
  async succeeded(input: { reset: ThrottleKey[]; refund: ThrottleKey[] }): Promise<void> {
    if (input.reset.length > 0) await this.counters.deleteMany({ _id: { $in: input.reset.map((key) => key.id) } });
    for (const key of input.refund) await this.refund(key);
  }

  private async apply(key: ThrottleKey, now: Date): Promise<ThrottleDecision> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const doc = await this.counters.findOne({ _id: key.id });
      const decision = decideAttempt(doc, key.policy, now);
      if (!decision.next) return decision;
      const next: CounterDocument = { _id: key.id, ...decision.next, v: (doc?.v ?? 0) + 1, expiresAt: expiryOf(decision.next, key.policy) };
      if (!doc) {
        try {
          await this.counters.insertOne(next);
          return decision;
        } catch (error) {
          if ((error as { code?: unknown }).code !== 11000) throw error;
          continue; // another request created it first: re-read
        }
      }
      const result = await this.counters.replaceOne({ _id: key.id, v: doc.v }, next);
      if (result.matchedCount === 1) return decision;
    }
    // Heavy contention on one key is itself a sign of an attack: refuse.
    return { isAllowed: false, isLocked: false, retryAfterMs: 1000 };
  }

  private async refund(key: ThrottleKey): Promise<void> {
    await this.counters.updateOne({ _id: key.id, failures: { $gt: 0 } }, { $inc: { failures: -1, v: 1 } });
  }
}

export function rateLimited(refusal: ThrottleRefusal): AppError {
  const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
  const message = refusal.isLocked
    ? `Too many failed sign-ins: sign-in is locked; try again in ${seconds} s`
    : `Too many failed sign-ins: wait ${seconds} s before the next attempt`;
  return new AppError('RATE_LIMITED', message, { extensions: { retryAfter: seconds, locked: refusal.isLocked } });
}

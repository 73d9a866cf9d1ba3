/**
 * Server-side sessions: the client holds a random secret (cookie or Bearer);
 * the server keeps only its digest, so a session can be revoked at once by
 * deleting it. A session ends at its absolute expiry, or earlier when idle.
 */
import type { Db, ObjectId } from 'mongodb';
import { SESSIONS_COLLECTION } from './collections.ts';
import { SESSION_PREFIX, digestSecret, newSecret } from './secrets.ts';

export interface SessionOptions {
  /** a session unused this long ends */
  idleMs: number;
  /** a session ends this long after sign-in, used or not */
  absoluteMs: number;
}

/** OWASP Session Management: idle timeout plus an absolute one, a working day long. */
export const DEFAULT_SESSION_OPTIONS: SessionOptions = { idleMs: 2 * 60 * 60 * 1000, absoluteMs: 12 * 60 * 60 * 1000 };
/** `lastSeenAt` is written at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export interface SessionDocument {
  /** digest of the secret */
  _id: string;
  userId: ObjectId;
  createdAt: Date;
  lastSeenAt: Date;
  idleExpiresAt: Date;
  expiresAt: Date;
  /** proof a cookie-authenticated write must carry (X-CSRF-Token) */
  csrfToken: string;
  ip: string;
  userAgent: string;
}

function sessions(db: Db) {
  return db.collection<SessionDocument>(SESSIONS_COLLECTION);
}

export async function createSession(db: Db, input: { userId: ObjectId; ip: string; userAgent: string; options: SessionOptions; now?: Date }): Promise<{ token: string; session: SessionDocument }> {
  const now = input.now ?? new Date();
  const token = newSecret(SESSION_PREFIX);
  const session: SessionDocument = {
    _id: digestSecret(token),
    userId: input.userId,
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: new Date(now.getTime() + input.options.idleMs),
    expiresAt: new Date(now.getTime() + input.options.absoluteMs),
    csrfToken: newSecret(''),
    ip: input.ip,
    userAgent: input.userAgent.slice(0, 256),
  };
  await sessions(db).insertOne(session);
  return { token, session };
}

/** The live session for a secret, or null; refreshes the idle deadline now and then. */
export async function resolveSession(db: Db, token: string, options: SessionOptions, now = new Date()): Promise<SessionDocument | null> {
  if (!token.startsWith(SESSION_PREFIX)) return null;
  const session = await sessions(db).findOne({ _id: digestSecret(token) });
  if (!session || session.expiresAt <= now || session.idleExpiresAt <= now) return null;
  if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    const idleExpiresAt = new Date(Math.min(now.getTime() + options.idleMs, session.expiresAt.getTime()));
    await sessions(db).updateOne({ _id: session._id }, { $set: { lastSeenAt: now, idleExpiresAt } });
  }
  return session;
}

export async function revokeSession(db: Db, sessionId: string): Promise<boolean> {
  return (await sessions(db).deleteOne({ _id: sessionId })).deletedCount > 0;
}

/** Ends every session of a user (password changed, deactivated, deleted), optionally but one. */
export async function revokeUserSessions(db: Db, userId: ObjectId, exceptSessionId?: string): Promise<number> {
  const filter = exceptSessionId ? { userId, _id: { $ne: exceptSessionId } } : { userId };
  return (await sessions(db).deleteMany(filter)).deletedCount;
}

/**
 * Private calendar feed URLs. The token in the URL is the only credential
 * (calendar clients cannot sign in), so it carries 256 random bits and is
 * stored only as its SHA-256 hash. One feed per user: creating a new one
 * replaces the hash, which revokes the old URL at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db, ObjectId } from 'mongodb';

export const CALENDAR_FEEDS_COLLECTION = '_calendar_feeds';
const TOKEN_PREFIX = 'rcf_';
const TOKEN_PATTERN = /^rcf_[A-Za-z0-9_-]{43}$/;

export interface StoredFeed {
  /** the user the feed belongs to */
  _id: ObjectId;
  tokenHash: string;
  createdAt: Date;
  lastFetchedAt?: Date;
}

function feeds(db: Db) {
  return db.collection<StoredFeed>(CALENDAR_FEEDS_COLLECTION);
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export async function ensureFeedIndexes(db: Db): Promise<void> {
  await feeds(db).createIndex({ tokenHash: 1 }, { name: 'feed_token', unique: true });
}

/** A new feed token for the user; any previous one stops working. */
export async function issueFeedToken(db: Db, userId: ObjectId, now: Date): Promise<{ token: string; createdAt: Date }> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  await feeds(db).replaceOne({ _id: userId }, { tokenHash: hashToken(token), createdAt: now }, { upsert: true });
  return { token, createdAt: now };
}

export async function revokeFeedToken(db: Db, userId: ObjectId): Promise<boolean> {
  return (await feeds(db).deleteOne({ _id: userId })).deletedCount === 1;
}

export async function feedStatus(db: Db, userId: ObjectId): Promise<StoredFeed | null> {
  return feeds(db).findOne({ _id: userId }, { projection: { tokenHash: 0 } });
}

/** The user a feed token belongs to; undefined for a malformed, unknown or revoked one. */
export async function resolveFeedToken(db: Db, token: string, now: Date): Promise<ObjectId | undefined> {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  const feed = await feeds(db).findOneAndUpdate({ tokenHash: hashToken(token) }, { $set: { lastFetchedAt: now } }, { projection: { _id: 1 } });
  return feed?._id;
}

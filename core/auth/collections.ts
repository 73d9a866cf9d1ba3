/**
 * The auth module's own collections (leading `_`: never an entity's) and
 * their indexes. TTL indexes let the database drop expired sessions and
 * stale sign-in counters by itself.
 */
import type { Db } from 'mongodb';

export const CREDENTIALS_COLLECTION = '_credentials';
export const SESSIONS_COLLECTION = '_sessions';
export const API_TOKENS_COLLECTION = '_api_tokens';
export const LOGIN_ATTEMPTS_COLLECTION = '_login_attempts';

export async function ensureAuthIndexes(db: Db): Promise<void> {
  await db.collection(SESSIONS_COLLECTION).createIndex({ userId: 1 }, { name: 'user' });
  await db.collection(SESSIONS_COLLECTION).createIndex({ expiresAt: 1 }, { name: 'ttl', expireAfterSeconds: 0 });
  await db.collection(API_TOKENS_COLLECTION).createIndex({ hash: 1 }, { name: 'hash', unique: true });
  await db.collection(API_TOKENS_COLLECTION).createIndex({ userId: 1 }, { name: 'user' });
  await db.collection(LOGIN_ATTEMPTS_COLLECTION).createIndex({ expiresAt: 1 }, { name: 'ttl', expireAfterSeconds: 0 });
}

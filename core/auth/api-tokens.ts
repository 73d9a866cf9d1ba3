/**
 * API tokens for integrators: named, scoped, optionally expiring, stored as
 * a digest (the secret is shown once, at creation), revoked by deletion so
 * that the next request with it is refused.
 */
import { ObjectId, type Db } from 'mongodb';
import { API_TOKENS_COLLECTION } from './collections.ts';
import { API_TOKEN_PREFIX, digestSecret, newSecret } from './secrets.ts';

export interface ApiTokenDocument {
  _id: ObjectId;
  name: string;
  userId: ObjectId;
  scopes: string[];
  /** digest of the secret; the secret itself is never stored */
  hash: string;
  /** first characters of the secret, to recognise it in a list */
  hint: string;
  createdAt: Date;
  expiresAt?: Date;
  lastUsedAt?: Date;
}

/** What listing shows: everything but the digest. */
export type ApiTokenView = Omit<ApiTokenDocument, 'hash'>;

/** Token use is audited at most this often per token (not on every request). */
export const TOKEN_USE_AUDIT_INTERVAL_MS = 60_000;

function tokens(db: Db) {
  return db.collection<ApiTokenDocument>(API_TOKENS_COLLECTION);
}

export async function createApiToken(db: Db, input: { userId: ObjectId; name: string; scopes: string[]; expiresAt?: Date }): Promise<{ token: string; document: ApiTokenDocument }> {
  const token = newSecret(API_TOKEN_PREFIX);
  const document: ApiTokenDocument = {
    _id: new ObjectId(),
    name: input.name,
    userId: input.userId,
    scopes: input.scopes,
    hash: digestSecret(token),
    hint: token.slice(0, API_TOKEN_PREFIX.length + 4),
    createdAt: new Date(),
    ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
  };
  await tokens(db).insertOne(document);
  return { token, document };
}

export async function listApiTokens(db: Db, userId: ObjectId): Promise<ApiTokenView[]> {
  return tokens(db).find({ userId }, { projection: { hash: 0 } }).sort({ createdAt: -1 }).toArray();
}

export async function findApiToken(db: Db, id: ObjectId): Promise<ApiTokenDocument | null> {
  return tokens(db).findOne({ _id: id });
}

export async function revokeApiToken(db: Db, id: ObjectId): Promise<boolean> {
  return (await tokens(db).deleteOne({ _id: id })).deletedCount > 0;
}

export async function revokeUserTokens(db: Db, userId: ObjectId): Promise<number> {
  return (await tokens(db).deleteMany({ userId })).deletedCount;
}

/** The live token for a secret, or null. */
export async function resolveApiToken(db: Db, secret: string, now = new Date()): Promise<ApiTokenDocument | null> {
  if (!secret.startsWith(API_TOKEN_PREFIX)) return null;
  const document = await tokens(db).findOne({ hash: digestSecret(secret) });
  if (!document || (document.expiresAt && document.expiresAt <= now)) return null;
  return document;
}

/**
 * Marks the token used; true when this is the first use within the audit
 * interval (one conditional update, so several processes agree on who audits).
 */
export async function markTokenUsed(db: Db, id: ObjectId, now = new Date()): Promise<boolean> {
  const threshold = new Date(now.getTime() - TOKEN_USE_AUDIT_INTERVAL_MS);
  const result = await tokens(db).updateOne({ _id: id, $or: [{ lastUsedAt: { $exists: false } }, { lastUsedAt: { $lte: threshold } }] }, { $set: { lastUsedAt: now } });
  return result.modifiedCount > 0;
}

/**
 * Password hashes live in their own collection, keyed by user id — never in
 * the user record. So no read path of the record service (lists, expand,
 * history, events, exports, the query field map) can ever reach them.
 */
import type { Db, ObjectId } from 'mongodb';
import { CREDENTIALS_COLLECTION } from './collections.ts';

interface CredentialDocument {
  _id: ObjectId;
  passwordHash: string;
  changedAt: Date;
}

function credentials(db: Db) {
  return db.collection<CredentialDocument>(CREDENTIALS_COLLECTION);
}

export async function storePasswordHash(db: Db, userId: ObjectId, passwordHash: string): Promise<void> {
  await credentials(db).updateOne({ _id: userId }, { $set: { passwordHash, changedAt: new Date() } }, { upsert: true });
}

export async function passwordHashOf(db: Db, userId: ObjectId): Promise<string | null> {
  return (await credentials(db).findOne({ _id: userId }))?.passwordHash ?? null;
}

export async function deleteCredentials(db: Db, userId: ObjectId): Promise<void> {
  await credentials(db).deleteOne({ _id: userId });
}

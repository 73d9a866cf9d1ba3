/**
 * Users are records of the system entity `user` (shipped as metadata in
 * `metadata/system/entities/user.json`). This file reads them for sign-in
 * and authentication; writes go through the generic record service.
 */
import type { Db, ObjectId } from 'mongodb';
import { recordCollectionName } from '../metadata/collections.ts';

export const USER_ENTITY = 'user';

/** The stored fields sign-in and the middleware rely on. */
export interface UserRecord {
  _id: ObjectId;
  email: string;
  name: string;
  locale?: string;
  active?: boolean;
  roles?: unknown;
  directions?: unknown;
  manager?: ObjectId;
  version: number;
  [field: string]: unknown;
}

/** E-mail addresses are compared case-insensitively: stored and looked up lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isActive(user: UserRecord): boolean {
  return user.active !== false;
}

/** A stored list of names (roles, directions), tolerant of bad data: anything else counts as none. */
export function nameList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function users(db: Db) {
  return db.collection<UserRecord>(recordCollectionName(USER_ENTITY));
}

const PROJECTION = { _search: 0, _outbox: 0 } as const;

export async function findUserByEmail(db: Db, email: string): Promise<UserRecord | null> {
  return users(db).findOne({ email: normalizeEmail(email) }, { projection: PROJECTION });
}

export async function loadUser(db: Db, id: ObjectId): Promise<UserRecord | null> {
  return users(db).findOne({ _id: id }, { projection: PROJECTION });
}

export async function countUsers(db: Db): Promise<number> {
  return users(db).countDocuments({}, { limit: 1 });
}

/** The user and everyone below them in the manager hierarchy (breadth-first, bounded). */
export async function teamOf(db: Db, userId: ObjectId, limits = { depth: 10, size: 5000 }): Promise<ObjectId[]> {
  const seen = new Map<string, ObjectId>([[userId.toHexString(), userId]]);
  let frontier = [userId];
  for (let depth = 0; depth < limits.depth && frontier.length > 0 && seen.size < limits.size; depth++) {
    const reports = await users(db)
      .find({ manager: { $in: frontier } }, { projection: { _id: 1 } })
      .limit(limits.size)
      .toArray();
    frontier = [];
    for (const { _id } of reports) {
      if (seen.has(_id.toHexString())) continue;
      seen.set(_id.toHexString(), _id);
      frontier.push(_id);
    }
  }
  return [...seen.values()];
}

/** Whether `managerId` is `userId`'s manager, directly or further up (cycle-safe). */
export async function isManagerOf(db: Db, managerId: ObjectId, userId: ObjectId, maxDepth = 20): Promise<boolean> {
  let current: ObjectId | undefined = userId;
  const seen = new Set<string>();
  for (let depth = 0; current && depth < maxDepth; depth++) {
    if (seen.has(current.toHexString())) return false;
    seen.add(current.toHexString());
    const user: Pick<UserRecord, 'manager'> | null = await users(db).findOne({ _id: current }, { projection: { manager: 1 } });
    current = user?.manager;
    if (current && current.equals(managerId)) return true;
  }
  return false;
}

/**
 * The signed-in user's notifications, newest first, paged by limit and
 * either offset or an opaque cursor (stable while new ones arrive).
 */
import { ObjectId, type Db, type Filter } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { badRequest } from '../../shared/errors.ts';
import { notificationToJson } from '../notification-json.ts';
import { notificationCollection, type StoredNotification } from '../notification-store.ts';
import { signedInUserId } from '../signed-in-user.ts';

export interface NotificationPage {
  items: Record<string, unknown>[];
  total: number;
  unreadCount: number;
  nextCursor?: string;
}

export interface ListNotificationsParams {
  isUnreadOnly: boolean;
  limit: number;
  offset: number;
  cursor?: string;
}

const MAX_LIMIT = 200;

export function parseListNotificationsParams(query: URLSearchParams): ListNotificationsParams {
  for (const key of query.keys()) {
    if (!['unread', 'limit', 'offset', 'cursor'].includes(key)) throw badRequest(`Unknown parameter "${key}"`, [{ path: `/${key}`, message: 'is not a parameter of this list' }]);
  }
  const unread = query.get('unread');
  if (unread !== null && unread !== 'true' && unread !== 'false') throw badRequest('unread must be true or false', [{ path: '/unread', message: 'must be true or false' }]);
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = query.get(name);
    if (raw === null) return fallback;
    if (!/^\d{1,7}$/.test(raw) || Number(raw) < min || Number(raw) > max) throw badRequest(`${name} must be an integer between ${min} and ${max}`, [{ path: `/${name}`, message: `must be an integer between ${min} and ${max}` }]);
    return Number(raw);
  };
  const cursor = query.get('cursor') ?? undefined;
  const offset = integer('offset', 0, 0, 100_000);
  if (cursor !== undefined && offset > 0) throw badRequest('Use either offset or cursor, not both', [{ path: '/cursor', message: 'cannot be combined with offset' }]);
  return { isUnreadOnly: unread === 'true', limit: integer('limit', 50, 1, MAX_LIMIT), offset, cursor };
}

function encodeCursor(doc: StoredNotification): string {
  return Buffer.from(JSON.stringify({ t: doc.createdAt.getTime(), i: doc._id.toHexString() })).toString('base64url');
}

function decodeCursor(cursor: string): { t: number; i: ObjectId } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null) {
      const { t, i } = parsed as { t?: unknown; i?: unknown };
      if (typeof t === 'number' && Number.isSafeInteger(t) && typeof i === 'string' && /^[0-9a-f]{24}$/.test(i)) return { t, i: new ObjectId(i) };
    }
  } catch {
    // fall through
  }
  throw badRequest('cursor is not one this list handed out', [{ path: '/cursor', message: 'is invalid' }]);
}

export async function listNotifications(input: { ctx: RequestContext; deps: { db: Db }; params: ListNotificationsParams }): Promise<NotificationPage> {
  const userId = signedInUserId(input.ctx);
  const { params } = input;
  const collection = notificationCollection(input.deps.db);
  const base: Filter<StoredNotification> = { userId, ...(params.isUnreadOnly ? { readAt: null } : {}) };
  let page: Filter<StoredNotification> = base;
  if (params.cursor) {
    const { t, i } = decodeCursor(params.cursor);
    const at = new Date(t);
    page = { $and: [base, { $or: [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: i } }] }] };
  }
  const [docs, total, unreadCount] = await Promise.all([
    collection.find(page).sort({ createdAt: -1, _id: -1 }).skip(params.offset).limit(params.limit + 1).toArray(),
    collection.countDocuments(base),
    collection.countDocuments({ userId, readAt: null }),
  ]);
  const hasMore = docs.length > params.limit;
  const items = docs.slice(0, params.limit);
  return {
    items: items.map(notificationToJson),
    total,
    unreadCount,
    ...(hasMore ? { nextCursor: encodeCursor(items[items.length - 1]!) } : {}),
  };
}

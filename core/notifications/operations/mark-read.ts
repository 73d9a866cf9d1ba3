import { ObjectId, type Db } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { notFound } from '../../shared/errors.ts';
import { notificationToJson } from '../notification-json.ts';
import { notificationCollection } from '../notification-store.ts';
import { signedInUserId } from '../signed-in-user.ts';

/**
 * Marks one of the signed-in user's notifications read (again: harmless, the
 * first time is kept). Someone else's notification is a 404, like a missing one.
 */
export async function markNotificationRead(input: { ctx: RequestContext; deps: { db: Db }; id: string }): Promise<Record<string, unknown>> {
  const userId = signedInUserId(input.ctx);
  if (!/^[0-9a-f]{24}$/i.test(input.id)) throw notFound(`No notification with id ${input.id}`);
  const collection = notificationCollection(input.deps.db);
  const _id = new ObjectId(input.id);
  await collection.updateOne({ _id, userId, readAt: null }, { $set: { readAt: new Date() } });
  const doc = await collection.findOne({ _id, userId });
  if (!doc) throw notFound(`No notification with id ${input.id}`);
  return notificationToJson(doc);
}

/** Marks every unread notification of the signed-in user read. */
export async function markAllNotificationsRead(input: { ctx: RequestContext; deps: { db: Db } }): Promise<{ updated: number }> {
  const userId = signedInUserId(input.ctx);
  const result = await notificationCollection(input.deps.db).updateMany({ userId, readAt: null }, { $set: { readAt: new Date() } });
  return { updated: result.modifiedCount };
}

/**
 * Notify actions used to write to `_rule_notifications`, which no user
 * could read. At start-up its documents move into the inbox (kind `rule`,
 * read state and time kept, no e-mail: they are old news) under the key a
 * re-delivered event would give them, and the collection is dropped.
 * Idempotent: processes starting together may each run it.
 */
import type { Db, ObjectId } from 'mongodb';
import { notificationCollection } from '../notifications/notification-store.ts';
import type { Logger } from '../observability/logger.ts';

export const LEGACY_RULE_NOTIFICATIONS = '_rule_notifications';

interface LegacyNotification {
  _id: ObjectId;
  key: string;
  userId: ObjectId;
  rule: string;
  title: string;
  body: string;
  link?: { entity: string; id: string };
  createdAt: Date;
  readAt: Date | null;
}

const isDuplicateKey = (error: unknown): boolean => (error as { code?: unknown }).code === 11000;

export async function moveLegacyRuleNotifications(input: { db: Db; logger: Logger }): Promise<number> {
  const { db, logger } = input;
  const isPresent = (await db.listCollections({ name: LEGACY_RULE_NOTIFICATIONS }, { nameOnly: true }).toArray()).length > 0;
  if (!isPresent) return 0;
  let moved = 0;
  for await (const doc of db.collection<LegacyNotification>(LEGACY_RULE_NOTIFICATIONS).find({})) {
    const { _id, key, userId, rule, title, body, link, createdAt, readAt } = doc;
    try {
      const result = await notificationCollection(db).updateOne(
        { key: `rule:${key}` },
        { $setOnInsert: { _id, key: `rule:${key}`, userId, kind: 'rule', rule, title, body, ...(link ? { link } : {}), createdAt, readAt: readAt ?? null } },
        { upsert: true },
      );
      moved += result.upsertedCount;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error; // another process moved it just now
    }
  }
  try {
    await db.collection(LEGACY_RULE_NOTIFICATIONS).drop();
  } catch (error) {
    // Already dropped by another process; anything else is logged and retried at the next start.
    if ((error as { code?: unknown }).code !== 26) logger.warn({ err: error }, `could not drop ${LEGACY_RULE_NOTIFICATIONS}`);
  }
  if (moved > 0) logger.info({ moved }, 'rule notifications moved into the users\' inboxes');
  return moved;
}

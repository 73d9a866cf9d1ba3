/**
 * The notification sink of notify actions: `_rule_notifications`, one
 * document per (rule run, recipient) under a unique key, shaped like the
 * in-app inbox's notifications (user, title, body, link, read state) so
 * they can join the inbox once it accepts a rule kind.
 */
import { ObjectId, type Db } from 'mongodb';
import { isDuplicateKey } from './store.ts';
import type { RuleNotification, RuleNotifier } from './runtime.ts';

export const RULE_NOTIFICATIONS_COLLECTION = '_rule_notifications';

export interface StoredRuleNotification extends RuleNotification {
  _id: ObjectId;
  createdAt: Date;
  readAt: Date | null;
}

export async function ensureRuleNotificationIndexes(db: Db): Promise<void> {
  const collection = db.collection<StoredRuleNotification>(RULE_NOTIFICATIONS_COLLECTION);
  await collection.createIndex({ key: 1 }, { name: 'rule_notification_key', unique: true });
  await collection.createIndex({ userId: 1, createdAt: -1 }, { name: 'rule_notification_inbox' });
}

export function collectionNotifier(db: Db): RuleNotifier {
  return {
    async notify(notification, now) {
      try {
        const result = await db
          .collection<StoredRuleNotification>(RULE_NOTIFICATIONS_COLLECTION)
          .updateOne({ key: notification.key }, { $setOnInsert: { _id: new ObjectId(), ...notification, createdAt: now, readAt: null } }, { upsert: true });
        return result.upsertedCount === 1;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
  };
}

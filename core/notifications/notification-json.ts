import type { StoredNotification } from './notification-store.ts';

/** The API form of a notification. */
export function notificationToJson(doc: StoredNotification): Record<string, unknown> {
  return {
    _id: doc._id.toHexString(),
    kind: doc.kind,
    title: doc.title,
    body: doc.body,
    ...(doc.link ? { link: doc.link } : {}),
    ...(doc.eventAt ? { eventAt: doc.eventAt.toISOString() } : {}),
    createdAt: doc.createdAt.toISOString(),
    readAt: doc.readAt ? doc.readAt.toISOString() : null,
    isRead: doc.readAt !== null,
  };
}

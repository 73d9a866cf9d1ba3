import type { StoredNotification } from './notification-store.ts';

/** The API form of a notification (the state of its e-mail copy is the workers' business, not shown). */
export function notificationToJson(doc: StoredNotification): Record<string, unknown> {
  return {
    _id: doc._id.toHexString(),
    kind: doc.kind,
    title: doc.title,
    body: doc.body,
    ...(doc.link ? { link: doc.link } : {}),
    ...(doc.rule ? { rule: doc.rule } : {}),
    ...(doc.eventAt ? { eventAt: doc.eventAt.toISOString() } : {}),
    createdAt: doc.createdAt.toISOString(),
    readAt: doc.readAt ? doc.readAt.toISOString() : null,
    isRead: doc.readAt !== null,
  };
}

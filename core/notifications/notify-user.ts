/**
 * How another module (the rule engine) tells a user something: a
 * notification in the user's inbox, created once per key, and — unless it is
 * meant for the inbox only — an e-mail copy, which the workers' sweep sends
 * on the same conditions as reminders (mail is configured, the user has an
 * address and is not deactivated). Callers pass this in; the notifications
 * module imports none of them.
 */
import type { Db, ObjectId } from 'mongodb';
import { notifyOnce, type NotificationKind, type NotificationLink } from './notification-store.ts';

export interface UserNotice {
  kind: Exclude<NotificationKind, 'reminder' | 'overdue'>;
  /** what it is about within its kind; the stored key is `<kind>:<key>` */
  key: string;
  userId: ObjectId;
  title: string;
  body: string;
  link?: NotificationLink;
  /** kind `rule`: the rule's name */
  rule?: string;
  /** false: inbox only */
  isEmailed: boolean;
}

/** Answers whether this call created the notification (false: it existed already). */
export async function notifyUser(input: { db: Db; notice: UserNotice; now: Date }): Promise<boolean> {
  const { notice, now } = input;
  return notifyOnce(
    input.db,
    {
      key: `${notice.kind}:${notice.key}`,
      userId: notice.userId,
      kind: notice.kind,
      title: notice.title,
      body: notice.body,
      ...(notice.link ? { link: notice.link } : {}),
      ...(notice.rule ? { rule: notice.rule } : {}),
      ...(notice.isEmailed ? { email: { state: 'pending', nextAttemptAt: now, failures: 0 } } : {}),
    },
    now,
  );
}

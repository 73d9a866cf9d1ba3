/**
 * Where notify actions deliver: the recipient's inbox (core/notifications,
 * kind `rule`), one notification per (rule run, recipient) under a unique
 * key, with an e-mail copy unless the action is for the inbox only. The
 * rule engine depends on the notifications module, never the reverse.
 */
import type { Db } from 'mongodb';
import { notifyUser } from '../notifications/notify-user.ts';
import type { RuleNotifier } from './runtime.ts';

export function inboxNotifier(db: Db): RuleNotifier {
  return {
    notify: (notification, now) =>
      notifyUser({
        db,
        notice: {
          kind: 'rule',
          key: notification.key,
          userId: notification.userId,
          title: notification.title,
          body: notification.body,
          link: notification.link,
          rule: notification.rule,
          isEmailed: notification.isEmailed,
        },
        now,
      }),
  };
}

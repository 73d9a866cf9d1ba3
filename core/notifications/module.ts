/**
 * The notifications module as the platform assembles it: its indexes, the
 * inbox routes, and the after-hook that keeps the reminder schedule
 * following activity changes. Delivery runs in the workers.
 */
import type { Hono } from 'hono';
import type { Db } from 'mongodb';
import type { EventBus } from '../events/bus.ts';
import type { AppEnv } from '../http/env.ts';
import type { JobQueue } from '../jobs/job-kinds.ts';
import type { Logger } from '../observability/logger.ts';
import { ensureNotificationIndexes } from './notification-store.ts';
import { ensureReminderIndexes } from './reminders/reminder-store.ts';
import { subscribeReminderScheduling } from './reminders/subscribe.ts';
import { notificationRoutes } from './routes.ts';

export interface NotificationsModule {
  mounts: Array<{ path: string; routes: Hono<AppEnv> }>;
  close(): void;
}

export async function createNotificationsModule(input: { db: Db; logger: Logger; bus: EventBus; jobs?: JobQueue }): Promise<NotificationsModule> {
  const { db, logger, bus } = input;
  await ensureNotificationIndexes(db);
  await ensureReminderIndexes(db);
  const unsubscribe = subscribeReminderScheduling({ bus, deps: { db, logger, jobs: input.jobs } });
  return {
    mounts: [{ path: '/api/v1/notifications', routes: notificationRoutes({ db }) }],
    close: unsubscribe,
  };
}

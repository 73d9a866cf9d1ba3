/**
 * Thin routes of the signed-in user's notification inbox.
 */
import { Hono } from 'hono';
import type { Db } from 'mongodb';
import type { AppEnv } from '../http/env.ts';
import { requestContext } from '../http/request-context.ts';
import { listNotifications, parseListNotificationsParams } from './operations/list-notifications.ts';
import { markAllNotificationsRead, markNotificationRead } from './operations/mark-read.ts';

export function notificationRoutes(deps: { db: Db }): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/', async (c) => {
    const ctx = requestContext(c);
    const params = parseListNotificationsParams(new URL(c.req.url).searchParams);
    return c.json(await listNotifications({ ctx, deps, params }));
  });

  routes.post('/read-all', async (c) => c.json(await markAllNotificationsRead({ ctx: requestContext(c), deps })));

  routes.post('/:id/read', async (c) => c.json(await markNotificationRead({ ctx: requestContext(c), deps, id: c.req.param('id') })));

  return routes;
}

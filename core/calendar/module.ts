/**
 * The calendar module as the platform assembles it: feed token index, the
 * feed routes, the per-activity invitation route, and the feed itself as a
 * middleware that must run before session authentication (calendar clients
 * hold a feed token, not a session).
 */
import type { Hono, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.ts';
import type { RecordDeps } from '../records/deps.ts';
import { ensureFeedIndexes } from './feed-tokens.ts';
import { activityIcsRoutes, calendarRoutes, publicFeedMiddleware } from './routes.ts';

export async function createCalendarModule(input: { records: RecordDeps; trustProxy?: boolean }): Promise<{ mounts: Array<{ path: string; routes: Hono<AppEnv> }>; publicFeed: MiddlewareHandler<AppEnv> }> {
  const { records } = input;
  await ensureFeedIndexes(records.db);
  return {
    publicFeed: publicFeedMiddleware({ db: records.db, registry: records.registry }),
    mounts: [
      { path: '/api/v1/calendar', routes: calendarRoutes({ db: records.db, registry: records.registry, trustProxy: input.trustProxy }) },
      { path: '/api/v1/data', routes: activityIcsRoutes(records) },
    ],
  };
}

/**
 * The calendar module as the platform assembles it: feed token index, the
 * feed routes and the per-activity invitation route.
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import type { RecordDeps } from '../records/deps.ts';
import { ensureFeedIndexes } from './feed-tokens.ts';
import { activityIcsRoutes, calendarRoutes } from './routes.ts';

export async function createCalendarModule(input: { records: RecordDeps; trustProxy?: boolean }): Promise<{ mounts: Array<{ path: string; routes: Hono<AppEnv> }> }> {
  const { records } = input;
  await ensureFeedIndexes(records.db);
  return {
    mounts: [
      { path: '/api/v1/calendar', routes: calendarRoutes({ db: records.db, registry: records.registry, trustProxy: input.trustProxy }) },
      { path: '/api/v1/data', routes: activityIcsRoutes(records) },
    ],
  };
}

/**
 * Thin routes of the engagement panels and actions, mounted beside the
 * generic records API: parse, then call one operation.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { requestContext } from '../http/request-context.ts';
import type { RecordDeps } from '../records/deps.ts';
import { recordSummary } from './summary/operation.ts';
import { recordTimeline } from './timeline/operation.ts';

/** Under `/api/v1/data`: `/:entity/:id/timeline` … */
export function engagementDataRoutes(deps: RecordDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/:entity/:id/timeline', async (c) => {
    const page = await recordTimeline({ ctx: requestContext(c), deps, entity: c.req.param('entity'), id: c.req.param('id'), params: new URL(c.req.url).searchParams });
    return c.json(page);
  });
  return routes;
}

/** Under `/api/v1/summary`: `/:entity/:id`, the client summary page. */
export function summaryRoutes(deps: RecordDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/:entity/:id', async (c) => c.json(await recordSummary({ ctx: requestContext(c), deps, entity: c.req.param('entity'), id: c.req.param('id') })));
  return routes;
}

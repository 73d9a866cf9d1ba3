/**
 * Thin calendar routes.
 * - `/api/v1/calendar/feed`: the signed-in user's private feed URL (POST
 *   issues a new one and revokes the old, DELETE revokes, GET tells whether
 *   one exists);
 * - `/api/v1/calendar/feed/<token>.ics`: the feed itself, for calendar
 *   clients, which cannot sign in: the token is the credential, so it is
 *   served by a middleware placed before session authentication;
 * - `/api/v1/data/activity/:id/ics`: one activity as an invitation.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { requestContext } from '../http/request-context.ts';
import type { RecordDeps } from '../records/deps.ts';
import { ICS_CONTENT_TYPE } from './ics.ts';
import { activityInvitation } from './operations/activity-invitation.ts';
import { calendarFeedStatus, issueCalendarFeed, renderCalendarFeed, revokeCalendarFeed, type CalendarDeps } from './operations/feed.ts';

/** Where clients reach this server: the request's own origin, or the proxy's when trusted. */
function publicBaseUrl(c: Context<AppEnv>, trustProxy: boolean): string {
  const url = new URL(c.req.url);
  const first = (name: string) => c.req.header(name)?.split(',')[0]?.trim();
  const proto = trustProxy ? first('x-forwarded-proto') : undefined;
  const host = trustProxy ? first('x-forwarded-host') : undefined;
  const scheme = proto && /^https?$/.test(proto) ? proto : url.protocol.slice(0, -1);
  return `${scheme}://${host && /^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host) ? host : url.host}`;
}

export function calendarRoutes(deps: CalendarDeps & { trustProxy?: boolean }): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/feed', async (c) => c.json(await calendarFeedStatus({ ctx: requestContext(c), deps })));

  routes.post('/feed', async (c) => c.json(await issueCalendarFeed({ ctx: requestContext(c), deps, baseUrl: publicBaseUrl(c, deps.trustProxy ?? false) }), 201));

  routes.delete('/feed', async (c) => {
    await revokeCalendarFeed({ ctx: requestContext(c), deps });
    return c.body(null, 204);
  });

  return routes;
}

export function activityIcsRoutes(deps: RecordDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/activity/:id/ics', async (c) => {
    const { ics, filename } = await activityInvitation({ ctx: requestContext(c), deps, id: c.req.param('id') });
    return c.body(ics, 200, { 'content-type': `${ICS_CONTENT_TYPE}; method=REQUEST`, 'content-disposition': `attachment; filename="${filename}"` });
  });
  return routes;
}

/** FEED_PATH + `<token>.ics` */
const FEED_FILE = /^\/api\/v1\/calendar\/feed\/([^/]{1,200})\.ics$/;

/**
 * Serves `GET /api/v1/calendar/feed/<token>.ics` without a session. Placed
 * before authentication; every other request passes through untouched.
 */
export function publicFeedMiddleware(deps: CalendarDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const match = c.req.method === 'GET' ? FEED_FILE.exec(c.req.path) : null;
    if (!match) return next();
    const ics = await renderCalendarFeed({ deps, token: match[1]! });
    return c.body(ics, 200, { 'content-type': ICS_CONTENT_TYPE, 'cache-control': 'private, no-cache', 'x-robots-tag': 'noindex' });
  };
}

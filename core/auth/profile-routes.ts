/**
 * `PATCH /api/v1/auth/me` `{ locale?, timeZone?, reminderLeadMinutes? }`:
 * the signed-in user changes their own preferences (profile.ts); answers
 * like `GET /api/v1/auth/me`, with the record's ETag (If-Match is honoured).
 * Mounted beside the auth routes because it writes through the record
 * service, which is assembled after the auth module.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { etag, readIfMatch, readJsonBody } from '../http/json-body.ts';
import { requestContext } from '../http/request-context.ts';
import type { RecordDeps } from '../records/deps.ts';
import { updateOwnProfile } from './profile.ts';
import { meJson } from './routes.ts';

export function profileRoutes(records: RecordDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.patch('/me', async (c) => {
    const ctx = requestContext(c);
    const user = await updateOwnProfile({ ctx, records, body: await readJsonBody(c, 16 * 1024), expectedVersion: readIfMatch(c) });
    c.header('ETag', etag(user.version));
    return c.json(meJson(ctx.principal, user));
  });
  return routes;
}

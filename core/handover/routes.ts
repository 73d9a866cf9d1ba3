/**
 * `POST /api/v1/handover` `{ from, to, until?, entities? }` → the number of
 * records reassigned per entity. `GET /api/v1/handover` (administrators):
 * recent handovers and pending returns.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { readJsonBody } from '../http/json-body.ts';
import { requestContext } from '../http/request-context.ts';
import { forbidden } from '../shared/errors.ts';
import { handover, type HandoverDeps } from './handover.ts';
import { handovers } from './store.ts';

export function handoverRoutes(deps: HandoverDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post('/', async (c) => c.json(await handover({ ctx: requestContext(c), deps, body: await readJsonBody(c, 16 * 1024) })));
  routes.get('/', async (c) => {
    if (!requestContext(c).principal.isAdmin) throw forbidden('Only administrators may list handovers');
    const items = await handovers(deps.records.db).find({}).sort({ at: -1 }).limit(100).toArray();
    return c.json({
      items: items.map((doc) => ({
        _id: doc._id.toHexString(),
        from: doc.from.toHexString(),
        to: doc.to.toHexString(),
        by: doc.by?.toHexString() ?? null,
        at: doc.at.toISOString(),
        until: doc.until?.toISOString() ?? null,
        status: doc.status,
        reassigned: doc.reassigned,
        failed: doc.failed,
        returned: doc.returned ?? null,
      })),
    });
  });
  return routes;
}

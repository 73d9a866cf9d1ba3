/**
 * Thin routes of the engagement panels and actions, mounted beside the
 * generic records API: parse, then call one operation.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { etag, readIfMatch, readJsonBody } from '../http/json-body.ts';
import { requestContext } from '../http/request-context.ts';
import type { RecordDeps } from '../records/deps.ts';
import { duplicateCandidates } from './duplicates/operation.ts';
import { completeItem } from './follow-up/complete.ts';
import { createNextItem } from './follow-up/next.ts';
import { mergeRecords } from './merge/operation.ts';
import { recordSummary } from './summary/operation.ts';
import { recordTimeline } from './timeline/operation.ts';

/** Under `/api/v1/data`: timeline, complete and next, duplicates, merge. */
export function engagementDataRoutes(deps: RecordDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/:entity/:id/timeline', async (c) => {
    const page = await recordTimeline({ ctx: requestContext(c), deps, entity: c.req.param('entity'), id: c.req.param('id'), params: new URL(c.req.url).searchParams });
    return c.json(page);
  });

  routes.post('/:entity/duplicates', async (c) => {
    return c.json(await duplicateCandidates({ ctx: requestContext(c), deps, entity: c.req.param('entity'), body: await readJsonBody(c) }));
  });

  routes.post('/:entity/:id/complete', async (c) => {
    const completion = await completeItem({
      ctx: requestContext(c),
      deps,
      entity: c.req.param('entity'),
      id: c.req.param('id'),
      data: await readJsonBody(c),
      expectedVersion: readIfMatch(c),
    });
    c.header('ETag', etag(completion.record.version));
    return c.json(completion);
  });

  routes.post('/:entity/:id/next', async (c) => {
    const record = await createNextItem({ ctx: requestContext(c), deps, entity: c.req.param('entity'), id: c.req.param('id'), data: await readJsonBody(c) });
    c.header('Location', `/api/v1/data/${c.req.param('entity')}/${String(record._id)}`);
    c.header('ETag', etag(record.version));
    return c.json(record, 201);
  });

  routes.post('/:entity/:id/merge', async (c) => {
    const result = await mergeRecords({ ctx: requestContext(c), deps, entity: c.req.param('entity'), id: c.req.param('id'), body: await readJsonBody(c) });
    c.header('ETag', etag(result.record.version));
    return c.json(result);
  });
  return routes;
}

/** Under `/api/v1/summary`: `/:entity/:id`, the client summary page. */
export function summaryRoutes(deps: RecordDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/:entity/:id', async (c) => c.json(await recordSummary({ ctx: requestContext(c), deps, entity: c.req.param('entity'), id: c.req.param('id') })));
  return routes;
}

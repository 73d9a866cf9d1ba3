/**
 * Thin routes of the sales process: transitions and stage history under
 * `/api/v1/data/:entity/:id/…`, board data under `/api/v1/board/:entity`.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { etag, readIfMatch, readJsonBody } from '../http/json-body.ts';
import { pageParam } from '../http/page-params.ts';
import { requestContext } from '../http/request-context.ts';
import type { RecordDeps } from '../records/deps.ts';
import { boardData } from './operations/board.ts';
import { stageHistory } from './operations/stage-history.ts';
import { parseTransitionBody, transitionRecord } from './operations/transition.ts';

export function pipelineDataRoutes(deps: RecordDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post('/:entity/:id/transition', async (c) => {
    const record = await transitionRecord({
      ctx: requestContext(c),
      deps,
      entity: c.req.param('entity'),
      id: c.req.param('id'),
      request: parseTransitionBody(await readJsonBody(c)),
      expectedVersion: readIfMatch(c),
    });
    c.header('ETag', etag(record.version));
    return c.json(record);
  });
  routes.get('/:entity/:id/stages', async (c) => {
    const result = await stageHistory({
      ctx: requestContext(c),
      deps,
      entity: c.req.param('entity'),
      id: c.req.param('id'),
      limit: pageParam(c.req.query('limit'), 'limit', 100, 500),
      offset: pageParam(c.req.query('offset'), 'offset', 0, 100_000),
    });
    return c.json(result);
  });
  return routes;
}

export function boardRoutes(deps: RecordDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get('/:entity', async (c) => c.json(await boardData({ ctx: requestContext(c), deps, entity: c.req.param('entity'), params: new URL(c.req.url).searchParams })));
  return routes;
}

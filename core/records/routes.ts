/**
 * Thin routes of the generic records API: parse, then call one operation.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { etag, readIfMatch, readJsonBody } from '../http/json-body.ts';
import { pageParam } from '../http/page-params.ts';
import { requestContext } from '../http/request-context.ts';
import { adviseOnCreate, type RecordDeps } from './deps.ts';
import { bulkRecords } from './operations/bulk.ts';
import { createRecord } from './operations/create.ts';
import { deleteRecord } from './operations/delete.ts';
import { findRecord } from './operations/find-one.ts';
import { findRecords } from './operations/find.ts';
import { recordHistory } from './operations/history.ts';
import { updateRecord } from './operations/update.ts';

function listParam(raw: string | undefined): string[] | undefined {
  return raw === undefined ? undefined : raw.split(',').map((part) => part.trim()).filter(Boolean);
}

export function recordRoutes(deps: RecordDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get('/:entity', async (c) => {
    const result = await findRecords({ ctx: requestContext(c), deps, entity: c.req.param('entity'), params: new URL(c.req.url).searchParams });
    return c.json(result);
  });

  routes.post('/:entity', async (c) => {
    const ctx = requestContext(c);
    const record = await createRecord({ ctx, deps, entity: c.req.param('entity'), data: await readJsonBody(c) });
    // Advice (possible duplicates …) never blocks: the record is created either way.
    const warnings = await adviseOnCreate({ ctx, deps, entity: c.req.param('entity'), record });
    c.header('Location', `/api/v1/data/${c.req.param('entity')}/${String(record._id)}`);
    c.header('ETag', etag(record.version));
    return c.json(warnings.length > 0 ? { ...record, warnings } : record, 201);
  });

  routes.post('/:entity/bulk', async (c) => {
    const result = await bulkRecords({ ctx: requestContext(c), deps, entity: c.req.param('entity'), body: await readJsonBody(c, 8 * 1024 * 1024) });
    return c.json(result, 200);
  });

  routes.get('/:entity/:id', async (c) => {
    const fields = listParam(c.req.query('fields'));
    const record = await findRecord({
      ctx: requestContext(c),
      deps,
      entity: c.req.param('entity'),
      id: c.req.param('id'),
      fields: fields ? new Set(fields) : undefined,
      expand: listParam(c.req.query('expand')),
    });
    c.header('ETag', etag(record.version));
    return c.json(record);
  });

  routes.patch('/:entity/:id', async (c) => {
    const record = await updateRecord({
      ctx: requestContext(c),
      deps,
      entity: c.req.param('entity'),
      id: c.req.param('id'),
      expectedVersion: readIfMatch(c),
      data: await readJsonBody(c),
    });
    c.header('ETag', etag(record.version));
    return c.json(record);
  });

  routes.delete('/:entity/:id', async (c) => {
    await deleteRecord({ ctx: requestContext(c), deps, entity: c.req.param('entity'), id: c.req.param('id'), expectedVersion: readIfMatch(c) });
    return c.body(null, 204);
  });

  routes.get('/:entity/:id/history', async (c) => {
    const result = await recordHistory({
      ctx: requestContext(c),
      deps,
      entity: c.req.param('entity'),
      id: c.req.param('id'),
      limit: pageParam(c.req.query('limit'), 'limit', 50, 500),
      offset: pageParam(c.req.query('offset'), 'offset', 0, 100000),
    });
    return c.json(result);
  });

  return routes;
}

/**
 * Admin routes for metadata (`/api/v1/meta`). Thin: parse, authorise, call
 * one operation.
 */
import { Hono, type Context } from 'hono';
import { entityForCaller } from '../access/entity-view.ts';
import { allowAll, type AccessPolicy } from '../access/policy.ts';
import type { AppEnv } from '../http/env.ts';
import { readIfMatch, readJsonBody } from '../http/json-body.ts';
import { requestContext } from '../http/request-context.ts';
import { badRequest, forbidden, notFound } from '../shared/errors.ts';
import { compileEntitySchema } from './compile-schema.ts';
import { createDocument, deleteDocument, updateDocument, type DocumentKind } from './operations/documents.ts';
import { addField, createEntity, retireField, rollbackEntity, updateEntity, updateField } from './operations/entities.ts';
import type { MetadataDeps } from './service-deps.ts';
import type { EntityDefinition, PipelineDefinition } from './types.ts';

function adminContext(c: Context<AppEnv>) {
  const ctx = requestContext(c);
  if (!ctx.principal.isAdmin) throw forbidden('Only administrators may manage this metadata');
  return ctx;
}

function isForced(c: Context<AppEnv>): boolean {
  const raw = c.req.query('force');
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true' || raw === '') return true;
  throw badRequest('force must be true or false');
}

/** Kinds every signed-in user may read (the UI needs them); the others are for administrators. */
const READABLE_KINDS: ReadonlySet<DocumentKind> = new Set(['direction', 'pipeline']);

export function metadataRoutes(deps: MetadataDeps, options: { access?: AccessPolicy } = {}): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const access = options.access ?? allowAll;
  // An entity the caller may not read is unknown to them (404), as its records are.
  const isReadable = (c: Context<AppEnv>, entity: EntityDefinition) => access.recordFilter({ ctx: requestContext(c), entity, action: 'read' }) !== false;
  /** The definition as the caller may see it (fields they may not read left out). */
  const entityOrThrow = (c: Context<AppEnv>, name: string): EntityDefinition => {
    const entity = deps.registry.entity(name);
    if (!entity || !isReadable(c, entity)) throw notFound(`Unknown entity "${name}"`);
    return entityForCaller(access, requestContext(c), entity);
  };

  routes.get('/entities', (c) => {
    const items = [...deps.registry.snapshot.entities.values()]
      .filter((entity) => isReadable(c, entity))
      .map((entity) => entityForCaller(access, requestContext(c), entity))
      .sort((a, b) => a.name.localeCompare(b.name));
    return c.json({ items, revision: deps.registry.snapshot.revision });
  });
  routes.get('/entities/:entity', (c) => {
    const entity = entityOrThrow(c, c.req.param('entity'));
    c.header('ETag', `"${entity.revision}"`);
    return c.json(entity);
  });
  routes.get('/entities/:entity/schema', (c) => {
    const entity = entityOrThrow(c, c.req.param('entity'));
    const which = c.req.query('for') ?? 'create';
    const schemas = compileEntitySchema(entity);
    if (which !== 'create' && which !== 'update' && which !== 'response') throw badRequest('for must be create, update or response');
    return c.json(schemas[which]);
  });
  routes.get('/entities/:entity/revisions', async (c) => {
    adminContext(c);
    entityOrThrow(c, c.req.param('entity'));
    const items = await deps.store.history('entity', c.req.param('entity'));
    return c.json({ items });
  });

  routes.post('/entities', async (c) => {
    const entity = await createEntity({ ctx: adminContext(c), deps, definition: await readJsonBody(c) });
    c.header('Location', `/api/v1/meta/entities/${entity.name}`);
    return c.json(entity, 201);
  });
  routes.patch('/entities/:entity', async (c) => {
    const ctx = adminContext(c);
    return c.json(await updateEntity({ ctx, deps, name: c.req.param('entity'), patch: await readJsonBody(c), expectedRevision: readIfMatch(c) }));
  });
  routes.post('/entities/:entity/fields', async (c) => {
    const ctx = adminContext(c);
    const entity = await addField({ ctx, deps, entity: c.req.param('entity'), field: await readJsonBody(c), expectedRevision: readIfMatch(c) });
    return c.json(entity, 201);
  });
  routes.patch('/entities/:entity/fields/:field', async (c) => {
    const ctx = adminContext(c);
    return c.json(
      await updateField({
        ctx,
        deps,
        entity: c.req.param('entity'),
        field: c.req.param('field'),
        patch: await readJsonBody(c),
        isForced: isForced(c),
        expectedRevision: readIfMatch(c),
      }),
    );
  });
  routes.delete('/entities/:entity/fields/:field', async (c) => {
    const ctx = adminContext(c);
    return c.json(await retireField({ ctx, deps, entity: c.req.param('entity'), field: c.req.param('field'), expectedRevision: readIfMatch(c) }));
  });
  routes.post('/entities/:entity/rollback', async (c) => {
    const ctx = adminContext(c);
    const body = (await readJsonBody(c)) as { revision?: unknown };
    if (typeof body !== 'object' || body === null || !Number.isInteger(body.revision)) throw badRequest('Body must be { "revision": <integer> }', [{ path: '/revision', message: 'must be an integer' }]);
    return c.json(await rollbackEntity({ ctx, deps, entity: c.req.param('entity'), revision: body.revision as number, isForced: isForced(c) }));
  });

  // Directions, roles, pipelines and rules: one CRUD pattern.
  const collections: Array<[string, DocumentKind]> = [['directions', 'direction'], ['roles', 'role'], ['pipelines', 'pipeline'], ['rules', 'rule']];
  for (const [path, kind] of collections) {
    const isVisible = (c: Context<AppEnv>, definition: unknown) => {
      if (!READABLE_KINDS.has(kind)) return requestContext(c).principal.isAdmin;
      if (kind !== 'pipeline') return true;
      const entity = deps.registry.entity((definition as PipelineDefinition).entity);
      return entity !== undefined && isReadable(c, entity);
    };
    routes.get(`/${path}`, (c) => {
      if (!READABLE_KINDS.has(kind)) adminContext(c);
      const items = [...deps.registry.snapshot.byKind(kind).values()]
        .filter((doc) => isVisible(c, doc.definition))
        .map((doc) => ({ ...(doc.definition as object), revision: doc.revision }))
        .sort((a, b) => String((a as unknown as { name: string }).name).localeCompare(String((b as unknown as { name: string }).name)));
      return c.json({ items });
    });
    routes.get(`/${path}/:name`, (c) => {
      if (!READABLE_KINDS.has(kind)) adminContext(c);
      const doc = deps.registry.snapshot.byKind(kind).get(c.req.param('name'));
      if (!doc || !isVisible(c, doc.definition)) throw notFound(`Unknown ${kind} "${c.req.param('name')}"`);
      c.header('ETag', `"${doc.revision}"`);
      return c.json({ ...(doc.definition as object), revision: doc.revision });
    });
    routes.get(`/${path}/:name/revisions`, async (c) => {
      adminContext(c);
      return c.json({ items: await deps.store.history(kind, c.req.param('name')) });
    });
    routes.post(`/${path}`, async (c) => {
      const ctx = adminContext(c);
      const doc = await createDocument({ ctx, deps, kind, body: await readJsonBody(c) });
      c.header('Location', `/api/v1/meta/${path}/${doc.name}`);
      return c.json(doc, 201);
    });
    routes.patch(`/${path}/:name`, async (c) => {
      const ctx = adminContext(c);
      return c.json(await updateDocument({ ctx, deps, kind, name: c.req.param('name'), patch: await readJsonBody(c), expectedRevision: readIfMatch(c) }));
    });
    routes.delete(`/${path}/:name`, async (c) => {
      const ctx = adminContext(c);
      await deleteDocument({ ctx, deps, kind, name: c.req.param('name'), expectedRevision: readIfMatch(c) });
      return c.body(null, 204);
    });
  }

  return routes;
}

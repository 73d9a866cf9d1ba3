/**
 * OpenAPI 3.1 description generated from the live metadata and the live
 * route table: the generic records API spelled out per entity (with its
 * create/update/response schemas), the platform's own endpoints
 * (platform-paths.ts), and every other route the app serves
 * (route-table.ts). Cached per metadata revision and route table.
 */
import { pascal, problem, PROBLEMS, type Json } from '../http/openapi-parts.ts';
import { compileEntitySchema } from '../metadata/compile-schema.ts';
import type { MetadataSnapshot } from '../metadata/registry.ts';
import type { EntityDefinition } from '../metadata/types.ts';
import { addEngagementPaths } from '../engagement/openapi.ts';
import { addPipelinePaths } from '../pipelines/openapi.ts';
import { SECURITY_SCHEMES, addWriteOnlyInputs, platformPaths } from './platform-paths.ts';
import { addUndescribedRoutes, type RouteEntry } from './route-table.ts';


const PROBLEM_SCHEMA: Json = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } }, required: ['path', 'message'] } },
  },
};


const LIST_PARAMETERS: Json[] = [
  { name: 'filter', in: 'query', schema: { type: 'string' }, description: 'URL-encoded JSON in MongoDB query syntax, restricted to the entity\'s fields and the operators $eq $ne $gt $gte $lt $lte $in $nin $exists $and $or $nor $not $all $size $elemMatch $regex ($options: i). Anything else is a 400.' },
  { name: 'q', in: 'query', schema: { type: 'string', maxLength: 200 }, description: 'Full-text search over the searchable fields; case- and accent-insensitive, token prefixes.' },
  { name: 'sort', in: 'query', schema: { type: 'string' }, description: 'Comma list of fields, `-` for descending, e.g. `-rating,name`.' },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 }, description: 'Page size, 1 to 500 (default 50). A value outside that range is a 400, not silently clamped, so a client never believes it received everything.' },
  { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, maximum: 100000 }, description: 'Exclusive with cursor: giving both is a 400.' },
  { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'Opaque keyset cursor from the previous page\'s nextCursor; stable under concurrent inserts.' },
  { name: 'fields', in: 'query', schema: { type: 'string' }, description: 'Comma list of fields to return (_id and version always).' },
  { name: 'expand', in: 'query', schema: { type: 'string' }, description: 'Comma list of reference fields to embed.' },
  { name: 'count', in: 'query', schema: { type: 'boolean', default: true }, description: '`false` omits total for speed.' },
];

const API_DESCRIPTION = [
  'Generic REST API of Relata, generated from the live metadata.',
  'JSON in and out (application/json; charset=utf-8). Errors are RFC 9457 problem+json { type, title, status, detail, errors: [{ path, message }] }: 400 bad input, 401 not signed in, 403 not allowed, 404 unknown or not visible, 409 version conflict or duplicate, 413 too large, 415 not JSON, 422 refused by a rule or guard, 429 rate limited; a refused request changes nothing.',
  'Every /api/v1 call except sign-in needs the session cookie or a Bearer token (a session token from login or an API token); a cookie-authenticated write that a browser marks as cross-site (Sec-Fetch-Site cross-site/same-site, or a foreign Origin) must also send the X-CSRF-Token header, and a wrong token is always refused.',
  'Records carry _id, createdAt, updatedAt, createdBy, updatedBy and version (+1 per change); responses carry ETag "<version>"; PATCH and DELETE honour If-Match (strong comparison: stale or weak → 409, * matches).',
  'Lists answer { items, total, nextCursor } (nextCursor null on the last page; total left out with count=false); unknown list parameters are a 400.',
].join(' ');


function stripDialect(schema: unknown): Json {
  const { $schema: _s, $id: _i, ...rest } = schema as Json;
  return rest;
}

function entityPaths(entity: EntityDefinition): Record<string, Json> {
  const type = pascal(entity.name);
  const ref = (suffix = '') => ({ $ref: `#/components/schemas/${type}${suffix}` });
  const json = (schema: Json) => ({ 'application/json': { schema } });
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{24}$' } };
  const ifMatch = {
    name: 'If-Match',
    in: 'header',
    schema: { type: 'string' },
    description: 'ETag of the version you edited, e.g. "3" (strong comparison, RFC 9110): a stale tag → 409 and nothing changes; a weak tag (W/"3") never matches → 409; `*` matches whatever version exists; several tags → 400.',
  };
  const etagHeader = { ETag: { schema: { type: 'string' }, description: 'The record\'s version as a strong ETag, e.g. "3"' } };
  const label = entity.label.en;
  return {
    [`/api/v1/data/${entity.name}`]: {
      get: {
        operationId: `list${type}`,
        tags: [label],
        summary: `List ${label} records`,
        parameters: LIST_PARAMETERS,
        responses: { '200': { description: 'A page', content: json(ref('List')) }, ...PROBLEMS },
      },
      post: {
        operationId: `create${type}`,
        tags: [label],
        summary: `Create a ${label} record`,
        description: `201 with the record, its Location and ETag. Unknown, system, computed and read-only fields are refused (400, one errors[] entry per failing field).${entity.features?.direction ? ' The record gets the direction given (which must be one the caller may create in: another is a 403, an unknown one a 400) or else the caller\'s only direction; a caller with several who gives none gets a 400 naming /direction and the choices.' : ''}`,
        requestBody: { required: true, content: json(ref('Create')) },
        responses: { '201': { description: 'Created', headers: { Location: { schema: { type: 'string' } }, ...etagHeader }, content: json(ref()) }, '409': problem('Duplicate unique value'), ...PROBLEMS },
      },
    },
    [`/api/v1/data/${entity.name}/bulk`]: {
      post: {
        operationId: `bulk${type}`,
        tags: [label],
        summary: `Create, update and delete many ${label} records; one result per item`,
        requestBody: { required: true, content: json({ type: 'object', required: ['operations'], properties: { operations: { type: 'array', maxItems: 500, items: { type: 'object', required: ['op'], properties: { op: { enum: ['create', 'update', 'delete'] }, id: { type: 'string' }, version: { type: 'integer' }, data: { type: 'object' } } } } } }) },
        responses: { '200': { description: 'Per-item results', content: json({ type: 'object' }) }, ...PROBLEMS },
      },
    },
    [`/api/v1/data/${entity.name}/{id}`]: {
      parameters: [idParam],
      get: { operationId: `get${type}`, tags: [label], summary: `Read one ${label} record`, parameters: [LIST_PARAMETERS[6], LIST_PARAMETERS[7]], responses: { '200': { description: 'The record', headers: etagHeader, content: json(ref()) }, ...PROBLEMS } },
      patch: { operationId: `update${type}`, tags: [label], summary: `Change a ${label} record (JSON merge patch; null clears)`, description: 'RFC 7396 merge patch: absent keys stay, null removes a field, object values (json fields) merge member by member, arrays replace.', parameters: [ifMatch], requestBody: { required: true, content: { 'application/json': { schema: ref('Update') }, 'application/merge-patch+json': { schema: ref('Update') } } }, responses: { '200': { description: 'The changed record', headers: etagHeader, content: json(ref()) }, '409': problem('Version conflict or duplicate'), ...PROBLEMS } },
      delete: { operationId: `delete${type}`, tags: [label], summary: `Delete a ${label} record`, parameters: [ifMatch], responses: { '204': { description: 'Deleted' }, '409': problem('Version conflict'), ...PROBLEMS } },
    },
    [`/api/v1/data/${entity.name}/{id}/history`]: {
      parameters: [idParam],
      get: { operationId: `history${type}`, tags: [label], summary: 'Field-level change history, newest first', responses: { '200': { description: 'History', content: json({ $ref: '#/components/schemas/History' }) }, ...PROBLEMS } },
    },
  };
}

/**
 * Per metadata snapshot (immutable, replaced on every change), so documents of old
 * revisions are freed with their snapshot, and two databases served by one process
 * never share a document because their revision numbers happen to match.
 */
const cache = new WeakMap<MetadataSnapshot, Map<number, Json>>();

export function generateOpenApi(snapshot: MetadataSnapshot, routes: readonly RouteEntry[] = []): Json {
  let bySnapshot = cache.get(snapshot);
  if (!bySnapshot) {
    bySnapshot = new Map();
    cache.set(snapshot, bySnapshot);
  }
  const cached = bySnapshot.get(routes.length);
  if (cached) return cached;
  const schemas: Record<string, Json> = {
    Problem: PROBLEM_SCHEMA,
    History: {
      type: 'object',
      properties: {
        total: { type: 'integer' },
        items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, _id: { type: 'string', description: 'same as id' }, op: { type: 'string' }, version: { type: 'integer' }, at: { type: 'string', format: 'date-time' }, when: { type: 'string', format: 'date-time', description: 'same as at' }, by: { type: ['string', 'null'], description: 'the user who made the change (null for the system)' }, who: { type: ['string', 'null'], description: 'same as by' }, changes: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, from: {}, to: {} } } } } } },
      },
    },
  };
  let paths: Record<string, Json> = {
    '/health': { get: { operationId: 'health', tags: ['Operations'], summary: 'Liveness and database reachability', security: [], responses: { '200': { description: 'Up' }, '503': { description: 'Database unreachable' } } } },
    ...platformPaths(),
  };
  const entities = [...snapshot.entities.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const entity of entities) {
    const type = pascal(entity.name);
    const compiled = compileEntitySchema(entity);
    schemas[type] = stripDialect(compiled.response);
    schemas[`${type}Create`] = stripDialect(compiled.create);
    schemas[`${type}Update`] = stripDialect(compiled.update);
    schemas[`${type}List`] = { type: 'object', required: ['items'], properties: { items: { type: 'array', items: { $ref: `#/components/schemas/${type}` } }, total: { type: 'integer' }, nextCursor: { type: ['string', 'null'] } } };
    paths = { ...paths, ...entityPaths(entity) };
  }
  addEngagementPaths({ snapshot, paths, schemas });
  addPipelinePaths({ snapshot, paths, schemas });
  addWriteOnlyInputs(schemas);
  addUndescribedRoutes(paths, routes);
  const document: Json = {
    openapi: '3.1.0',
    info: { title: 'Relata API', version: `1.0.0+meta.${snapshot.revision}`, description: API_DESCRIPTION },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { session: [] }],
    paths,
    components: { schemas, securitySchemes: SECURITY_SCHEMES },
  };
  bySnapshot.set(routes.length, document);
  return document;
}

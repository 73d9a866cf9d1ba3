/**
 * OpenAPI descriptions of the platform's own endpoints (sign-in, tokens,
 * audit, handover, metadata administration). Entity endpoints are generated
 * from metadata in generate.ts; anything else found in the live route table
 * is added by route-table.ts.
 */
import { ID_PARAM, type Json, jsonResponse as json, problem, PROBLEMS } from '../http/openapi-parts.ts';
import { ME_SCHEMA, personalPaths } from './personal-paths.ts';


const body = (schema: Json) => ({ required: true, content: { 'application/json': { schema } } });
const ADMIN = { '401': PROBLEMS['401'], '403': problem('Administrators only') };
const OBJECT: Json = { type: 'object' };
const LOCALIZED: Json = { type: 'object', required: ['en'], properties: { en: { type: 'string' }, ru: { type: 'string' } } };
const NAME_PARAM = (name: string, description: string) => ({ name, in: 'path', required: true, schema: { type: 'string' }, description });
const PAGE = [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
  { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
];

const TOKEN_VIEW: Json = {
  type: 'object',
  properties: { _id: { type: 'string' }, name: { type: 'string' }, scopes: { type: 'array', items: { type: 'string' } }, hint: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' }, expiresAt: { type: ['string', 'null'] }, lastUsedAt: { type: ['string', 'null'] } },
};

const AUTH: Record<string, Json> = {
  '/api/v1/auth/login': {
    post: {
      operationId: 'login',
      tags: ['Authentication'],
      summary: 'Sign in: a session token (usable as Bearer) and an HttpOnly SameSite=Lax session cookie plus a relata_csrf cookie',
      description: 'Failed attempts are counted per account and per client address: after a few, each further attempt must wait (429 with Retry-After); after more, sign-in is locked for a while. Unknown e-mail and wrong password answer the same 401.',
      security: [],
      requestBody: body({ type: 'object', required: ['email', 'password'], properties: { email: { type: 'string', format: 'email' }, password: { type: 'string', writeOnly: true } }, additionalProperties: false }),
      responses: {
        '200': json({ type: 'object', required: ['token', 'user'], properties: { token: { type: 'string' }, csrfToken: { type: 'string', description: 'Send in X-CSRF-Token with cookie-authenticated POST, PATCH, PUT and DELETE (required when a browser marks the request as cross-site)' }, expiresAt: { type: 'string', format: 'date-time' }, user: { $ref: '#/components/schemas/User' } } }, 'Signed in'),
        '400': PROBLEMS['400'],
        '401': problem('E-mail or password is incorrect'),
        '429': { ...problem('Too many failed sign-ins: slowed or locked'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
      },
    },
  },
  '/api/v1/auth/logout': { post: { operationId: 'logout', tags: ['Authentication'], summary: 'End the current session (revoked at once)', responses: { '204': { description: 'Signed out' }, '401': PROBLEMS['401'] } } },
  '/api/v1/auth/me': {
    get: {
      operationId: 'me',
      tags: ['Authentication'],
      summary: 'The signed-in user (their record) and how they are signed in',
      responses: { '200': json(ME_SCHEMA), '401': PROBLEMS['401'] },
    },
  },
  '/api/v1/auth/password': {
    post: {
      operationId: 'changePassword',
      tags: ['Authentication'],
      summary: 'Change the own password (other sessions end)',
      requestBody: body({ type: 'object', required: ['currentPassword', 'newPassword'], properties: { currentPassword: { type: 'string', writeOnly: true }, newPassword: { type: 'string', minLength: 8, maxLength: 256, writeOnly: true } } }),
      responses: { '204': { description: 'Changed' }, ...PROBLEMS },
    },
  },
  '/api/v1/auth/tokens': {
    post: {
      operationId: 'createApiToken',
      tags: ['Authentication'],
      summary: 'Create an API token; the secret is in this answer only',
      requestBody: body({ type: 'object', required: ['name', 'scopes'], properties: { name: { type: 'string', maxLength: 100 }, scopes: { type: 'array', items: { type: 'string', description: '"*" or "<entity>:<action>" (either side may be "*")' } }, expiresAt: { type: 'string', format: 'date-time' } }, additionalProperties: false }),
      responses: { '201': json({ ...TOKEN_VIEW, properties: { ...(TOKEN_VIEW.properties as Json), token: { type: 'string' } } }, 'Created'), ...PROBLEMS },
    },
    get: { operationId: 'listApiTokens', tags: ['Authentication'], summary: 'The own API tokens (no secrets)', responses: { '200': json({ type: 'object', properties: { items: { type: 'array', items: TOKEN_VIEW } } }), ...PROBLEMS } },
  },
  '/api/v1/auth/tokens/{id}': {
    parameters: [ID_PARAM],
    delete: { operationId: 'revokeApiToken', tags: ['Authentication'], summary: 'Revoke an API token at once (own; administrators: any)', responses: { '204': { description: 'Revoked' }, ...PROBLEMS } },
  },
};

const OPERATIONS: Record<string, Json> = {
  '/api/v1/audit': {
    get: {
      operationId: 'listAudit',
      tags: ['Security'],
      summary: 'The security audit log, newest first (administrators)',
      parameters: [{ name: 'type', in: 'query', schema: { type: 'string' } }, { name: 'actor', in: 'query', schema: { type: 'string' } }, { name: 'since', in: 'query', schema: { type: 'string', format: 'date-time' } }, { name: 'until', in: 'query', schema: { type: 'string', format: 'date-time' } }, ...PAGE],
      responses: { '200': json({ type: 'object', properties: { items: { type: 'array', items: OBJECT }, total: { type: 'integer' } } }), '400': PROBLEMS['400'], ...ADMIN },
    },
  },
  '/api/v1/handover': {
    post: {
      operationId: 'handover',
      tags: ['Security'],
      summary: 'Reassign every record (and open activity) one employee owns to another, optionally until a date (administrator or the employee\'s manager)',
      requestBody: body({ type: 'object', required: ['from', 'to'], properties: { from: { type: 'string' }, to: { type: 'string' }, until: { type: 'string', format: 'date-time' }, entities: { type: 'array', items: { type: 'string' } } }, additionalProperties: false }),
      responses: { '200': json({ type: 'object', properties: { id: { type: 'string' }, reassigned: { type: 'object', additionalProperties: { type: 'integer' } }, total: { type: 'integer' }, failed: { type: 'integer' }, until: { type: ['string', 'null'] } } }), ...PROBLEMS },
    },
    get: { operationId: 'listHandovers', tags: ['Security'], summary: 'Recent handovers and pending returns (administrators)', responses: { '200': json({ type: 'object', properties: { items: { type: 'array', items: OBJECT } } }), ...ADMIN } },
  },
  '/api/v1/openapi.json': { get: { operationId: 'openApi', tags: ['Operations'], summary: 'This description', responses: { '200': json(OBJECT), '401': PROBLEMS['401'] } } },
  '/metrics': { get: { operationId: 'metrics', tags: ['Operations'], summary: 'Prometheus metrics (open: restrict it at the proxy)', security: [], responses: { '200': { description: 'text/plain exposition' } } } },
};

function metaPaths(): Record<string, Json> {
  const tag = ['Metadata'];
  const entity = NAME_PARAM('entity', 'entity name');
  const paths: Record<string, Json> = {
    '/api/v1/meta/entities': {
      get: { operationId: 'listEntities', tags: tag, summary: 'Entity definitions the caller may read', responses: { '200': json(OBJECT), '401': PROBLEMS['401'] } },
      post: { operationId: 'createEntity', tags: tag, summary: 'Create an entity (administrators)', requestBody: body(OBJECT), responses: { '201': json(OBJECT, 'Created'), ...PROBLEMS } },
    },
    '/api/v1/meta/entities/{entity}': {
      parameters: [entity],
      get: { operationId: 'getEntity', tags: tag, summary: 'One entity definition', responses: { '200': json(OBJECT), ...PROBLEMS } },
      patch: { operationId: 'updateEntity', tags: tag, summary: 'Change labels and options (administrators)', requestBody: body(OBJECT), responses: { '200': json(OBJECT), ...PROBLEMS } },
    },
    '/api/v1/meta/entities/{entity}/schema': { parameters: [entity], get: { operationId: 'getEntitySchema', tags: tag, summary: 'The JSON Schema compiled from the entity', parameters: [{ name: 'for', in: 'query', schema: { enum: ['create', 'update', 'response'] } }], responses: { '200': json(OBJECT), ...PROBLEMS } } },
    '/api/v1/meta/entities/{entity}/revisions': { parameters: [entity], get: { operationId: 'listEntityRevisions', tags: tag, summary: 'Revision history (administrators)', responses: { '200': json(OBJECT), ...PROBLEMS } } },
    '/api/v1/meta/entities/{entity}/fields': { parameters: [entity], post: { operationId: 'addField', tags: tag, summary: 'Add a field (administrators)', requestBody: body(OBJECT), responses: { '201': json(OBJECT, 'Added'), ...PROBLEMS } } },
    '/api/v1/meta/entities/{entity}/fields/{field}': {
      parameters: [entity, NAME_PARAM('field', 'field name')],
      patch: { operationId: 'updateField', tags: tag, summary: 'Change a field (administrators)', requestBody: body(OBJECT), responses: { '200': json(OBJECT), ...PROBLEMS } },
      delete: { operationId: 'retireField', tags: tag, summary: 'Retire a field, keeping its data (administrators)', responses: { '200': json(OBJECT), ...PROBLEMS } },
    },
    '/api/v1/meta/entities/{entity}/rollback': { parameters: [entity], post: { operationId: 'rollbackEntity', tags: tag, summary: 'Roll back to a revision (administrators)', requestBody: body({ type: 'object', required: ['revision'], properties: { revision: { type: 'integer' } } }), responses: { '200': json(OBJECT), ...PROBLEMS } } },
  };
  const kinds: Array<[string, string, string]> = [['directions', 'Direction', 'signed-in users read; administrators change'], ['roles', 'Role', 'administrators'], ['pipelines', 'Pipeline', 'signed-in users read; administrators change'], ['rules', 'Rule', 'administrators']];
  for (const [path, type, who] of kinds) {
    const name = NAME_PARAM('name', `${type.toLowerCase()} name`);
    const definition: Json = { type: 'object', required: ['name', 'label'], properties: { name: { type: 'string' }, label: LOCALIZED } };
    paths[`/api/v1/meta/${path}`] = {
      get: { operationId: `list${type}s`, tags: tag, summary: `${type} definitions (${who})`, responses: { '200': json(OBJECT), ...PROBLEMS } },
      post: { operationId: `create${type}`, tags: tag, summary: `Create a ${type.toLowerCase()} (administrators)`, requestBody: body(definition), responses: { '201': json(OBJECT, 'Created'), ...PROBLEMS } },
    };
    paths[`/api/v1/meta/${path}/{name}`] = {
      parameters: [name],
      get: { operationId: `get${type}`, tags: tag, summary: `One ${type.toLowerCase()}`, responses: { '200': json(OBJECT), ...PROBLEMS } },
      patch: { operationId: `update${type}`, tags: tag, summary: `Change a ${type.toLowerCase()} (administrators)`, requestBody: body(OBJECT), responses: { '200': json(OBJECT), ...PROBLEMS } },
      delete: { operationId: `delete${type}`, tags: tag, summary: `Delete a ${type.toLowerCase()} (administrators)`, responses: { '204': { description: 'Deleted' }, ...PROBLEMS } },
    };
    paths[`/api/v1/meta/${path}/{name}/revisions`] = { parameters: [name], get: { operationId: `list${type}Revisions`, tags: tag, summary: 'Revision history (administrators)', responses: { '200': json(OBJECT), ...PROBLEMS } } };
  }
  return paths;
}

export function platformPaths(): Record<string, Json> {
  const personal = personalPaths();
  // /auth/me has GET here and PATCH there: one path item.
  const me = { ...AUTH['/api/v1/auth/me'], ...personal['/api/v1/auth/me'] };
  return { ...AUTH, ...OPERATIONS, ...metaPaths(), ...personal, '/api/v1/auth/me': me };
}

export const SECURITY_SCHEMES: Json = {
  bearer: { type: 'http', scheme: 'bearer', description: 'A session token from /api/v1/auth/login (rls_…) or an API token (rlt_…)' },
  session: { type: 'apiKey', in: 'cookie', name: 'relata_session', description: 'Browser session; a POST, PATCH, PUT or DELETE a browser marks as cross-site also needs the X-CSRF-Token header (the relata_csrf cookie\'s value)' },
};

/** Write-only inputs that are not entity fields (the user's password) shown in their create/update schemas. */
export function addWriteOnlyInputs(schemas: Record<string, Json>): void {
  const password = { type: 'string', minLength: 8, maxLength: 256, writeOnly: true, description: 'Write-only: hashed, never returned' };
  for (const name of ['UserCreate', 'UserUpdate']) {
    const schema = schemas[name];
    if (schema && typeof schema.properties === 'object' && schema.properties !== null) schemas[name] = { ...schema, properties: { ...(schema.properties as Json), password } };
  }
}

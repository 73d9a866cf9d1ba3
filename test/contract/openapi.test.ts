/**
 * API.md "Conventions" → OpenAPI: a valid 3.1 description of everything at
 * /api/v1/openapi.json, per-entity schemas included, and the platform's own
 * routes described by their modules rather than by the route-table fallback.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createGadgetEntities, label, ok } from './fixtures.ts';

type Operation = { summary?: string; description?: string; parameters?: Array<{ name: string; description?: string }>; responses: Record<string, { headers?: Record<string, unknown> }> };
type Document = { openapi: string; info: { description: string }; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> } };

describe('API.md OpenAPI description', () => {
  let api: TestApi;
  let document: Document;

  before(async () => {
    api = await startTestApi();
    await createGadgetEntities(api.request);
    await ok(api.request('POST', '/api/v1/meta/entities', { name: 'lead', label: label('Lead'), features: { pipeline: 'funnel' }, fields: [{ name: 'title', type: 'text', label: label('Title') }] }), 201);
    await ok(api.request('POST', '/api/v1/meta/pipelines', { name: 'funnel', label: label('Funnel'), entity: 'lead', stages: [{ name: 'fresh', label: label('Fresh'), kind: 'open' }, { name: 'done', label: label('Done'), kind: 'won' }] }), 201);
    await ok(api.request('POST', '/api/v1/meta/rules', { name: 'stamp', label: label('Stamp'), entity: 'gadget', trigger: { kind: 'record', on: ['create'] }, actions: [{ kind: 'setField', field: 'city', value: 'x' }], enabled: false }), 201);
    document = await ok<Document>(api.request('GET', '/api/v1/openapi.json'));
  });
  after(async () => api.close());

  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(document as unknown as Record<string, unknown>);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 2000));
    assert.equal(validator.version, '3.1');
  });

  it('describes the records endpoints per entity, with their create/update/response schemas', () => {
    const schemas = document.components.schemas;
    assert.ok(schemas.Gadget && schemas.GadgetCreate && schemas.GadgetUpdate && schemas.GadgetList);
    assert.deepEqual(schemas.GadgetCreate.required, ['title']);
    for (const name of ['_id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'version', 'owner', 'direction']) assert.ok(schemas.Gadget.properties?.[name], name);
    const paths = document.paths;
    for (const [path, methods] of Object.entries({ '/api/v1/data/gadget': ['get', 'post'], '/api/v1/data/gadget/{id}': ['get', 'patch', 'delete'], '/api/v1/data/gadget/{id}/history': ['get'], '/api/v1/data/gadget/bulk': ['post'] })) {
      for (const method of methods) assert.ok(paths[path]?.[method], `${method} ${path}`);
    }
    assert.ok(paths['/api/v1/data/gadget']!.post!.responses['201']!.headers?.Location);
    assert.ok(paths['/api/v1/data/gadget/{id}']!.patch!.responses['200']!.headers?.ETag);
  });

  it('documents the choices API.md leaves to us (limit bounds, If-Match, merge patch, direction on create)', () => {
    const list = document.paths['/api/v1/data/gadget']!.get!;
    assert.match(list.parameters!.find((p) => p.name === 'limit')!.description!, /400/);
    assert.match(list.parameters!.find((p) => p.name === 'offset')!.description!, /cursor/);
    const patch = document.paths['/api/v1/data/gadget/{id}']!.patch!;
    assert.match(patch.parameters!.find((p) => p.name === 'If-Match')!.description!, /W\/"3"/);
    assert.match(patch.description!, /merge/);
    assert.match(document.paths['/api/v1/data/gadget']!.post!.description!, /direction/);
    assert.match(document.info.description, /charset=utf-8/);
  });

  it('describes the platform\'s own routes, also those added lately, in their own words', () => {
    const expected: Array<[string, string]> = [
      ['get', '/api/v1/auth/me'], ['patch', '/api/v1/auth/me'], ['post', '/api/v1/auth/login'], ['post', '/api/v1/auth/logout'],
      ['post', '/api/v1/auth/tokens'], ['get', '/api/v1/auth/tokens'], ['delete', '/api/v1/auth/tokens/{id}'],
      ['get', '/api/v1/notifications'], ['post', '/api/v1/notifications/read-all'], ['post', '/api/v1/notifications/{id}/read'],
      ['get', '/api/v1/calendar/feed'], ['post', '/api/v1/calendar/feed'], ['delete', '/api/v1/calendar/feed'], ['get', '/api/v1/calendar/feed/{token}.ics'], ['get', '/api/v1/data/activity/{id}/ics'],
      ['post', '/api/v1/handover'], ['get', '/api/v1/handover'],
      ['post', '/api/v1/data/lead/{id}/transition'], ['get', '/api/v1/board/lead'],
      ['post', '/api/v1/meta/rules/{name}/simulate'],
      ['get', '/api/v1/meta/entities/{entity}/schema'],
      ['get', '/health'],
    ];
    for (const kind of ['directions', 'roles', 'pipelines', 'rules']) {
      expected.push(['get', `/api/v1/meta/${kind}`], ['post', `/api/v1/meta/${kind}`], ['get', `/api/v1/meta/${kind}/{name}`], ['patch', `/api/v1/meta/${kind}/{name}`], ['delete', `/api/v1/meta/${kind}/{name}`]);
    }
    for (const [method, path] of expected) {
      const operation = document.paths[path]?.[method];
      assert.ok(operation, `${method} ${path} is described`);
      assert.doesNotMatch(operation.summary ?? '', /described by its module/, `${method} ${path} has its own description`);
    }
  });
});

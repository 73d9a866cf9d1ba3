import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { TestApi } from '../support/api.ts';
import { startCrmApi } from './fixtures.ts';

describe('OpenAPI: the engagement endpoints are described where metadata enables them', () => {
  let api: TestApi;
  before(async () => {
    api = await startCrmApi();
  });
  after(async () => api.close());

  it('stays a valid OpenAPI 3.1 document and names timeline, summary, complete/next, duplicates and merge', async () => {
    const response = await api.request<{ paths: Record<string, Record<string, { description?: string }>> }>('GET', '/api/v1/openapi.json');
    assert.equal(response.status, 200);
    const result = await new Validator().validate(response.body as unknown as Record<string, unknown>);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 2000));
    const paths = response.body.paths;
    for (const path of [
      '/api/v1/data/organization/{id}/timeline',
      '/api/v1/data/person/{id}/timeline',
      '/api/v1/summary/organization/{id}',
      '/api/v1/data/activity/{id}/complete',
      '/api/v1/data/activity/{id}/next',
      '/api/v1/data/organization/duplicates',
      '/api/v1/data/person/duplicates',
      '/api/v1/data/organization/{id}/merge',
    ]) {
      assert.ok(paths[path], path);
    }
    assert.equal(paths['/api/v1/data/employment/duplicates'], undefined, 'no duplicate control on employment');
    assert.equal(paths['/api/v1/data/organization/{id}/complete'], undefined, 'organizations are not completed');
    assert.match(paths['/api/v1/data/activity']?.get?.description ?? '', /"plannedStart":\{"\$lt"/, 'the overdue filter is documented');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestApi, type TestApi } from '../support/api.ts';

describe('OpenAPI 3.1 description generated from the live metadata', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
    await api.request('POST', '/api/v1/meta/entities', {
      name: 'vendor',
      label: { en: 'Vendor' },
      fields: [
        { name: 'name', type: 'text', label: { en: 'Name' }, required: true },
        { name: 'rating', type: 'number', label: { en: 'Rating' }, min: 1, max: 5 },
        { name: 'budget', type: 'money', label: { en: 'Budget' } },
        { name: 'kind', type: 'enum', label: { en: 'Kind' }, options: [{ value: 'a', label: { en: 'A' } }] },
      ],
    });
  });
  after(async () => api.close());

  it('is a valid OpenAPI 3.1 document with per-entity schemas', async () => {
    const response = await api.request<Record<string, unknown>>('GET', '/api/v1/openapi.json');
    assert.equal(response.status, 200);
    const validator = new Validator();
    const result = await validator.validate(response.body);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 1)?.slice(0, 2000));
    assert.equal(validator.version, '3.1');
    const schemas = (response.body.components as { schemas: Record<string, { properties?: Record<string, { minimum?: number }>; required?: string[] }> }).schemas;
    assert.equal(schemas.VendorCreate?.properties?.rating?.minimum, 1);
    assert.ok(schemas.VendorCreate?.required?.includes('name'));
    assert.ok(schemas.Vendor && schemas.VendorUpdate && schemas.VendorList);
    const paths = response.body.paths as Record<string, unknown>;
    assert.ok(paths['/api/v1/data/vendor'] && paths['/api/v1/data/vendor/{id}'] && paths['/api/v1/data/vendor/{id}/history']);
  });

  it('follows metadata changes without restart', async () => {
    await api.request('POST', '/api/v1/meta/entities/vendor/fields', { name: 'headcount', type: 'integer', label: { en: 'Headcount' } });
    const response = await api.request<{ components: { schemas: Record<string, { properties: Record<string, unknown> }> } }>('GET', '/api/v1/openapi.json');
    assert.ok(response.body.components.schemas.VendorCreate?.properties.headcount);
  });
});

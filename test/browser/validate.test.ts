/**
 * The UI's JSON Schema interpreter (ui/src/lib/validate.ts) must agree with
 * the server's Ajv on the schemas the compiler emits: for each payload, the
 * same verdict and the same failing field paths. And the list's filter
 * builder (ui/src/list/filter-model.ts) must produce queries the API accepts,
 * with user text matched literally.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ErrorObject } from 'ajv';
import { createAjv } from '../../core/metadata/ajv.ts';
import { ajvToFieldErrors } from '../../core/metadata/ajv-errors.ts';
import { compileEntitySchema } from '../../core/metadata/compile-schema.ts';
import type { EntityDefinition, FieldDefinition } from '../../core/metadata/types.ts';
import { SHIPPED_APPS_DIR } from '../../core/platform.ts';
import { buildFilter, escapeRegex } from '../../ui/src/list/filter-model.ts';
import { validate } from '../../ui/src/lib/validate.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

const crm = (name: string) => JSON.parse(readFileSync(join(SHIPPED_APPS_DIR, 'crm', 'entities', `${name}.json`), 'utf8')) as EntityDefinition;

/** A made-up entity with one field of every writable type, money bounds included. */
const gadget: EntityDefinition = {
  name: 'gadget',
  label: { en: 'Gadget' },
  titleField: 'title',
  features: { owner: true, direction: true },
  fields: [
    { name: 'title', type: 'text', label: { en: 'Title' }, required: true, minLength: 2, maxLength: 5 },
    { name: 'code', type: 'text', label: { en: 'Code' }, pattern: '^[A-Z]{3}$' },
    { name: 'rating', type: 'integer', label: { en: 'Rating' }, min: 1, max: 5 },
    { name: 'weight', type: 'number', label: { en: 'Weight' }, min: 0.5 },
    { name: 'price', type: 'money', label: { en: 'Price' }, min: 10, max: 99.5 },
    { name: 'isActive', type: 'boolean', label: { en: 'Active' } },
    { name: 'since', type: 'date', label: { en: 'Since' } },
    { name: 'at', type: 'datetime', label: { en: 'At' } },
    { name: 'kind', type: 'enum', label: { en: 'Kind' }, options: [{ value: 'a', label: { en: 'A' } }, { value: 'b', label: { en: 'B' } }] },
    { name: 'tags', type: 'multienum', label: { en: 'Tags' }, options: [{ value: 'x', label: { en: 'X' } }, { value: 'y', label: { en: 'Y' } }] },
    { name: 'email', type: 'email', label: { en: 'E-mail' } },
    { name: 'phone', type: 'phone', label: { en: 'Phone' } },
    { name: 'site', type: 'url', label: { en: 'Site' } },
    { name: 'parent', type: 'reference', entity: 'gadget', label: { en: 'Parent' } },
    { name: 'links', type: 'references', entity: 'gadget', label: { en: 'Links' } },
    { name: 'notes', type: 'longtext', label: { en: 'Notes' }, maxLength: 10 },
  ] as FieldDefinition[],
};

const PAYLOADS: unknown[] = [
  {},
  { title: 'ok' },
  { title: 'x' },
  { title: 'toolong' },
  { title: 'ok', code: 'ABC' },
  { title: 'ok', code: 'abc' },
  { title: 'ok', rating: 3 },
  { title: 'ok', rating: 3.5 },
  { title: 'ok', rating: 0 },
  { title: 'ok', rating: '3' },
  { title: 'ok', rating: null },
  { title: 'ok', weight: 0.25 },
  { title: 'ok', price: '10.00' },
  { title: 'ok', price: '9.99' },
  { title: 'ok', price: '99.51' },
  { title: 'ok', price: '12.345' },
  { title: 'ok', price: 12 },
  { title: 'ok', isActive: 'yes' },
  { title: 'ok', since: '2024-02-29' },
  { title: 'ok', since: '2023-02-29' },
  { title: 'ok', since: '2024-13-01' },
  { title: 'ok', at: '2024-05-01T10:00:00Z' },
  { title: 'ok', at: '2024-05-01T10:00:00.123+03:00' },
  { title: 'ok', at: '2024-05-01 10:00' },
  { title: 'ok', kind: 'a' },
  { title: 'ok', kind: 'c' },
  { title: 'ok', kind: null },
  { title: 'ok', tags: ['x', 'y'] },
  { title: 'ok', tags: ['x', 'x'] },
  { title: 'ok', tags: ['z'] },
  { title: 'ok', email: 'a@example.com' },
  { title: 'ok', email: 'not-an-email' },
  { title: 'ok', phone: '+7 (495) 123-45-67' },
  { title: 'ok', phone: '---' },
  { title: 'ok', site: 'https://example.com/a?b=c' },
  { title: 'ok', site: 'ftp://example.com' },
  { title: 'ok', site: 'example.com' },
  { title: 'ok', parent: '0123456789abcdef01234567' },
  { title: 'ok', parent: 'xyz' },
  { title: 'ok', links: ['0123456789abcdef01234567', '0123456789abcdef01234567'] },
  { title: 'ok', notes: 'ёжик в тумане' },
  { title: 'ok', notes: 'ёжик' },
  { title: 'ok', owner: null, direction: 'north' },
  { title: 'ok', direction: 'North!' },
  { title: 'ok', stage: 'won' },
  { title: 'ok', unknown: 1 },
];

function ajvPaths(errors: ErrorObject[] | null | undefined): string[] {
  return [
    ...new Set(
      (errors ?? []).map((error) => {
        const params = error.params as { missingProperty?: string; additionalProperty?: string };
        const child = params.missingProperty ?? params.additionalProperty;
        // Ajv names the array for uniqueItems and the item for enum; both are inside the same field.
        return `${error.instancePath}${child ? `/${child}` : ''}`.split('/').slice(0, 2).join('/');
      }),
    ),
  ].sort();
}

const uiPaths = (schema: Record<string, unknown>, payload: unknown) => [...new Set(validate(schema, payload).map((e) => e.path.split('/').slice(0, 2).join('/')))].sort();

describe('UI validation agrees with the server schema', () => {
  const ajv = createAjv();
  for (const mode of ['create', 'update'] as const) {
    it(`gives the same verdict and field paths as Ajv for ${PAYLOADS.length} ${mode} payloads of every field type`, () => {
      const schema = compileEntitySchema(gadget)[mode];
      const check = ajv.compile(schema);
      for (const payload of PAYLOADS) {
        const isValid = check(payload);
        assert.deepEqual(uiPaths(schema, payload), ajvPaths(check.errors), `${mode} ${JSON.stringify(payload)} (ajv: ${isValid})`);
      }
    });
  }

  it('agrees on the shipped CRM organization (INN, KPP and OGRN check digits, rating bounds, required name)', () => {
    const schema = compileEntitySchema(crm('organization')).create;
    const check = ajv.compile(schema);
    const payloads = [
      { name: 'Acme', taxId: '123' },
      { name: 'Acme', taxId: '7707083894' },
      { name: 'Acme', taxId: '500100732259', kpp: '7736AB001', ogrn: '304500116000157' },
      { name: 'Acme', kpp: '7736ab001', ogrn: '1027700132194' },
      { name: 'Acme', taxId: '7707083893', rating: 6 },
      { taxId: '7707083893' },
      { name: 'Acme', website: 'https://acme.example' },
    ];
    for (const payload of payloads) {
      check(payload);
      assert.deepEqual(uiPaths(schema, payload), ajvPaths(check.errors), JSON.stringify(payload));
    }
  });

  it('reports nothing for a valid record and the server\'s own message at the field for a bad registration number', () => {
    const schema = compileEntitySchema(crm('organization')).create;
    assert.deepEqual(validate(schema, { name: 'Acme', taxId: '7707083893', kpp: '773601001', ogrn: '1027700132195' }), []);
    const payload = { name: 'Acme', taxId: '12', ogrn: '1027700132194' };
    const server = ajv.compile(schema);
    server(payload);
    const expected = [
      { path: '/taxId', message: 'must be a valid INN: it has 10 digits for an organisation or 12 for an individual, not 2' },
      { path: '/ogrn', message: 'must be a valid OGRN: the check digit does not match' },
    ];
    assert.deepEqual(validate(schema, payload), expected);
    assert.deepEqual(ajvToFieldErrors(server.errors, payload), expected);
  });
});

describe('list filters become API queries', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ appsDir: SHIPPED_APPS_DIR });
    for (const [name, rating, city] of [['Alpha (Moscow)', 5, 'Moscow'], ['Beta.*', 2, 'Kazan'], ['Gamma', 4, 'Moscow']] as const) {
      const created = await api.request('POST', '/api/v1/data/organization', { name, rating, city, category: rating > 3 ? 'client' : 'prospect' });
      assert.equal(created.status, 201);
    }
  });
  after(async () => api?.close());

  const names = async (filter: Record<string, unknown> | undefined) => {
    const query = filter ? `?sort=name&filter=${encodeURIComponent(JSON.stringify(filter))}` : '?sort=name';
    const response = await api.request<{ items: Array<{ name: string }> }>('GET', `/api/v1/data/organization${query}`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body.items.map((item) => item.name);
  };
  const fields = crm('organization').fields;

  it('escapes regex metacharacters so text is matched literally', () => {
    assert.equal(escapeRegex('a.b*(c)'), 'a\\.b\\*\\(c\\)');
  });

  it('text contains (case-insensitive, literal), number range, enum multi-select', async () => {
    assert.deepEqual(await names(buildFilter(fields, { name: { contains: 'MOSCOW' } })), ['Alpha (Moscow)']);
    assert.deepEqual(await names(buildFilter(fields, { name: { contains: '.*' } })), ['Beta.*']);
    assert.deepEqual(await names(buildFilter(fields, { rating: { min: '3', max: '4' } })), ['Gamma']);
    assert.deepEqual(await names(buildFilter(fields, { category: { in: ['client'] }, city: { contains: 'mos' } })), ['Alpha (Moscow)', 'Gamma']);
  });

  it('leaves out empty and unusable inputs instead of sending a bad query', async () => {
    assert.equal(buildFilter(fields, { name: { contains: '  ' }, rating: { min: 'abc' }, category: { in: [] } }), undefined);
    assert.deepEqual(await names(buildFilter(fields, {})), ['Alpha (Moscow)', 'Beta.*', 'Gamma']);
  });
});

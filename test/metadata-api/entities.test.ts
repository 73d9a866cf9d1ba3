import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../support/api.ts';

const gadget = {
  name: 'gadget',
  label: { en: 'Gadget', ru: 'Гаджет' },
  titleField: 'title',
  searchable: ['title'],
  features: { owner: true, history: true },
  fields: [
    { name: 'title', type: 'text', label: { en: 'Title', ru: 'Название' }, required: true, maxLength: 200 },
    { name: 'code', type: 'text', label: { en: 'Code' } },
  ],
};

describe('metadata API: entities and custom attributes at run time', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(async () => api.close());

  it('creates an entity, adds a custom field, stores and filters records by it — no restart', async () => {
    const created = await api.request('POST', '/api/v1/meta/entities', gadget);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.name, 'gadget');
    assert.equal(typeof created.body.revision, 'number');

    const field = await api.request('POST', '/api/v1/meta/entities/gadget/fields', {
      name: 'rating',
      type: 'number',
      label: { en: 'Rating', ru: 'Рейтинг' },
      min: 1,
      max: 5,
    });
    assert.equal(field.status, 201, JSON.stringify(field.body));

    for (const [title, rating] of [['Alpha', 5], ['Beta', 3], ['Gamma', 4]] as const) {
      const record = await api.request('POST', '/api/v1/data/gadget', { title, rating });
      assert.equal(record.status, 201, JSON.stringify(record.body));
      assert.equal(record.body.rating, rating);
    }
    const invalid = await api.request('POST', '/api/v1/data/gadget', { title: 'Delta', rating: 9 });
    assert.equal(invalid.status, 400);
    assert.deepEqual((invalid.body.errors as Array<{ path: string }>).map((e) => e.path), ['/rating']);

    const filter = encodeURIComponent(JSON.stringify({ rating: { $gte: 4 } }));
    const list = await api.request<{ items: Array<{ title: string }>; total: number }>('GET', `/api/v1/data/gadget?filter=${filter}&sort=-rating`);
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.deepEqual(list.body.items.map((item) => item.title), ['Alpha', 'Gamma']);
    assert.equal(list.body.total, 2);
  });

  it('serves the compiled JSON Schema of an entity', async () => {
    const schema = await api.request<{ properties: Record<string, { type?: unknown; minimum?: number; maximum?: number }>; required?: string[] }>('GET', '/api/v1/meta/entities/gadget/schema');
    assert.equal(schema.status, 200);
    assert.equal(schema.body.properties.rating?.minimum, 1);
    assert.equal(schema.body.properties.rating?.maximum, 5);
    assert.ok(schema.body.required?.includes('title'));
  });

  it('refuses invalid metadata with field paths and changes nothing', async () => {
    const before = await api.request('GET', '/api/v1/meta/entities/gadget');
    const cases: Array<[unknown, string]> = [
      [{ name: 'weird', type: 'hologram', label: { en: 'Weird' } }, '/type'],
      [{ name: '_id', type: 'text', label: { en: 'Id' } }, '/name'],
      [{ name: 'version', type: 'text', label: { en: 'Version' } }, '/name'],
      [{ name: '$set', type: 'text', label: { en: 'Set' } }, '/name'],
      [{ name: 'a.b', type: 'text', label: { en: 'Dotted' } }, '/name'],
      [{ name: 'maker', type: 'reference', entity: 'nosuchentity', label: { en: 'Maker' } }, '/entity'],
      [{ name: 'score', type: 'computed', resultType: 'number', expression: { eval: ['1+1'] }, label: { en: 'Score' } }, '/expression'],
    ];
    for (const [field, pathPart] of cases) {
      const response = await api.request('POST', '/api/v1/meta/entities/gadget/fields', field);
      assert.equal(response.status, 400, `${JSON.stringify(field)} → ${response.status} ${JSON.stringify(response.body)}`);
      assert.match(String(response.headers.get('content-type')), /problem\+json/);
      const paths = (response.body.errors as Array<{ path: string }>).map((e) => e.path);
      assert.ok(paths.some((path) => path.includes(pathPart)), `${JSON.stringify(field)}: ${JSON.stringify(paths)}`);
    }
    const deep = { var: 'x' } as Record<string, unknown>;
    let nested: unknown = deep;
    for (let i = 0; i < 20; i += 1) nested = { '+': [nested, 1] };
    const tooDeep = await api.request('POST', '/api/v1/meta/entities/gadget/fields', { name: 'deep', type: 'computed', resultType: 'number', expression: nested, label: { en: 'Deep' } });
    assert.equal(tooDeep.status, 400);
    const afterwards = await api.request('GET', '/api/v1/meta/entities/gadget');
    assert.deepEqual(afterwards.body, before.body, 'nothing changed');
  });

  it('refuses an entity whose name is reserved or taken', async () => {
    assert.equal((await api.request('POST', '/api/v1/meta/entities', gadget)).status, 409);
    assert.equal((await api.request('POST', '/api/v1/meta/entities', { ...gadget, name: '$bad' })).status, 400);
    assert.equal((await api.request('POST', '/api/v1/meta/entities', { ...gadget, name: 'constructor', fields: [] })).status, 400);
  });

  it('refuses a type change that would break 3 existing records, reporting the count, unless forced', async () => {
    await api.request('POST', '/api/v1/meta/entities', { ...gadget, name: 'widget' });
    for (const code of ['A-1', 'B-2', 'C-3']) {
      assert.equal((await api.request('POST', '/api/v1/data/widget', { title: code, code })).status, 201);
    }
    const refused = await api.request('PATCH', '/api/v1/meta/entities/widget/fields/code', { type: 'integer' });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.count, 3);
    assert.match(String(refused.body.detail), /3 existing/);
    const unchanged = await api.request<{ fields: Array<{ name: string; type: string }> }>('GET', '/api/v1/meta/entities/widget');
    assert.equal(unchanged.body.fields.find((f) => f.name === 'code')?.type, 'text');

    const required = await api.request('PATCH', '/api/v1/meta/entities/widget/fields/code', { required: true });
    assert.equal(required.status, 200, 'all 3 records have a code, so making it required is safe');

    const forced = await api.request('PATCH', '/api/v1/meta/entities/widget/fields/code?force=true', { type: 'integer', required: false });
    assert.equal(forced.status, 200, JSON.stringify(forced.body));
  });

  it('keeps every revision and rolls back to a previous one', async () => {
    await api.request('POST', '/api/v1/meta/entities', { ...gadget, name: 'sprocket' });
    const original = await api.request<{ revision: number; label: { en: string } }>('GET', '/api/v1/meta/entities/sprocket');
    const relabelled = await api.request('PATCH', '/api/v1/meta/entities/sprocket', { label: { en: 'Cog', ru: 'Шестерня' } });
    assert.equal(relabelled.status, 200);
    await api.request('POST', '/api/v1/meta/entities/sprocket/fields', { name: 'teeth', type: 'integer', label: { en: 'Teeth' } });

    const revisions = await api.request<{ items: Array<{ revision: number; op: string; by: string | null; at: string; previous: unknown }> }>('GET', '/api/v1/meta/entities/sprocket/revisions');
    assert.equal(revisions.body.items.length, 3);
    assert.deepEqual(revisions.body.items.map((r) => r.op), ['update', 'update', 'create']);
    assert.ok(revisions.body.items[0]!.previous, 'previous definition kept');

    const rolled = await api.request<{ label: { en: string }; fields: Array<{ name: string; retired?: boolean }> }>('POST', '/api/v1/meta/entities/sprocket/rollback', { revision: original.body.revision });
    assert.equal(rolled.status, 200, JSON.stringify(rolled.body));
    assert.equal(rolled.body.label.en, 'Gadget');
    assert.equal(rolled.body.fields.find((f) => f.name === 'teeth')?.retired, true, 'a field added since is retired, its data kept');
  });

  it('retires a field but keeps its data', async () => {
    const record = await api.request('POST', '/api/v1/data/gadget', { title: 'Keeper', code: 'K-1' });
    const retired = await api.request('DELETE', '/api/v1/meta/entities/gadget/fields/code');
    assert.equal(retired.status, 200);
    const read = await api.request('GET', `/api/v1/data/gadget/${String(record.body._id)}`);
    assert.equal(read.body.code, undefined, 'hidden once retired');
    const stored = await api.database.db.collection('gadget').findOne({ title: 'Keeper' });
    assert.equal(stored?.code, 'K-1', 'data kept in the database');
    const write = await api.request('POST', '/api/v1/data/gadget', { title: 'New', code: 'X' });
    assert.equal(write.status, 400);
  });
});

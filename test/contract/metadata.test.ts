/**
 * API.md "Metadata": the endpoint table, entity and field definitions,
 * retiring fields with their data kept, the compiled JSON Schema, the same
 * CRUD pattern for pipelines, rules, roles and directions, and revisions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../support/api.ts';
import { assertProblem, GADGET, label, MAKER, ok, type Rec } from './fixtures.ts';

type Definition = Record<string, unknown> & { name: string; revision: number; fields: Array<Record<string, unknown> & { name: string }> };

describe('API.md metadata', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(async () => api.close());

  it('POST /meta/entities creates API.md\'s example entity (201); GET lists and reads it', async () => {
    await ok(api.request('POST', '/api/v1/meta/entities', MAKER), 201);
    const created = await ok<Definition>(api.request('POST', '/api/v1/meta/entities', GADGET), 201);
    assert.deepEqual([created.name, created.label, created.titleField, created.searchable, created.features], ['gadget', GADGET.label, 'title', ['title'], GADGET.features]);
    const rating = created.fields.find((field) => field.name === 'rating');
    assert.deepEqual([rating?.type, rating?.min, rating?.max, rating?.required, rating?.label], ['number', 1, 5, false, { en: 'Rating', ru: 'Рейтинг' }]);
    const listed = await ok<{ items: Definition[] }>(api.request('GET', '/api/v1/meta/entities'));
    assert.ok(listed.items.some((entity) => entity.name === 'gadget'));
    const one = await ok<Definition>(api.request('GET', '/api/v1/meta/entities/gadget'));
    assert.equal(one.fields.length, GADGET.fields.length);
    assertProblem(await api.request('GET', '/api/v1/meta/entities/nosuch'), 404);
  });

  it('accepts every field type API.md names', async () => {
    const fields = [
      { name: 'aText', type: 'text' }, { name: 'aLongtext', type: 'longtext' }, { name: 'aNumber', type: 'number' }, { name: 'anInteger', type: 'integer' },
      { name: 'aMoney', type: 'money' }, { name: 'aBoolean', type: 'boolean' }, { name: 'aDate', type: 'date' }, { name: 'aDatetime', type: 'datetime' },
      { name: 'anEnum', type: 'enum', options: [{ value: 'x', label: label('X') }] }, { name: 'aMultienum', type: 'multienum', options: [{ value: 'x', label: label('X') }] },
      { name: 'anEmail', type: 'email' }, { name: 'aPhone', type: 'phone' }, { name: 'aUrl', type: 'url' },
      { name: 'aReference', type: 'reference', entity: 'maker' }, { name: 'someReferences', type: 'references', entity: 'maker' },
      { name: 'aComputed', type: 'computed', resultType: 'number', expression: { '*': [{ var: 'aNumber' }, 2] } },
    ].map((field) => ({ ...field, label: label(field.name) }));
    await ok(api.request('POST', '/api/v1/meta/entities', { name: 'everything', label: label('Everything'), fields }), 201);
    const record = await ok<Rec>(api.request('POST', '/api/v1/data/everything', { aNumber: 21, aMoney: '10.50', aDate: '2024-02-29', anEnum: 'x' }), 201);
    assert.deepEqual([record.aComputed, record.aMoney, record.aDate], [42, '10.50', '2024-02-29']);
    assertProblem(await api.request('PATCH', `/api/v1/data/everything/${record._id}`, { aComputed: 1 }), 400);
  });

  it('refuses invalid definitions with a 400 and stores nothing', async () => {
    const bad = assertProblem(await api.request('POST', '/api/v1/meta/entities', { name: 'Bad-Name', label: label('Bad'), fields: [{ name: '1st', type: 'nope', label: label('x') }] }), 400);
    assert.ok(bad.errors.length > 0);
    assertProblem(await api.request('GET', '/api/v1/meta/entities/Bad-Name'), 404);
  });

  it('PATCH /meta/entities/:entity changes labels and options; name is stable', async () => {
    const changed = await ok<Definition>(api.request('PATCH', '/api/v1/meta/entities/gadget', { label: { en: 'Gizmo', ru: 'Штука' } }));
    assert.deepEqual(changed.label, { en: 'Gizmo', ru: 'Штука' });
    assert.deepEqual((await ok<Definition>(api.request('GET', '/api/v1/meta/entities/gadget'))).label, { en: 'Gizmo', ru: 'Штука' });
  });

  it('fields: POST adds (201), PATCH changes, DELETE retires — the data is kept and returns with the field', async () => {
    const added = await api.request<Definition>('POST', '/api/v1/meta/entities/gadget/fields', { name: 'colour', type: 'text', label: label('Colour', 'Цвет') });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.ok(added.body.fields.some((field) => field.name === 'colour'));
    const record = await ok<Rec>(api.request('POST', '/api/v1/data/gadget', { title: 'Painted', colour: 'teal' }), 201);
    const changed = await ok<Definition>(api.request('PATCH', '/api/v1/meta/entities/gadget/fields/colour', { label: label('Color'), maxLength: 20 }));
    assert.deepEqual(changed.fields.find((field) => field.name === 'colour')?.label, { en: 'Color' });
    const retired = await ok<Definition>(api.request('DELETE', '/api/v1/meta/entities/gadget/fields/colour'));
    assert.equal(retired.fields.find((field) => field.name === 'colour')?.retired, true);
    assert.equal('colour' in (await ok<Rec>(api.request('GET', `/api/v1/data/gadget/${record._id}`))), false, 'hidden once retired');
    assertProblem(await api.request('POST', '/api/v1/data/gadget', { title: 'Late', colour: 'red' }), 400);
    const stored = await api.database.db.collection('gadget').findOne({ title: 'Painted' });
    assert.equal(stored?.colour, 'teal', 'the data is kept');
    assertProblem(await api.request('PATCH', '/api/v1/meta/entities/gadget/fields/nosuch', { label: label('x') }), 404);
  });

  it('GET /meta/entities/:entity/schema: the JSON Schema compiled from it', async () => {
    const schema = await ok<{ $schema: string; type: string; properties: Record<string, Record<string, unknown>>; required: string[]; additionalProperties: boolean }>(api.request('GET', '/api/v1/meta/entities/gadget/schema'));
    assert.match(schema.$schema, /json-schema\.org/);
    assert.equal(schema.type, 'object');
    assert.deepEqual(schema.required, ['title']);
    assert.equal(schema.additionalProperties, false);
    assert.equal(schema.properties.rating?.minimum, 1);
    assert.equal(schema.properties.rating?.maximum, 5);
    assert.equal('colour' in schema.properties, false, 'retired fields are not writable');
  });

  it('directions, roles, pipelines and rules follow one CRUD pattern: GET list, GET one, POST, PATCH, DELETE', async () => {
    await ok(api.request('POST', '/api/v1/meta/entities', { name: 'lead', label: label('Lead'), features: { pipeline: 'funnel' }, fields: [{ name: 'title', type: 'text', label: label('Title') }] }), 201);
    const documents: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
      ['directions', { name: 'east', label: label('East', 'Восток') }, { label: label('Far East') }],
      ['roles', { name: 'clerk', label: label('Clerk'), permissions: { gadget: ['read'] }, allDirections: false }, { permissions: { gadget: ['read', 'create'] } }],
      ['pipelines', { name: 'funnel', label: label('Funnel'), entity: 'lead', stages: [{ name: 'fresh', label: label('Fresh'), kind: 'open' }, { name: 'done', label: label('Done'), kind: 'won' }] }, { label: label('Sales funnel') }],
      ['rules', { name: 'stamp', label: label('Stamp'), entity: 'gadget', trigger: { kind: 'record', on: ['create'] }, actions: [{ kind: 'setField', field: 'city', value: 'Stamped' }], enabled: false }, { label: label('Stamp city') }],
    ];
    for (const [path, document, patch] of documents) {
      const base = `/api/v1/meta/${path}`;
      const created = await api.request<Definition>('POST', base, document);
      assert.equal(created.status, 201, `${path}: ${JSON.stringify(created.body)}`);
      assert.equal(created.headers.get('location'), `${base}/${document.name}`);
      assert.equal(typeof created.body.revision, 'number');
      const listed = await ok<{ items: Definition[] }>(api.request('GET', base));
      assert.ok(listed.items.some((item) => item.name === document.name), path);
      const one = await ok<Definition>(api.request('GET', `${base}/${String(document.name)}`));
      assert.equal(one.name, document.name);
      const changed = await ok<Definition>(api.request('PATCH', `${base}/${String(document.name)}`, patch));
      for (const [key, value] of Object.entries(patch)) assert.deepEqual(changed[key], value, `${path} ${key}`);
      assert.ok(changed.revision > created.body.revision, 'a new revision');
      const stale = await api.request('PATCH', `${base}/${String(document.name)}`, patch, { 'If-Match': `"${created.body.revision}"` });
      assertProblem(stale, 409);
      assertProblem(await api.request('POST', base, { name: 'Not valid!' }), 400);
    }
    // Deleted in dependency order: the rule and pipeline refer to entities, the role to none.
    for (const [path, name] of [['rules', 'stamp'], ['roles', 'clerk'], ['directions', 'east']] as const) {
      const deleted = await api.request('DELETE', `/api/v1/meta/${path}/${name}`);
      assert.equal(deleted.status, 204, `${path}: ${JSON.stringify(deleted.body)}`);
      assertProblem(await api.request('GET', `/api/v1/meta/${path}/${name}`), 404);
    }
    await ok(api.request('PATCH', '/api/v1/meta/entities/lead', { features: {} }));
    assert.equal((await api.request('DELETE', '/api/v1/meta/pipelines/funnel')).status, 204);
    assertProblem(await api.request('DELETE', '/api/v1/meta/pipelines/funnel'), 404);
  });

  it('every change is versioned: revision, who, when and the previous value are kept', async () => {
    type Revision = { revision: number; op: string; by: string; at: string; definition: { label: { en: string } }; previous: { label: { en: string } } | null };
    const revisions = await ok<{ items: Revision[] }>(api.request('GET', '/api/v1/meta/entities/gadget/revisions'));
    assert.ok(revisions.items.length >= 4, JSON.stringify(revisions.items.map((r) => r.revision)));
    assert.deepEqual(revisions.items.map((r) => r.revision), [...revisions.items.map((r) => r.revision)].sort((a, b) => b - a), 'newest first');
    const relabel = revisions.items.find((item) => item.definition.label.en === 'Gizmo' && item.previous?.label.en === 'Gadget');
    assert.ok(relabel, 'the relabelling is a revision, with the previous value');
    assert.equal(relabel.by, api.adminId, 'who');
    assert.ok(Math.abs(Date.parse(relabel.at) - Date.now()) < 60_000, 'when');
    assert.equal(revisions.items.at(-1)?.op, 'create');
  });

  it('only administrators change metadata (403, nothing changes)', async () => {
    await ok(api.request('POST', '/api/v1/data/user', { email: 'staff@example.com', name: 'Staff', password: 'staff password 1', roles: [] }), 201);
    const staff = api.as((await api.login('staff@example.com', 'staff password 1')).token);
    assertProblem(await staff('POST', '/api/v1/meta/entities', { name: 'sneaky', label: label('Sneaky'), fields: [] }), 403);
    assertProblem(await staff('PATCH', '/api/v1/meta/entities/gadget', { label: label('Owned') }), 403);
    assertProblem(await staff('POST', '/api/v1/meta/roles', { name: 'boss', label: label('Boss'), permissions: {} }), 403);
    assert.deepEqual((await ok<Definition>(api.request('GET', '/api/v1/meta/entities/gadget'))).label, { en: 'Gizmo', ru: 'Штука' });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../support/api.ts';
import { setUpOrganisation, type Cast } from './fixtures.ts';

type Rec = Record<string, unknown> & { _id: string; version: number };
type Page = { items: Rec[]; total: number };

/**
 * The sales role may not read `deal.secretNote` and may not write `deal.amount`.
 * Export is the list endpoint for now (no separate export route exists yet).
 */
describe('field-level restrictions', () => {
  let api: TestApi;
  let cast: Cast;
  let deal: Rec;
  const enc = encodeURIComponent;
  before(async () => {
    api = await startTestApi();
    cast = await setUpOrganisation(api);
    deal = (await api.request<Rec>('POST', '/api/v1/data/deal', { title: 'Northern star', secretNote: 'confidential zebra', amount: 500, direction: 'north', owner: cast.alice.id })).body;
    await api.request('PATCH', `/api/v1/data/deal/${deal._id}`, { secretNote: 'still a zebra', amount: 600 });
    assert.equal((await cast.alice.request('POST', '/api/v1/data/task', { subject: 'Call', deal: deal._id })).status, 201);
  });
  after(async () => api.close());

  const noSecret = (value: unknown) => {
    const text = JSON.stringify(value);
    assert.equal(text.includes('secretNote'), false, text.slice(0, 300));
    assert.equal(text.includes('zebra'), false, text.slice(0, 300));
  };

  it('is absent from a read, and the rest of the record is there', async () => {
    const read = await cast.alice.request<Rec>('GET', `/api/v1/data/deal/${deal._id}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.amount, 600);
    assert.equal(read.body.title, 'Northern star');
    noSecret(read.body);
    const admin = await api.request<Rec>('GET', `/api/v1/data/deal/${deal._id}`);
    assert.equal(admin.body.secretNote, 'still a zebra', 'administrators see it');
  });

  it('is absent from lists (and so exports), and cannot be selected, filtered, sorted or searched on', async () => {
    const list = await cast.alice.request<Page>('GET', '/api/v1/data/deal');
    assert.equal(list.body.total, 1);
    noSecret(list.body);
    for (const params of [`fields=secretNote`, `filter=${enc('{"secretNote":{"$regex":"^zeb"}}')}`, `filter=${enc('{"$or":[{"secretNote":{"$exists":true}}]}')}`, 'sort=secretNote']) {
      const response = await cast.alice.request('GET', `/api/v1/data/deal?${params}`);
      assert.equal(response.status, 400, params);
      assert.equal(JSON.stringify(response.body).includes('zebra'), false, 'the error echoes the name asked for, never a value');
    }
    const byHidden = await cast.alice.request<Page>('GET', '/api/v1/data/deal?q=zebra');
    assert.deepEqual([byHidden.status, byHidden.body.items.length, byHidden.body.total], [200, 0, 0], 'search cannot probe the hidden field');
    const byVisible = await cast.alice.request<Page>('GET', '/api/v1/data/deal?q=northern');
    assert.equal(byVisible.body.total, 1, 'search over the fields the caller may read still works');
    noSecret(byVisible.body);
    const adminSearch = await api.request<Page>('GET', '/api/v1/data/deal?q=zebra');
    assert.equal(adminSearch.body.total, 1);
  });

  it('is absent from expanded references', async () => {
    const tasks = await cast.alice.request<Page>('GET', '/api/v1/data/task?expand=deal');
    assert.equal(tasks.status, 200);
    const embedded = tasks.body.items[0]!.deal as Rec;
    assert.equal(embedded.title, 'Northern star');
    noSecret(tasks.body);
  });

  it('is absent from history', async () => {
    const history = await cast.alice.request<{ items: Array<{ op: string; changes: Array<{ field: string }> }> }>('GET', `/api/v1/data/deal/${deal._id}/history`);
    assert.equal(history.status, 200);
    assert.deepEqual(history.body.items.map((entry) => entry.op), ['update', 'create']);
    assert.deepEqual(history.body.items[0]!.changes.map((change) => change.field), ['amount']);
    noSecret(history.body);
    const admin = await api.request<{ items: Array<{ changes: Array<{ field: string }> }> }>('GET', `/api/v1/data/deal/${deal._id}/history`);
    assert.deepEqual(admin.body.items[0]!.changes.map((change) => change.field).sort(), ['amount', 'secretNote']);
  });

  it('a write naming a hidden or read-only field is refused with 403 and changes nothing', async () => {
    for (const data of [{ secretNote: 'overwritten' }, { amount: 1 }, { title: 'Renamed', amount: 2 }]) {
      const response = await cast.alice.request('PATCH', `/api/v1/data/deal/${deal._id}`, data);
      assert.equal(response.status, 403, JSON.stringify(data));
    }
    const create = await cast.alice.request('POST', '/api/v1/data/deal', { title: 'New', secretNote: 'x' });
    assert.equal(create.status, 403);
    const stored = await api.database.db.collection('deal').findOne({ title: 'Northern star' });
    assert.deepEqual([stored?.secretNote, stored?.amount, stored?.version], ['still a zebra', 600, 2]);
    const allowed = await cast.alice.request<Rec>('PATCH', `/api/v1/data/deal/${deal._id}`, { title: 'Northern star!' });
    assert.equal(allowed.status, 200);
    noSecret(allowed.body);
    const bulk = await cast.alice.request('POST', '/api/v1/data/deal/bulk', { operations: [{ op: 'create', data: { title: 'Bulk' } }] });
    noSecret(bulk.body);
  });

  it('is absent from the entity definition and its schema; a read-only field is marked so', async () => {
    const definition = await cast.alice.request<{ fields: Array<{ name: string; readonly?: boolean }>; searchable: string[] }>('GET', '/api/v1/meta/entities/deal');
    assert.deepEqual(definition.body.fields.map((field) => field.name), ['title', 'amount', 'organization']);
    assert.equal(definition.body.fields.find((field) => field.name === 'amount')?.readonly, true);
    assert.deepEqual(definition.body.searchable, ['title']);
    const listed = await cast.alice.request<{ items: Array<{ name: string; fields: Array<{ name: string }> }> }>('GET', '/api/v1/meta/entities');
    noSecret(listed.body.items.find((entity) => entity.name === 'deal'));
    const schema = await cast.alice.request<{ properties: Record<string, unknown> }>('GET', '/api/v1/meta/entities/deal/schema?for=response');
    assert.equal(schema.status, 200);
    assert.equal(schema.body.properties.secretNote, undefined);
    const admin = await api.request<{ fields: Array<{ name: string }> }>('GET', '/api/v1/meta/entities/deal');
    assert.ok(admin.body.fields.some((field) => field.name === 'secretNote'));
  });

  it('permissions are a union: another role that may read the field shows it', async () => {
    assert.equal((await api.request('PATCH', `/api/v1/data/user/${cast.erin.id}`, { roles: ['sales', 'viewer'] })).status, 200);
    const read = await cast.erin.request<Rec>('GET', `/api/v1/data/deal/${deal._id}`);
    assert.equal(read.body.secretNote, 'still a zebra');
  });
});

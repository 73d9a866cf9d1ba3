import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../support/api.ts';

type Rec = Record<string, unknown> & { _id: string };

describe('computed values are stored in their result type', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
    const created = await api.request('POST', '/api/v1/meta/entities', {
      name: 'visit',
      label: { en: 'Visit' },
      fields: [
        { name: 'title', type: 'text', label: { en: 'Title' }, required: true },
        { name: 'plannedAt', type: 'datetime', label: { en: 'Planned' } },
        { name: 'doneAt', type: 'datetime', label: { en: 'Done' } },
        { name: 'price', type: 'money', label: { en: 'Price' } },
        { name: 'at', type: 'computed', resultType: 'datetime', label: { en: 'At' }, indexed: true, expression: { or: [{ var: 'doneAt' }, { var: 'plannedAt' }] } },
        { name: 'day', type: 'computed', resultType: 'date', label: { en: 'Day' }, expression: { var: 'plannedAt' } },
        { name: 'gross', type: 'computed', resultType: 'money', label: { en: 'Gross' }, expression: { '*': [{ var: 'price' }, 1.2] } },
      ],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  });
  after(async () => api.close());

  it('stores a computed datetime as a Date, money as Decimal128, and answers their JSON forms', async () => {
    const response = await api.request<Rec>('POST', '/api/v1/data/visit', { title: 'A', plannedAt: '2030-01-02T10:00:00.000Z', price: '100.00' });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    assert.equal(response.body.at, '2030-01-02T10:00:00.000Z');
    assert.equal(response.body.day, '2030-01-02');
    assert.equal(response.body.gross, '120.00');
    const stored = await api.database.db.collection('visit').findOne({ title: 'A' });
    assert.ok(stored?.at instanceof Date, 'computed datetime stored as a Date');
    assert.ok(stored?.day instanceof Date, 'computed date stored as a Date');
    assert.equal(stored?.gross?._bsontype, 'Decimal128');
  });

  it('filters and sorts on a computed datetime like on a written one', async () => {
    await api.request('POST', '/api/v1/data/visit', { title: 'B', plannedAt: '2030-01-05T10:00:00.000Z', doneAt: '2029-12-31T09:00:00.000Z' });
    await api.request('POST', '/api/v1/data/visit', { title: 'C', plannedAt: '2030-02-01T10:00:00.000Z' });
    const filter = encodeURIComponent(JSON.stringify({ at: { $lt: '2030-01-10T00:00:00Z' } }));
    const list = await api.request<{ items: Rec[] }>('GET', `/api/v1/data/visit?filter=${filter}&sort=-at`);
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.deepEqual(list.body.items.map((item) => item.title), ['A', 'B']);
  });

  it('recomputes on update and keeps the Date type', async () => {
    const created = await api.request<Rec>('POST', '/api/v1/data/visit', { title: 'D', plannedAt: '2030-03-01T10:00:00.000Z' });
    const updated = await api.request<Rec>('PATCH', `/api/v1/data/visit/${created.body._id}`, { doneAt: '2030-03-02T11:00:00.000Z' });
    assert.equal(updated.body.at, '2030-03-02T11:00:00.000Z');
    const stored = await api.database.db.collection('visit').findOne({ title: 'D' });
    assert.equal((stored?.at as Date).toISOString(), '2030-03-02T11:00:00.000Z');
  });
});

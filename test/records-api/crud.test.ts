import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../support/api.ts';

type Rec = Record<string, unknown> & { _id: string; version: number };

describe('records API: CRUD, concurrency and history', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
    const company = await api.request('POST', '/api/v1/meta/entities', {
      name: 'company',
      label: { en: 'Company', ru: 'Компания' },
      titleField: 'name',
      searchable: ['name', 'city'],
      features: { owner: true, history: true },
      fields: [
        { name: 'name', type: 'text', label: { en: 'Name' }, required: true },
        { name: 'city', type: 'text', label: { en: 'City' } },
        { name: 'rating', type: 'integer', label: { en: 'Rating' }, min: 1, max: 5, indexed: true },
        { name: 'revenue', type: 'money', label: { en: 'Revenue' } },
        { name: 'founded', type: 'date', label: { en: 'Founded' } },
        { name: 'taxId', type: 'text', label: { en: 'Tax id' }, unique: true },
        { name: 'status', type: 'enum', label: { en: 'Status' }, default: 'prospect', options: [
          { value: 'prospect', label: { en: 'Prospect' } },
          { value: 'client', label: { en: 'Client' } },
        ] },
      ],
    });
    assert.equal(company.status, 201, JSON.stringify(company.body));
    const contact = await api.request('POST', '/api/v1/meta/entities', {
      name: 'contact',
      label: { en: 'Contact' },
      titleField: 'fullName',
      fields: [
        { name: 'fullName', type: 'text', label: { en: 'Full name' }, required: true },
        { name: 'company', type: 'reference', entity: 'company', label: { en: 'Company' } },
      ],
    });
    assert.equal(contact.status, 201, JSON.stringify(contact.body));
  });
  after(async () => api.close());

  it('POST creates a record: 201, Location, ETag, system fields, defaults, typed values', async () => {
    const response = await api.request<Rec>('POST', '/api/v1/data/company', { name: 'Acme', city: 'Москва', rating: 4, revenue: '1234567.89', founded: '1999-05-01', taxId: '7707083893' });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const record = response.body;
    assert.match(record._id, /^[0-9a-f]{24}$/);
    assert.equal(response.headers.get('location'), `/api/v1/data/company/${record._id}`);
    assert.equal(response.headers.get('etag'), '"1"');
    assert.equal(record.version, 1);
    assert.equal(record.status, 'prospect', 'default applied');
    assert.equal(record.revenue, '1234567.89', 'money exact');
    assert.equal(record.founded, '1999-05-01');
    assert.equal(typeof record.createdAt, 'string');
    assert.equal(record._search, undefined, 'hidden fields never leave the server');
    const stored = await api.database.db.collection('company').findOne({ name: 'Acme' });
    assert.equal(stored?.revenue?._bsontype, 'Decimal128');
    assert.ok(stored?.founded instanceof Date);
  });

  it('GET reads one record with its ETag; unknown and malformed ids are 404', async () => {
    const created = await api.request<Rec>('POST', '/api/v1/data/company', { name: 'Readme' });
    const read = await api.request<Rec>('GET', `/api/v1/data/company/${created.body._id}`);
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('etag'), '"1"');
    assert.equal(read.body.name, 'Readme');
    assert.equal((await api.request('GET', '/api/v1/data/company/0123456789abcdef01234567')).status, 404);
    assert.equal((await api.request('GET', '/api/v1/data/company/not-an-id')).status, 404);
    assert.equal((await api.request('GET', '/api/v1/data/nosuchentity')).status, 404);
  });

  it('rejects unknown fields, system fields and bad values with one error per field (no mass assignment)', async () => {
    const count = await api.database.db.collection('company').countDocuments();
    const response = await api.request('POST', '/api/v1/data/company', { name: 'X', version: 7, createdBy: 'me', hacker: true, rating: 'five', _id: '0123456789abcdef01234567' });
    assert.equal(response.status, 400);
    const paths = (response.body.errors as Array<{ path: string }>).map((e) => e.path).sort();
    assert.deepEqual(paths, ['/_id', '/createdBy', '/hacker', '/rating', '/version'], 'refused keys and invalid values in one answer');
    const missing = await api.request('POST', '/api/v1/data/company', { city: 'Nowhere' });
    assert.equal(missing.status, 400);
    assert.ok((missing.body.errors as Array<{ path: string }>).some((e) => e.path === '/name'));
    assert.equal(await api.database.db.collection('company').countDocuments(), count, 'nothing stored');
  });

  it('checks that references exist', async () => {
    const bad = await api.request('POST', '/api/v1/data/contact', { fullName: 'Ivan', company: '0123456789abcdef01234567' });
    assert.equal(bad.status, 400);
    assert.deepEqual((bad.body.errors as Array<{ path: string }>).map((e) => e.path), ['/company']);
    const company = await api.request<Rec>('POST', '/api/v1/data/company', { name: 'Refco' });
    const good = await api.request<Rec>('POST', '/api/v1/data/contact', { fullName: 'Ivan', company: company.body._id });
    assert.equal(good.status, 201);
    const expanded = await api.request<Rec & { company: Rec }>('GET', `/api/v1/data/contact/${good.body._id}?expand=company`);
    assert.equal(expanded.body.company.name, 'Refco');
  });

  it('answers 409 for a duplicate unique value and stores nothing', async () => {
    await api.request('POST', '/api/v1/data/company', { name: 'Uno', taxId: '500100732259' });
    const dup = await api.request('POST', '/api/v1/data/company', { name: 'Dos', taxId: '500100732259' });
    assert.equal(dup.status, 409);
    assert.equal(await api.database.db.collection('company').countDocuments({ name: 'Dos' }), 0);
  });

  it('PATCH merges (null clears), bumps version; a stale If-Match answers 409 and changes nothing', async () => {
    const created = await api.request<Rec>('POST', '/api/v1/data/company', { name: 'Patchy', city: 'Kazan', rating: 2 });
    const id = created.body._id;
    const first = await api.request<Rec>('PATCH', `/api/v1/data/company/${id}`, { rating: 3, city: null }, { 'If-Match': '"1"' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.version, 2);
    assert.equal(first.body.rating, 3);
    assert.equal(first.body.city, undefined);
    assert.equal(first.headers.get('etag'), '"2"');

    // A colleague still holding version 1 tries to save.
    const stale = await api.request('PATCH', `/api/v1/data/company/${id}`, { rating: 5 }, { 'If-Match': '"1"' });
    assert.equal(stale.status, 409);
    const now = await api.request<Rec>('GET', `/api/v1/data/company/${id}`);
    assert.equal(now.body.rating, 3);
    assert.equal(now.body.version, 2);

    const staleDelete = await api.request('DELETE', `/api/v1/data/company/${id}`, undefined, { 'If-Match': '"1"' });
    assert.equal(staleDelete.status, 409);
    assert.equal((await api.request('GET', `/api/v1/data/company/${id}`)).status, 200);
  });

  it('two concurrent writers with the same version: exactly one wins', async () => {
    const created = await api.request<Rec>('POST', '/api/v1/data/company', { name: 'Race', rating: 1 });
    const id = created.body._id;
    const results = await Promise.all(
      [2, 3, 4, 5].map((rating) => api.request('PATCH', `/api/v1/data/company/${id}`, { rating }, { 'If-Match': '"1"' })),
    );
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 409, 409, 409]);
  });

  it('records field-level history for a PATCH: who, when, from, to — newest first', async () => {
    const created = await api.request<Rec>('POST', '/api/v1/data/company', { name: 'Hist', rating: 1, city: 'Omsk' });
    const id = created.body._id;
    await api.request('PATCH', `/api/v1/data/company/${id}`, { rating: 2 });
    await api.request('PATCH', `/api/v1/data/company/${id}`, { rating: 4, city: 'Tomsk' });
    const history = await api.request<{ items: Array<{ op: string; version: number; at: string; changes: Array<{ field: string; from: unknown; to: unknown }> }>; total: number }>('GET', `/api/v1/data/company/${id}/history`);
    assert.equal(history.status, 200);
    assert.equal(history.body.total, 3);
    assert.deepEqual(history.body.items.map((item) => item.op), ['update', 'update', 'create']);
    assert.deepEqual(history.body.items[0]!.changes.sort((a, b) => a.field.localeCompare(b.field)), [
      { field: 'city', from: 'Omsk', to: 'Tomsk' },
      { field: 'rating', from: 2, to: 4 },
    ]);
    assert.deepEqual(history.body.items[1]!.changes, [{ field: 'rating', from: 1, to: 2 }]);
    assert.ok(!Number.isNaN(Date.parse(history.body.items[0]!.at)));
  });

  it('never loses history when a crash leaves entries in the outbox', async () => {
    const created = await api.request<Rec>('POST', '/api/v1/data/company', { name: 'Crashy', rating: 1 });
    const id = created.body._id;
    // Simulate a crash between the record update and the move to _history.
    const { ObjectId } = await import('mongodb');
    await api.database.db.collection('company').updateOne({ _id: new ObjectId(id) }, {
      $set: { rating: 2, version: 2 },
      $push: { _outbox: { _id: new ObjectId(), entity: 'company', recordId: new ObjectId(id), op: 'update', version: 2, at: new Date(), by: null, changes: [{ field: 'rating', from: 1, to: 2 }] } } as never,
    });
    const history = await api.request<{ items: Array<{ version: number }> }>('GET', `/api/v1/data/company/${id}/history`);
    assert.deepEqual(history.body.items.map((item) => item.version), [2, 1]);
    const stored = await api.database.db.collection('company').findOne({ _id: new ObjectId(id) });
    assert.equal(stored?._outbox?.length ?? 0, 0, 'outbox emptied');
  });

  it('DELETE removes the record (204) and keeps its history', async () => {
    const created = await api.request<Rec>('POST', '/api/v1/data/company', { name: 'Gone' });
    const id = created.body._id;
    const deleted = await api.request('DELETE', `/api/v1/data/company/${id}`, undefined, { 'If-Match': '"1"' });
    assert.equal(deleted.status, 204);
    assert.equal((await api.request('GET', `/api/v1/data/company/${id}`)).status, 404);
    assert.equal(await api.database.db.collection('_history').countDocuments({ op: 'delete' }), 1);
  });

  it('publishes record events with the changed fields', async () => {
    const events: Array<{ kind: string; changedFields: string[] }> = [];
    const unsubscribe = api.platform.bus.subscribe((event) => {
      if (event.entity === 'company') events.push({ kind: event.kind, changedFields: event.changedFields });
    });
    const created = await api.request<Rec>('POST', '/api/v1/data/company', { name: 'Evented' });
    await api.request('PATCH', `/api/v1/data/company/${created.body._id}`, { rating: 5 });
    await api.request('DELETE', `/api/v1/data/company/${created.body._id}`);
    await api.platform.bus.drain();
    unsubscribe();
    assert.deepEqual(events.map((e) => e.kind), ['created', 'updated', 'deleted']);
    assert.deepEqual(events[1]!.changedFields, ['rating']);
  });

  it('bulk: per-item results in order, failures do not stop the others', async () => {
    const target = await api.request<Rec>('POST', '/api/v1/data/company', { name: 'BulkTarget' });
    const response = await api.request<{ results: Array<{ index: number; status: number; error?: { code: string } }>; succeeded: number; failed: number }>('POST', '/api/v1/data/company/bulk', {
      operations: [
        { op: 'create', data: { name: 'B1' } },
        { op: 'create', data: { rating: 99 } },
        { op: 'update', id: target.body._id, data: { rating: 5 }, version: 1 },
        { op: 'update', id: target.body._id, data: { rating: 4 }, version: 1 },
        { op: 'delete', id: '0123456789abcdef01234567' },
        { op: 'explode' },
      ],
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(response.body.results.map((r) => r.status), [201, 400, 200, 409, 404, 400]);
    assert.equal(response.body.succeeded, 2);
    assert.equal(response.body.failed, 4);
  });

  it('answers malformed bodies with 400/415, never 500', async () => {
    assert.equal((await api.request('POST', '/api/v1/data/company', '{"name": ', { 'content-type': 'application/json' })).status, 400);
    assert.equal((await api.request('POST', '/api/v1/data/company', '[1,2]')).status, 400);
    assert.equal((await api.request('POST', '/api/v1/data/company', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' })).status, 415);
    assert.equal((await api.request('PATCH', '/api/v1/data/company/0123456789abcdef01234567', { name: 'x' }, { 'If-Match': 'garbage' })).status, 400);
  });
});

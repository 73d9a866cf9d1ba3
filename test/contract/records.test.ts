/**
 * API.md "Records": the generic CRUD endpoints, JSON merge patch, history,
 * bulk, and every list parameter (filter operators, q, sort, limit, offset
 * or cursor, fields, expand, count).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../support/api.ts';
import { assertProblem, createGadgetEntities, ok, type Rec } from './fixtures.ts';

type Page = { items: Rec[]; total?: number; nextCursor?: string | null };

describe('API.md records', () => {
  let api: TestApi;
  let makerId: string;
  const list = (params: Record<string, string>) => api.request<Page>('GET', `/api/v1/data/widget?${new URLSearchParams(params)}`);
  const titles = async (params: Record<string, string>) => (await ok<Page>(list({ sort: 'title', ...params }))).items.map((item) => item.title);
  const filter = (value: unknown) => titles({ filter: JSON.stringify(value) });

  before(async () => {
    api = await startTestApi();
    await createGadgetEntities(api.request);
    // The list tests use their own entity (no direction feature), filled once.
    await ok(api.request('POST', '/api/v1/meta/entities', {
      name: 'widget',
      label: { en: 'Widget' },
      titleField: 'title',
      searchable: ['title'],
      fields: [
        { name: 'title', type: 'text', label: { en: 'Title' }, required: true },
        { name: 'rating', type: 'number', label: { en: 'Rating' } },
        { name: 'city', type: 'text', label: { en: 'City' } },
        { name: 'tags', type: 'multienum', label: { en: 'Tags' }, options: [{ value: 'red', label: { en: 'Red' } }, { value: 'blue', label: { en: 'Blue' } }] },
        { name: 'maker', type: 'reference', entity: 'maker', label: { en: 'Maker' } },
      ],
    }), 201);
    makerId = (await ok<Rec>(api.request('POST', '/api/v1/data/maker', { name: 'Acme' }), 201))._id;
    const seed = [
      { title: 'Alpha', rating: 5, city: 'Москва', tags: ['red', 'blue'], maker: makerId },
      { title: 'Bravo', rating: 4, city: 'Москва', tags: ['red'] },
      { title: 'Charlie', rating: 4, city: 'Tver', tags: [] },
      { title: 'Delta', rating: 2 },
      { title: 'echo', rating: 1, city: 'Tver', tags: ['blue'] },
    ];
    const bulk = await ok<{ results: Array<{ status: number }> }>(api.request('POST', '/api/v1/data/widget/bulk', { operations: seed.map((data) => ({ op: 'create', data })) }));
    assert.deepEqual(bulk.results.map((r) => r.status), [201, 201, 201, 201, 201]);
  });
  after(async () => api.close());

  it('POST → 201 with the record and a Location that reads it back', async () => {
    const created = await api.request<Rec>('POST', '/api/v1/data/gadget', { title: 'Located', rating: 3 });
    const record = await ok<Rec>(Promise.resolve(created), 201);
    const location = created.headers.get('location');
    assert.equal(location, `/api/v1/data/gadget/${record._id}`);
    const read = await ok<Rec>(api.request('GET', location!));
    assert.deepEqual(read, record);
  });

  it('PATCH is a JSON merge patch: absent keys stay, null removes the field, nested objects merge, arrays replace', async () => {
    const created = await ok<Rec>(api.request('POST', '/api/v1/data/gadget', { title: 'Merge', city: 'Тверь', rating: 2, tags: ['red', 'blue'], specs: { size: { w: 1, h: 2 }, colour: 'red', keep: true } }), 201);
    const patched = await ok<Rec>(api.request('PATCH', `/api/v1/data/gadget/${created._id}`, { city: null, tags: ['blue'], specs: { size: { h: null, d: 3 }, colour: null, added: [1, 2] } }));
    assert.equal('city' in patched, false, 'null removed the field (not stored as null)');
    assert.equal(patched.title, 'Merge', 'absent keys are untouched');
    assert.equal(patched.rating, 2);
    assert.deepEqual(patched.tags, ['blue'], 'arrays are replaced');
    assert.deepEqual(patched.specs, { size: { w: 1, d: 3 }, keep: true, added: [1, 2] }, 'objects merge recursively; null removes a member');
    assert.deepEqual(await ok<Rec>(api.request('GET', `/api/v1/data/gadget/${created._id}`)), patched);
    const stored = await api.database.db.collection('gadget').findOne({ title: 'Merge' });
    assert.equal(stored && 'city' in stored, false);
    const merged = await ok<Rec>(api.request('PATCH', `/api/v1/data/gadget/${created._id}`, { specs: 'flat' }, { 'content-type': 'application/merge-patch+json' }));
    assert.equal(merged.specs, 'flat', 'a non-object replaces the whole value; application/merge-patch+json is accepted');
  });

  it('PATCH refuses unknown and system fields and a null on a required field, changing nothing', async () => {
    const created = await ok<Rec>(api.request('POST', '/api/v1/data/gadget', { title: 'Strict' }), 201);
    const refused = assertProblem(await api.request('PATCH', `/api/v1/data/gadget/${created._id}`, { title: null, nope: 1, createdAt: '2020-01-01T00:00:00Z', rating: 'high' }), 400);
    assert.deepEqual(refused.errors.map((e) => e.path).sort(), ['/createdAt', '/nope', '/rating', '/title']);
    assert.deepEqual(await ok<Rec>(api.request('GET', `/api/v1/data/gadget/${created._id}`)), created);
  });

  it('DELETE → 204 with no body; the record is gone (404) and its history keeps the deletion', async () => {
    const created = await ok<Rec>(api.request('POST', '/api/v1/data/gadget', { title: 'Doomed' }), 201);
    const deleted = await api.request('DELETE', `/api/v1/data/gadget/${created._id}`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.body, undefined);
    assertProblem(await api.request('GET', `/api/v1/data/gadget/${created._id}`), 404);
    assertProblem(await api.request('DELETE', `/api/v1/data/gadget/${created._id}`), 404);
    const entries = await api.database.db.collection('_history').find({ recordId: { $exists: true }, op: 'delete', entity: 'gadget' }).toArray();
    assert.ok(entries.some((entry) => String(entry.recordId) === created._id));
  });

  it('a method a record path does not serve answers 405 with Allow, changing nothing', async () => {
    const created = await ok<Rec>(api.request('POST', '/api/v1/data/gadget', { title: 'Put target' }), 201);
    const put = await api.request('PUT', `/api/v1/data/gadget/${created._id}`, { title: 'Replaced' });
    assert.equal(put.status, 405);
    assert.deepEqual(put.headers.get('allow')?.split(', '), ['DELETE', 'GET', 'HEAD', 'PATCH']);
    assert.equal((await ok<Rec>(api.request('GET', `/api/v1/data/gadget/${created._id}`))).title, 'Put target');
  });

  it('GET …/:id/history: field-level entries (who, when, from, to), newest first', async () => {
    const created = await ok<Rec>(api.request('POST', '/api/v1/data/gadget', { title: 'Storied', rating: 1 }), 201);
    await ok(api.request('PATCH', `/api/v1/data/gadget/${created._id}`, { rating: 2 }));
    await ok(api.request('PATCH', `/api/v1/data/gadget/${created._id}`, { rating: 3, city: 'Омск' }));
    const history = await ok<{ items: Array<{ op: string; version: number; at: string; by: string; changes: Array<{ field: string; from: unknown; to: unknown }> }>; total: number }>(api.request('GET', `/api/v1/data/gadget/${created._id}/history`));
    assert.deepEqual(history.items.map((entry) => entry.version), [3, 2, 1], 'newest first');
    assert.equal(history.total, 3);
    const [latest] = history.items;
    assert.equal(latest!.by, api.adminId, 'who');
    assert.ok(!Number.isNaN(Date.parse(latest!.at)), 'when');
    const named = latest as unknown as { who: string; when: string; _id: string; id: string };
    assert.equal(named.who, latest!.by, 'also under the contract\'s own words');
    assert.equal(named.when, latest!.at);
    assert.equal(named._id, named.id);
    assert.deepEqual(latest!.changes.sort((a, b) => a.field.localeCompare(b.field)), [{ field: 'city', from: null, to: 'Омск' }, { field: 'rating', from: 2, to: 3 }]);
    assert.equal(history.items[2]!.op, 'create');
  });

  it('POST …/bulk: creates, updates and deletes with one result per item, in order; a failing item changes nothing and stops no other', async () => {
    const a = await ok<Rec>(api.request('POST', '/api/v1/data/gadget', { title: 'Bulk A' }), 201);
    const b = await ok<Rec>(api.request('POST', '/api/v1/data/gadget', { title: 'Bulk B' }), 201);
    const answer = await ok<{ results: Array<{ index: number; op: string; status: number; id?: string; record?: Rec; error?: { errors: Array<{ path: string }> } }>; succeeded: number; failed: number }>(api.request('POST', '/api/v1/data/gadget/bulk', {
      operations: [
        { op: 'create', data: { title: 'Bulk C' } },
        { op: 'create', data: { title: 'Bulk bad', rating: 7 } },
        { op: 'update', id: a._id, data: { rating: 4 } },
        { op: 'update', id: b._id, version: 9, data: { rating: 4 } },
        { op: 'delete', id: b._id },
      ],
    }));
    assert.deepEqual(answer.results.map((r) => [r.index, r.op, r.status]), [[0, 'create', 201], [1, 'create', 400], [2, 'update', 200], [3, 'update', 409], [4, 'delete', 204]]);
    assert.deepEqual([answer.succeeded, answer.failed], [3, 2]);
    assert.equal(answer.results[0]!.record!.title, 'Bulk C');
    assert.deepEqual(answer.results[1]!.error!.errors.map((e) => e.path), ['/rating']);
    assert.equal(answer.results[2]!.record!.version, 2);
    assert.equal(await api.database.db.collection('gadget').countDocuments({ title: 'Bulk bad' }), 0);
  });

  it('list answers { items, total, nextCursor }; count=false omits total only', async () => {
    const page = await ok<Page>(list({ limit: '2', sort: 'title' }));
    assert.deepEqual(Object.keys(page).sort(), ['items', 'nextCursor', 'total']);
    assert.equal(page.total, 5);
    assert.equal(typeof page.nextCursor, 'string');
    const fast = await ok<Page>(list({ limit: '2', count: 'false' }));
    assert.equal('total' in fast, false);
    assert.equal(fast.items.length, 2);
    assert.equal(typeof fast.nextCursor, 'string');
  });

  it('filter: every allowed operator works', async () => {
    const cases: Array<[unknown, string[]]> = [
      [{ rating: { $eq: 4 } }, ['Bravo', 'Charlie']],
      [{ rating: 4 }, ['Bravo', 'Charlie']],
      [{ rating: { $ne: 4 } }, ['Alpha', 'Delta', 'echo']],
      [{ rating: { $gt: 4 } }, ['Alpha']],
      [{ rating: { $gte: 4 } }, ['Alpha', 'Bravo', 'Charlie']],
      [{ rating: { $lt: 2 } }, ['echo']],
      [{ rating: { $lte: 2 } }, ['Delta', 'echo']],
      [{ rating: { $in: [1, 5] } }, ['Alpha', 'echo']],
      [{ rating: { $nin: [1, 5] } }, ['Bravo', 'Charlie', 'Delta']],
      [{ city: { $exists: false } }, ['Delta']],
      [{ $and: [{ rating: { $gte: 4 } }, { city: 'Москва' }] }, ['Alpha', 'Bravo']],
      [{ $or: [{ rating: 5 }, { city: 'Tver' }] }, ['Alpha', 'Charlie', 'echo']],
      [{ $nor: [{ rating: { $gte: 4 } }, { city: 'Tver' }] }, ['Delta']],
      [{ rating: { $not: { $gte: 4 } } }, ['Delta', 'echo']],
      [{ tags: { $all: ['red', 'blue'] } }, ['Alpha']],
      [{ tags: { $size: 1 } }, ['Bravo', 'echo']],
      [{ tags: { $elemMatch: { $eq: 'blue' } } }, ['Alpha', 'echo']],
      [{ title: { $regex: '^[a-d]', $options: 'i' } }, ['Alpha', 'Bravo', 'Charlie', 'Delta']],
      [{ title: { $regex: '^e' } }, ['echo']],
      [{ rating: { $gte: 4 }, city: 'Москва' }, ['Alpha', 'Bravo']],
    ];
    for (const [value, expected] of cases) assert.deepEqual(await filter(value), expected, JSON.stringify(value));
  });

  it('filter: anything else is a 400 naming the offending place, never reaching the database', async () => {
    const refused: Array<[unknown, string]> = [
      [{ $where: 'this.rating > 1' }, '/filter/$where'],
      [{ $expr: { $gt: ['$rating', 1] } }, '/filter/$expr'],
      [{ rating: { $function: { body: 'return true', args: [], lang: 'js' } } }, '/filter/rating/$function'],
      [{ secret: 1 }, '/filter/secret'],
      [{ title: { $gt: { $gt: 'a' } } }, '/filter/title/$gt'],
      [{ title: { nested: 'object' } }, '/filter/title'],
      [{ title: { $regex: 'a', $options: 'm' } }, '/filter/title/$regex'],
      [{ title: { $regex: 'a'.repeat(1000) } }, '/filter/title/$regex'],
      [{ rating: { $mod: [2, 0] } }, '/filter/rating/$mod'],
      [{ $text: { $search: 'x' } }, '/filter/$text'],
    ];
    for (const [value, path] of refused) {
      const problem = assertProblem(await list({ filter: JSON.stringify(value) }), 400);
      assert.ok(problem.errors.some((e) => e.path === path), `${JSON.stringify(value).slice(0, 60)} → ${JSON.stringify(problem.errors)}`);
    }
    assertProblem(await list({ filter: '{not json' }), 400);
  });

  it('q searches the searchable fields', async () => {
    assert.deepEqual(await titles({ q: 'char' }), ['Charlie']);
  });

  it('sort: comma list, - for descending', async () => {
    assert.deepEqual(await titles({ sort: '-rating,title' }), ['Alpha', 'Bravo', 'Charlie', 'Delta', 'echo']);
    assert.deepEqual(await titles({ sort: 'rating,-title' }), ['echo', 'Delta', 'Charlie', 'Bravo', 'Alpha']);
    assertProblem(await list({ sort: 'nope' }), 400);
  });

  it('limit: default 50, at most 500; outside 1..500 is a 400 (not clamped)', async () => {
    const operations = Array.from({ length: 50 }, (_, i) => ({ op: 'create', data: { name: `Maker ${i}` } }));
    await ok(api.request('POST', '/api/v1/data/maker/bulk', { operations }));
    const page = await ok<Page>(api.request('GET', '/api/v1/data/maker'));
    assert.equal(page.items.length, 50);
    assert.equal(page.total, 51);
    assert.equal(typeof page.nextCursor, 'string');
    assert.equal((await ok<Page>(api.request('GET', '/api/v1/data/maker?limit=500'))).items.length, 51);
    for (const limit of ['501', '0', '-1', 'ten']) assert.deepEqual(assertProblem(await api.request('GET', `/api/v1/data/maker?limit=${limit}`), 400).errors.map((e) => e.path), ['/limit'], limit);
  });

  it('offset or cursor pages through without gaps; both at once is a 400', async () => {
    const byOffset = [...(await titles({ limit: '2' })), ...(await titles({ limit: '2', offset: '2' })), ...(await titles({ limit: '2', offset: '4' }))];
    const byCursor: string[] = [];
    let cursor: string | null | undefined;
    do {
      const page: Page = await ok<Page>(list({ sort: 'title', limit: '2', ...(cursor ? { cursor } : {}) }));
      byCursor.push(...page.items.map((item) => String(item.title)));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(byOffset, ['Alpha', 'Bravo', 'Charlie', 'Delta', 'echo']);
    assert.deepEqual(byCursor, byOffset);
    const first = await ok<Page>(list({ sort: 'title', limit: '2' }));
    assertProblem(await list({ sort: 'title', limit: '2', offset: '2', cursor: first.nextCursor! }), 400);
    assertProblem(await list({ cursor: 'forged' }), 400);
  });

  it('fields returns only those (plus _id and version); expand embeds the referenced record', async () => {
    const picked = await ok<Page>(list({ fields: 'title,rating', sort: 'title', limit: '1' }));
    assert.deepEqual(Object.keys(picked.items[0]!).sort(), ['_id', 'rating', 'title', 'version']);
    const expanded = await ok<Page>(list({ expand: 'maker', filter: JSON.stringify({ title: 'Alpha' }) }));
    const maker = expanded.items[0]!.maker as Rec;
    assert.equal(maker._id, makerId);
    assert.equal(maker.name, 'Acme');
    assertProblem(await list({ expand: 'title' }), 400);
    assertProblem(await list({ fields: 'nope' }), 400);
    const one = await ok<Rec>(api.request('GET', `/api/v1/data/widget/${expanded.items[0]!._id}?expand=maker&fields=title,maker`));
    assert.equal((one.maker as Rec).name, 'Acme');
    assert.equal('rating' in one, false);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { startTestApi, type TestApi } from '../support/api.ts';

type Page = { items: Array<Record<string, unknown> & { _id: string }>; total?: number; nextCursor?: string | null };

function seedRecord(i: number) {
  const now = new Date(Date.UTC(2024, 0, 1) + i * 60_000);
  return { _id: new ObjectId(), seq: i, name: `Item ${String(i).padStart(5, '0')}`, score: i % 7, createdAt: now, updatedAt: now, createdBy: null, updatedBy: null, version: 1 };
}

describe('records API: the query language', () => {
  let api: TestApi;
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

  before(async () => {
    api = await startTestApi();
    const created = await api.request('POST', '/api/v1/meta/entities', {
      name: 'item',
      label: { en: 'Item' },
      titleField: 'name',
      searchable: ['name', 'note'],
      fields: [
        { name: 'name', type: 'text', label: { en: 'Name' }, required: true },
        { name: 'note', type: 'text', label: { en: 'Note' } },
        { name: 'seq', type: 'integer', label: { en: 'Seq' }, indexed: true },
        { name: 'score', type: 'number', label: { en: 'Score' } },
        { name: 'when', type: 'datetime', label: { en: 'When' } },
        { name: 'tags', type: 'multienum', label: { en: 'Tags' }, options: [
          { value: 'a', label: { en: 'A' } }, { value: 'b', label: { en: 'B' } }, { value: 'c', label: { en: 'C' } },
        ] },
        { name: 'active', type: 'boolean', label: { en: 'Active' } },
      ],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
  });
  after(async () => api.close());

  it('filters with whitelisted operators, coerces values, sorts, projects, counts', async () => {
    const base = [
      { name: 'Ёлка Москва', note: 'Café crème', seq: 1, score: 3.5, when: '2024-03-01T10:00:00Z', tags: ['a', 'b'], active: true },
      { name: 'елка питер', seq: 2, score: 1, when: '2024-03-02T10:00:00Z', tags: ['b'], active: false },
      { name: 'Zeta', seq: 3, score: 9, when: '2024-03-03T10:00:00Z', tags: ['c'], active: true },
    ];
    for (const record of base) assert.equal((await api.request('POST', '/api/v1/data/item', record)).status, 201);

    const byDate = await api.request<Page>('GET', `/api/v1/data/item?${q({ filter: JSON.stringify({ when: { $gte: '2024-03-02T00:00:00Z' } }), sort: '-seq' })}`);
    assert.equal(byDate.status, 200, JSON.stringify(byDate.body));
    assert.deepEqual(byDate.body.items.map((i) => i.seq), [3, 2]);
    assert.equal(byDate.body.total, 2);

    const or = await api.request<Page>('GET', `/api/v1/data/item?${q({ filter: JSON.stringify({ $or: [{ score: { $lt: 2 } }, { tags: { $all: ['a', 'b'] } }] }), sort: 'seq' })}`);
    assert.deepEqual(or.body.items.map((i) => i.seq), [1, 2]);

    const inList = await api.request<Page>('GET', `/api/v1/data/item?${q({ filter: JSON.stringify({ seq: { $in: [1, 3] }, active: true }), fields: 'name', sort: 'seq' })}`);
    assert.deepEqual(inList.body.items.map((i) => Object.keys(i).sort()), [['_id', 'name', 'version'], ['_id', 'name', 'version']]);

    const regex = await api.request<Page>('GET', `/api/v1/data/item?${q({ filter: JSON.stringify({ name: { $regex: '^zet', $options: 'i' } }) })}`);
    assert.deepEqual(regex.body.items.map((i) => i.seq), [3]);

    const noCount = await api.request<Page>('GET', `/api/v1/data/item?${q({ count: 'false' })}`);
    assert.equal(noCount.body.total, undefined);
  });

  it('full-text q is case- and accent-insensitive, Cyrillic included', async () => {
    const yo = await api.request<Page>('GET', `/api/v1/data/item?${q({ q: 'ЕЛКА' })}`);
    assert.deepEqual(yo.body.items.map((i) => i.seq).sort(), [1, 2]);
    const accent = await api.request<Page>('GET', `/api/v1/data/item?${q({ q: 'cafe creme' })}`);
    assert.deepEqual(accent.body.items.map((i) => i.seq), [1]);
    const prefix = await api.request<Page>('GET', `/api/v1/data/item?${q({ q: 'моск' })}`);
    assert.deepEqual(prefix.body.items.map((i) => i.seq), [1]);
  });

  it('offset paging and limit bounds', async () => {
    const page = await api.request<Page>('GET', `/api/v1/data/item?${q({ sort: 'seq', limit: '2', offset: '1' })}`);
    assert.deepEqual(page.body.items.map((i) => i.seq), [2, 3]);
    for (const limit of ['0', '501', '100000', '-1', 'abc', '1.5']) {
      assert.equal((await api.request('GET', `/api/v1/data/item?${q({ limit })}`)).status, 400, `limit=${limit}`);
    }
  });

  describe('security: anything outside the whitelist is a 400 before the database is touched', () => {
    const bad: Array<[string, Record<string, string>]> = [
      ['$where', { filter: JSON.stringify({ $where: 'sleep(1000)' }) }],
      ['$function', { filter: JSON.stringify({ name: { $function: { body: 'x', args: [], lang: 'js' } } }) }],
      ['$expr', { filter: JSON.stringify({ $expr: { $gt: ['$score', 1] } }) }],
      ['$text', { filter: JSON.stringify({ $text: { $search: 'x' } }) }],
      ['unknown field', { filter: JSON.stringify({ password: 'x' }) }],
      ['hidden field', { filter: JSON.stringify({ _search: 'x' }) }],
      ['operator object in value position', { filter: JSON.stringify({ seq: { $in: [{ $gt: 0 }] } }) }],
      ['$ne null injection on a boolean via object', { filter: JSON.stringify({ active: { $gt: true } }) }],
      ['__proto__', { filter: '{"__proto__":{"polluted":1}}' }],
      ['constructor', { filter: JSON.stringify({ constructor: { prototype: { x: 1 } } }) }],
      ['regex option x', { filter: JSON.stringify({ name: { $regex: 'a', $options: 'x' } }) }],
      ['overlong regex', { filter: JSON.stringify({ name: { $regex: 'a'.repeat(5000) } }) }],
      ['invalid JSON', { filter: '{"seq":' }],
      ['wrong type', { filter: JSON.stringify({ seq: 'one' }) }],
      ['deep nesting', { filter: JSON.stringify(Array.from({ length: 12 }).reduce<unknown>((acc) => ({ $and: [acc] }), { seq: 1 })) }],
      ['1 MB filter', { filter: JSON.stringify({ name: { $in: Array.from({ length: 60000 }, (_, i) => `name-${i}`) } }) }],
      ['huge limit', { limit: '1000000' }],
      ['unknown sort field', { sort: 'password' }],
      ['tampered cursor', { cursor: 'eyJ4IjoxfQ' }],
      ['unknown expand', { expand: 'name' }],
    ];
    for (const [name, params] of bad) {
      it(`refuses ${name}`, async () => {
        const commandsBefore = await countFinds(api);
        const response = await api.request('GET', `/api/v1/data/item?${q(params)}`);
        assert.equal(response.status, 400, `${name}: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
        assert.match(String(response.headers.get('content-type')), /problem\+json/);
        assert.equal(await countFinds(api), commandsBefore, 'the database was not queried');
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
      });
    }

    it('refuses operator injection in JSON bodies', async () => {
      const response = await api.request('POST', '/api/v1/data/item', { name: { $gt: '' } });
      assert.equal(response.status, 400);
      const proto = await api.request('POST', '/api/v1/data/item', '{"name":"x","__proto__":{"admin":true}}');
      assert.equal(proto.status, 400);
    });
  });

  it('cursor paging over 10,000 records while inserts happen: no duplicates, no gaps', async () => {
    const collection = api.database.db.collection('item');
    await collection.deleteMany({});
    for (let batch = 0; batch < 10; batch += 1) {
      await collection.insertMany(Array.from({ length: 1000 }, (_, i) => seedRecord(batch * 1000 + i)));
    }
    const original = new Set((await collection.find({}, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id.toHexString()));
    assert.equal(original.size, 10000);

    const seen = new Set<string>();
    let cursor: string | undefined;
    let pages = 0;
    let inserted = 0;
    do {
      const params: Record<string, string> = { sort: 'score,-seq', limit: '500', count: 'false' };
      if (cursor) params.cursor = cursor;
      const page = await api.request<Page>('GET', `/api/v1/data/item?${q(params)}`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      for (const item of page.body.items) {
        assert.ok(!seen.has(item._id), `duplicate ${item._id}`);
        seen.add(item._id);
      }
      // Concurrent inserts between pages, landing before and after the current position.
      await collection.insertMany(Array.from({ length: 20 }, (_, i) => seedRecord(20000 + inserted + i)));
      inserted += 20;
      cursor = page.body.nextCursor ?? undefined;
      pages += 1;
    } while (cursor && pages < 100);
    for (const id of original) assert.ok(seen.has(id), `gap: ${id} never returned`);
    assert.ok(pages >= 20);
  });
});

// Queries of the records (every request also looks up its session and user, which is not what these tests watch).
const recordQueries = new WeakMap<TestApi, { count: number }>();

async function countFinds(api: TestApi): Promise<number> {
  let counter = recordQueries.get(api);
  if (!counter) {
    const created = { count: 0 };
    api.database.client.on('commandStarted', (event) => {
      if (['find', 'aggregate', 'count'].includes(event.commandName) && event.command[event.commandName] === 'item') created.count++;
    });
    recordQueries.set(api, (counter = created));
  }
  return counter.count;
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'mongodb';
import { find } from 'mingo';
import { buildFieldMap } from '../../core/query/field-map.ts';
import { nextCursor } from '../../core/query/cursor.ts';
import { countFilter, findFilter } from '../../core/query/list-query.ts';
import { parseListParams } from '../../core/query/parse-list-params.ts';
import { searchableFields, searchTokens } from '../../core/search/normalize.ts';
import type { EntityDefinition } from '../../core/metadata/types.ts';
import { gadgetEntity } from './fixtures.ts';
import { assertRefused, queryErrors } from './helpers.ts';

const entity = gadgetEntity();
const fieldMap = buildFieldMap(entity);
const parse = (params: URLSearchParams | Record<string, string | undefined>, secret?: string) =>
  parseListParams(params, { fieldMap, entity, cursorSecret: secret });
const url = (qs: string) => new URLSearchParams(qs);
const refused = (qs: string, path: string, message?: string) => assertRefused(() => parse(url(qs)), path, message);

test('no parameters: no filter, _id order, 50 items, a total, every field but the search tokens', () => {
  const q = parse(url(''));
  assert.deepEqual(q, {
    filter: {},
    sort: [{ field: '_id', direction: 1 }],
    mongoSort: { _id: 1 },
    limit: 50,
    offset: 0,
    projection: { _search: 0 },
    expand: [],
    count: true,
  });
});

test('every parameter together', () => {
  const q = parse(
    url(`filter=${encodeURIComponent('{"rating":{"$gte":4}}')}&q=${encodeURIComponent(' Москва ')}&sort=-rating,title&limit=10&offset=20&fields=title,rating&expand=organization&count=false`),
  );
  assert.deepEqual(q.filter, { rating: { $gte: 4 } });
  assert.equal(q.q, 'Москва');
  assert.deepEqual(q.search, { _search: { $all: [/^москва/] } });
  assert.deepEqual(q.sort, [
    { field: 'rating', direction: -1 },
    { field: 'title', direction: 1 },
    { field: '_id', direction: 1 },
  ]);
  assert.deepEqual(Object.entries(q.mongoSort), [['rating', -1], ['title', 1], ['_id', 1]]);
  assert.equal(q.limit, 10);
  assert.equal(q.offset, 20);
  assert.deepEqual(q.fields, ['_id', 'version', 'title', 'rating', 'organization']);
  assert.deepEqual(q.projection, { _id: 1, version: 1, title: 1, rating: 1, organization: 1 });
  assert.deepEqual(q.expand, ['organization']);
  assert.equal(q.count, false);
});

test('a plain object of parameters works like URLSearchParams, undefined meaning absent', () => {
  const q = parse({ sort: 'title', limit: '5', q: undefined });
  assert.equal(q.limit, 5);
  assert.equal(q.q, undefined);
});

test('sort: _id is always the last key; descending _id may be asked for', () => {
  assert.deepEqual(parse(url('sort=-createdAt')).sort, [{ field: 'createdAt', direction: -1 }, { field: '_id', direction: 1 }]);
  assert.deepEqual(parse(url('sort=-_id')).sort, [{ field: '_id', direction: -1 }]);
  assert.deepEqual(parse(url('sort=score,-price')).mongoSort, { score: 1, price: -1, _id: 1 });
});

test('sort: unknown, unsortable, repeated, too many and trailing-after-_id keys are refused', () => {
  refused('sort=nope', '/sort', 'unknown field "nope"');
  refused('sort=rating,', '/sort', 'unknown field ""');
  refused('sort=tags', '/sort', 'cannot sort by "tags"');
  refused('sort=meta', '/sort', 'cannot sort by "meta"');
  refused('sort=contacts', '/sort', 'cannot sort by "contacts"');
  refused('sort=rating,-rating', '/sort', 'twice');
  refused('sort=_id,rating', '/sort', 'nothing may follow');
  refused('sort=title,rating,count,price,seenAt,launchDate', '/sort', 'at most 5');
  assert.doesNotThrow(() => parse(url('sort=title,rating,count,price,seenAt,-_id')));
});

test('limit: 1 to 500 as a plain integer', () => {
  assert.equal(parse(url('limit=500')).limit, 500);
  assert.equal(parse(url('limit=1')).limit, 1);
  for (const bad of ['0', '-1', '1.5', '501', '100000', 'abc', '1e3', '0x10', ' 5']) refused(`limit=${encodeURIComponent(bad)}`, '/limit', 'from 1 to 500');
});

test('offset: 0 to 100000, never together with a cursor', () => {
  assert.equal(parse(url('offset=100000')).offset, 100000);
  refused('offset=100001', '/offset');
  refused('offset=-3', '/offset');
  const cursor = nextCursor({ _id: new ObjectId() }, [{ field: '_id', direction: 1 }]);
  refused(`offset=0&cursor=${cursor}`, '/cursor', 'either offset or cursor');
});

test('cursor: decoded for the same sort, refused for another or when damaged', () => {
  const id = new ObjectId();
  const sort = [{ field: 'rating', direction: -1 as const }, { field: '_id', direction: 1 as const }];
  const token = nextCursor({ _id: id, rating: 3 }, sort);
  const q = parse(url(`sort=-rating&cursor=${token}`));
  assert.deepEqual(q.cursor, [3, id]);
  assert.deepEqual(q.after, { rating: { $not: { $gt: 3 } }, $or: [{ $or: [{ rating: { $lt: 3 } }, { rating: null }] }, { rating: 3, _id: { $gt: id } }] });
  assert.equal(q.offset, 0);
  refused(`sort=rating&cursor=${token}`, '/cursor', 'different sort');
  refused(`sort=-rating&cursor=${token.slice(0, -2)}`, '/cursor', 'damaged');
  refused('cursor=%7B%22%24gt%22%3A1%7D', '/cursor', 'malformed');
  // A deployment secret: cursors from elsewhere are refused, its own accepted.
  assertRefused(() => parse(url(`sort=-rating&cursor=${token}`), 'secret'), '/cursor', 'damaged');
  assert.doesNotThrow(() => parse(url(`sort=-rating&cursor=${nextCursor({ _id: id, rating: 3 }, sort, { secret: 'secret' })}`), 'secret'));
});

test('fields: known fields only; the projection keeps _id, version, expanded fields and sort keys', () => {
  const q = parse(url('fields=title&sort=-rating&expand=owner'));
  assert.deepEqual(q.fields, ['_id', 'version', 'title', 'owner']);
  assert.deepEqual(q.projection, { _id: 1, version: 1, title: 1, owner: 1, rating: 1 });
  refused('fields=title,nope', '/fields', 'unknown field "nope"');
  refused('fields=_search', '/fields', 'unknown field');
  refused('fields=legacy', '/fields', 'unknown field');
});

test('expand: reference fields only', () => {
  assert.deepEqual(parse(url('expand=organization,contacts,createdBy')).expand, ['organization', 'contacts', 'createdBy']);
  refused('expand=title', '/expand', 'not a reference field');
  refused('expand=nope', '/expand', 'unknown field');
});

test('count: true or false', () => {
  assert.equal(parse(url('count=true')).count, true);
  assert.equal(parse(url('count=false')).count, false);
  refused('count=no', '/count', 'true or false');
});

test('q: trimmed, limited, and only on entities with searchable fields', () => {
  assert.equal(parse(url('q=%20%20')).q, undefined, 'blank q is no search');
  refused(`q=${'x'.repeat(201)}`, '/q', 'at most 200');
  refused('q=aa+bb+cc+dd+ee+ff+gg+hh+ii+jj+kk', '/q', 'at most 10 words');
  const plain: EntityDefinition = { name: 'plain', label: { en: 'Plain' }, fields: [{ name: 'x', type: 'text', label: { en: 'X' } }] };
  assertRefused(() => parseListParams(url('q=abc'), { fieldMap: buildFieldMap(plain), entity: plain }), '/q', 'no searchable fields');
  assert.equal(parse(url('q=...')).search, undefined, 'q with no words does not filter');
});

test('unknown and repeated parameters are refused', () => {
  refused('filters=%7B%7D', '/filters', 'unknown parameter');
  refused('_=123', '/_', 'unknown parameter');
  refused('a%2Fb=1', '/a~1b', 'unknown parameter');
  refused('limit=5&limit=6', '/limit', 'once');
});

test('every problem is reported together; filter errors point into the filter under /filter', () => {
  const errors = queryErrors(() => parse(url(`filter=${encodeURIComponent('{"rating":{"$where":"1"}}')}&limit=0&sort=nope&bogus=1`)));
  assert.deepEqual(errors.map((e) => e.path).sort(), ['/bogus', '/filter/rating/$where', '/limit', '/sort']);
  assertRefused(() => parse(url(`filter=${encodeURIComponent('{"a":')}`)), '/filter', 'valid JSON');
});

test('find and count filters AND the parts without merging keys', () => {
  const id = new ObjectId();
  const q = parse(url(`filter=${encodeURIComponent('{"$or":[{"rating":1}]}')}&q=abc&cursor=${nextCursor({ _id: id }, [{ field: '_id', direction: 1 }])}`));
  const access = { $or: [{ owner: id }] };
  assert.deepEqual(findFilter(q, access), { $and: [{ $or: [{ rating: 1 }] }, { _search: { $all: [/^abc/] } }, { _id: { $gt: id } }, access] });
  assert.deepEqual(countFilter(q, access), { $and: [{ $or: [{ rating: 1 }] }, { _search: { $all: [/^abc/] } }, access] });
  assert.deepEqual(findFilter(parse(url(''))), {});
  assert.deepEqual(findFilter(parse(url('')), access), access);
});

test('end to end in a MongoDB evaluator: filter + q + sort + cursor pages through matching records once', () => {
  const fields = searchableFields(entity);
  const docs = Array.from({ length: 230 }, (_, i) => {
    const doc: Record<string, unknown> = { _id: new ObjectId(), version: 1, title: i % 3 === 0 ? `Москва ${i}` : `Тула ${i}`, rating: i % 5 === 0 ? null : i % 7 };
    doc._search = searchTokens(doc, fields);
    return doc;
  });
  const filter = encodeURIComponent('{"rating":{"$ne":0}}');
  const expected = docs.filter((d) => d.rating !== 0 && String(d.title).startsWith('Москва')).length;
  const seen = new Set<string>();
  let cursor = '';
  for (let pages = 0; pages < 50; pages++) {
    const q = parse(url(`filter=${filter}&q=моск&sort=-rating,title&limit=7&fields=title${cursor ? `&cursor=${cursor}` : ''}`));
    const items = find(docs, findFilter(q), q.projection).sort(q.mongoSort).limit(q.limit).all();
    for (const item of items) {
      assert.ok(!seen.has(String(item._id)), 'no record twice');
      seen.add(String(item._id));
      assert.equal('_search' in item, false);
    }
    if (items.length < q.limit) break;
    cursor = nextCursor(items[items.length - 1], q.sort);
  }
  assert.equal(seen.size, expected);
});

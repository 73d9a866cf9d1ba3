/** Query operator families, projections and sorting as MongoDB 7.0 evaluates them. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ObjectId, type Document } from 'mongodb';
import { serverError, startHarness, type Harness } from './helpers.ts';

const OID_A = new ObjectId('000000000000000000000001');
const OID_B = new ObjectId('000000000000000000000002');

const DOCS: Document[] = [
  { _id: 1, name: 'ann', age: 30, tags: ['a', 'b'], scores: [80, 95], addr: { city: 'oslo', zip: '0150' }, at: new Date('2024-01-01'), ref: OID_A, flags: 5, items: [{ k: 'x', q: 1 }, { k: 'y', q: 5 }] },
  { _id: 2, name: 'bob', age: 25, tags: ['b'], scores: [60], addr: { city: 'lima' }, at: new Date('2024-06-01'), ref: OID_B, flags: 2, items: [{ k: 'x', q: 9 }] },
  { _id: 3, name: 'Cat', age: null, tags: [], scores: [], at: new Date('2023-01-01'), flags: 0 },
  { _id: 4, name: 'dan', tags: ['c', 'a'], scores: [100, 20], addr: { city: 'oslo', zip: null }, items: [] },
];

describe('query operators', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.db.collection('q').insertMany(DOCS);
  });
  after(async () => h.close());
  const ids = async (filter: Document): Promise<unknown[]> =>
    (await h.db.collection('q').find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);

  test('comparison: $eq $ne $gt $gte $lt $lte $in $nin, with null matching missing', async () => {
    assert.deepEqual(await ids({ age: 30 }), [1]);
    assert.deepEqual(await ids({ age: { $ne: 30 } }), [2, 3, 4]);
    assert.deepEqual(await ids({ age: { $gt: 25 } }), [1]);
    assert.deepEqual(await ids({ age: { $gte: 25, $lt: 30 } }), [2]);
    assert.deepEqual(await ids({ age: { $lte: 30 } }), [1, 2]);
    assert.deepEqual(await ids({ age: null }), [3, 4]);
    assert.deepEqual(await ids({ age: { $in: [25, null] } }), [2, 3, 4]);
    assert.deepEqual(await ids({ age: { $nin: [25, 30] } }), [3, 4]);
    assert.deepEqual(await ids({ name: { $gt: 'b' } }), [2, 4], 'strings compare by code point: "Cat" < "b"');
    assert.deepEqual(await ids({ at: { $gte: new Date('2024-01-01') } }), [1, 2]);
    assert.deepEqual(await ids({ ref: { $gt: OID_A } }), [2]);
    assert.deepEqual(await ids({ age: { $gt: '20' } }), [], 'no cross-type range matches');
  });

  test('arrays: element matching, whole-array equality, $all, $size, $elemMatch', async () => {
    assert.deepEqual(await ids({ tags: 'a' }), [1, 4]);
    assert.deepEqual(await ids({ tags: ['a', 'b'] }), [1]);
    assert.deepEqual(await ids({ tags: { $all: ['a', 'c'] } }), [4]);
    assert.deepEqual(await ids({ tags: { $size: 0 } }), [3]);
    assert.deepEqual(await ids({ scores: { $gt: 90, $lt: 99 } }), [1, 4], 'different elements may satisfy each bound');
    assert.deepEqual(await ids({ scores: { $elemMatch: { $gt: 90, $lt: 99 } } }), [1]);
    assert.deepEqual(await ids({ scores: { $elemMatch: { $gt: 50, $lt: 70 } } }), [2]);
    assert.deepEqual(await ids({ items: { $elemMatch: { k: 'x', q: { $gt: 5 } } } }), [2]);
    assert.deepEqual(await ids({ 'items.q': 5 }), [1]);
    assert.deepEqual(await ids({ 'scores.1': 95 }), [1]);
    assert.deepEqual(await ids({ tags: { $all: [{ $elemMatch: { $eq: 'c' } }] } }), [4]);
  });

  test('embedded documents: dotted paths and exact document equality (field order matters)', async () => {
    assert.deepEqual(await ids({ 'addr.city': 'oslo' }), [1, 4]);
    assert.deepEqual(await ids({ 'addr.zip': null }), [2, 3, 4]);
    assert.deepEqual(await ids({ addr: { city: 'lima' } }), [2]);
    assert.deepEqual(await ids({ addr: { zip: '0150', city: 'oslo' } }), []);
  });

  test('logical: $and $or $nor $not', async () => {
    assert.deepEqual(await ids({ $and: [{ tags: 'a' }, { age: { $exists: true } }] }), [1]);
    assert.deepEqual(await ids({ $or: [{ age: 25 }, { name: 'dan' }] }), [2, 4]);
    assert.deepEqual(await ids({ $nor: [{ age: 25 }, { name: 'dan' }] }), [1, 3]);
    assert.deepEqual(await ids({ age: { $not: { $gt: 26 } } }), [2, 3, 4]);
    assert.deepEqual(await ids({ name: { $not: /^a/ } }), [2, 3, 4]);
  });

  test('element: $exists and $type (names and numbers)', async () => {
    assert.deepEqual(await ids({ age: { $exists: false } }), [4]);
    assert.deepEqual(await ids({ addr: { $exists: true } }), [1, 2, 4]);
    assert.deepEqual(await ids({ age: { $type: 'null' } }), [3]);
    assert.deepEqual(await ids({ at: { $type: 9 } }), [1, 2, 3]);
    assert.deepEqual(await ids({ ref: { $type: 'objectId' } }), [1, 2]);
    assert.deepEqual(await ids({ tags: { $type: 'array' } }), [1, 2, 3, 4]);
    assert.deepEqual(await ids({ addr: { $type: 'object' } }), [1, 2, 4]);
  });

  test('evaluation: $regex with options, regex literals, $mod, $expr with fields of the document', async () => {
    assert.deepEqual(await ids({ name: { $regex: '^c', $options: 'i' } }), [3]);
    assert.deepEqual(await ids({ name: /N$/i }), [1, 4]);
    assert.deepEqual(await ids({ name: { $in: [/^b/, 'dan'] } }), [2, 4]);
    assert.deepEqual(await ids({ name: { $regex: 'a n  n', $options: 'x' } }), [1]);
    assert.deepEqual(await ids({ age: { $mod: [10, 5] } }), [2]);
    assert.deepEqual(await ids({ $expr: { $gt: [{ $size: { $ifNull: ['$scores', []] } }, 1] } }), [1, 4]);
  });

  test('bitwise: $bitsAllSet $bitsAnySet $bitsAllClear $bitsAnyClear', async () => {
    assert.deepEqual(await ids({ flags: { $bitsAllSet: [0, 2] } }), [1]);
    assert.deepEqual(await ids({ flags: { $bitsAnySet: 2 } }), [2]);
    assert.deepEqual(await ids({ flags: { $bitsAllClear: [1] } }), [1, 3], 'a missing field matches no bit test');
    assert.deepEqual(await ids({ flags: { $bitsAnyClear: [0, 1] } }), [1, 2, 3]);
  });

  test('bad operators fail loudly with BadValue (2); JavaScript operators are refused', async () => {
    assert.equal((await serverError(() => ids({ age: { $foo: 1 } }))).code, 2);
    assert.equal((await serverError(() => ids({ $foo: 1 }))).code, 2);
    assert.equal((await serverError(() => ids({ name: { $regex: 5 } }))).code, 2);
    assert.equal((await serverError(() => ids({ name: { $regex: '(' } }))).code, 51091);
    assert.equal((await serverError(() => ids({ $where: 'true' }))).code, 2);
    await assert.rejects(ids({ $expr: { $function: { body: 'return 1', args: [], lang: 'js' } } }));
    assert.equal((await serverError(() => ids({ $text: { $search: 'x' } }))).code, 2);
  });

  test('projection: inclusion, exclusion, _id handling, dotted paths, $slice, $elemMatch, positional, expressions', async () => {
    const c = h.db.collection('q');
    assert.deepEqual(await c.findOne({ _id: 1 } as Document, { projection: { name: 1 } }), { _id: 1, name: 'ann' });
    assert.deepEqual(await c.findOne({ _id: 1 } as Document, { projection: { name: 1, _id: 0 } }), { name: 'ann' });
    assert.deepEqual(await c.findOne({ _id: 2 } as Document, { projection: { tags: 0, scores: 0, addr: 0, at: 0, ref: 0, flags: 0, items: 0 } }), { _id: 2, name: 'bob', age: 25 });
    assert.deepEqual(await c.findOne({ _id: 1 } as Document, { projection: { 'addr.city': 1, 'items.k': 1 } }), { _id: 1, addr: { city: 'oslo' }, items: [{ k: 'x' }, { k: 'y' }] });
    assert.deepEqual(await c.findOne({ _id: 4 } as Document, { projection: { scores: { $slice: -1 }, name: 1 } }), { _id: 4, name: 'dan', scores: [20] });
    assert.deepEqual(await c.findOne({ _id: 1 } as Document, { projection: { items: { $elemMatch: { q: { $gt: 2 } } } } }), { _id: 1, items: [{ k: 'y', q: 5 }] });
    assert.deepEqual(await c.findOne({ scores: { $gte: 90 } }, { projection: { 'scores.$': 1 } }), { _id: 1, scores: [95] });
    assert.deepEqual(await c.findOne({ _id: 1 } as Document, { projection: { _id: 0, upper: { $toUpper: '$name' }, n: { $size: '$tags' } } }), { upper: 'ANN', n: 2 });
    assert.equal((await serverError(() => c.findOne({}, { projection: { a: 1, b: 0 } }))).code, 31254);
    assert.equal((await serverError(() => c.findOne({}, { projection: { a: 0, b: 1 } }))).code, 31253);
  });

  test('sort: type order (null < numbers < strings), arrays by min/max, dotted keys, compound', async () => {
    const c = h.db.collection('q');
    assert.deepEqual((await c.find().sort({ age: 1, _id: 1 }).toArray()).map((d) => d._id), [3, 4, 2, 1]);
    assert.deepEqual((await c.find().sort({ scores: 1, _id: 1 }).toArray()).map((d) => d._id), [3, 4, 2, 1]);
    assert.deepEqual((await c.find().sort({ scores: -1, _id: 1 }).toArray()).map((d) => d._id), [4, 1, 2, 3]);
    assert.deepEqual((await c.find().sort({ 'addr.city': -1, _id: -1 }).toArray()).map((d) => d._id), [4, 1, 2, 3]);
    assert.equal((await serverError(() => h.db.command({ find: 'q', sort: { a: 2 } }))).code, 15975);
  });
});

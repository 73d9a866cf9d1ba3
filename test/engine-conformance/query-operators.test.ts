/**
 * Query operators, family by family, with MongoDB 7.0's null/missing,
 * array and type-bracketing semantics; BSON comparison order in sort;
 * server-side JavaScript refused.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  Binary,
  BSONRegExp,
  Double,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  type Document,
  type Filter,
} from 'mongodb';
import { openHarness, closeHarness, expectAnyServerError, idsOf, type Harness } from './harness.ts';

const DOCS: Document[] = [
  { _id: 1, a: 1, s: 'apple', n: 10, tags: ['x', 'y'], spent: 120, budget: 100 },
  { _id: 2, a: null, s: 'Banana', n: 7, tags: ['y'], spent: 50, budget: 60 },
  { _id: 3, s: 'cherry\npie', n: -3, tags: [], spent: 10, budget: 10 },
  { _id: 4, a: [1, 2], s: 'apricot', n: 12, tags: ['x', 'z', 'y'], spent: 200, budget: 150 },
  { _id: 5, a: 'x', s: 'date', n: 0, spent: 0, budget: 5 },
  { _id: 6, a: 5, n: new Double(4.5), tags: 'x' },
];

const ITEMS: Document[] = [
  { _id: 1, items: [{ sku: 'a', qty: 5 }, { sku: 'b', qty: 10 }] },
  { _id: 2, items: [{ sku: 'a', qty: 12 }, { sku: 'c', qty: 1 }] },
  { _id: 3, items: [{ sku: 'b', qty: 2 }] },
];

describe('engine conformance: query operators', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness('conf_query');
    await h.db.collection('q').insertMany(DOCS.map((doc) => ({ ...doc })));
    await h.db.collection('items').insertMany(ITEMS.map((doc) => ({ ...doc })));
    await h.db.collection('results').insertMany([
      { _id: 1, results: [82, 85, 88] },
      { _id: 2, results: [75, 88, 89] },
    ] as Document[]);
  });
  after(async () => {
    await closeHarness(h);
  });

  async function ids(filter: Filter<Document>, collection = 'q'): Promise<unknown[]> {
    return idsOf(await h.db.collection(collection).find(filter).sort({ _id: 1 }).toArray());
  }

  describe('comparison', () => {
    it('{a: null} matches null and missing, not other values', async () => {
      assert.deepEqual(await ids({ a: null }), [2, 3]);
    });
    it('$ne: null matches every present non-null value', async () => {
      assert.deepEqual(await ids({ a: { $ne: null } }), [1, 4, 5, 6]);
    });
    it('equality on a scalar also matches arrays containing it', async () => {
      assert.deepEqual(await ids({ a: 1 }), [1, 4]);
      assert.deepEqual(await ids({ a: { $eq: 2 } }), [4]);
    });
    it('equality on an array value matches the exact array only, order included', async () => {
      assert.deepEqual(await ids({ a: [1, 2] }), [4]);
      assert.deepEqual(await ids({ a: [2, 1] }), []);
    });
    it('$gt / $gte / $lt / $lte are type-bracketed and match any array element', async () => {
      assert.deepEqual(await ids({ a: { $gt: 1 } }), [4, 6]);
      assert.deepEqual(await ids({ a: { $gte: 1 } }), [1, 4, 6]);
      assert.deepEqual(await ids({ a: { $lt: 5 } }), [1, 4]);
      assert.deepEqual(await ids({ a: { $lte: 5 } }), [1, 4, 6]);
      assert.deepEqual(await ids({ a: { $gt: 'a' } }), [5]);
    });
    it('range on mixed int/double values', async () => {
      assert.deepEqual(await ids({ n: { $gt: 5 } }), [1, 2, 4]);
      assert.deepEqual(await ids({ n: { $gte: -3, $lt: 4.5 } }), [3, 5]);
    });
    it('$in with null matches null and missing', async () => {
      assert.deepEqual(await ids({ a: { $in: [null, 5] } }), [2, 3, 6]);
      assert.deepEqual(await ids({ n: { $in: [0, 4.5] } }), [5, 6]);
    });
    it('$nin excludes arrays containing a listed value and, with null listed, missing fields', async () => {
      assert.deepEqual(await ids({ a: { $nin: [1, null] } }), [5, 6]);
      assert.deepEqual(await ids({ a: { $nin: [1] } }), [2, 3, 5, 6]);
    });
    it('$ne on a value excludes arrays containing it and keeps missing', async () => {
      assert.deepEqual(await ids({ a: { $ne: 1 } }), [2, 3, 5, 6]);
    });
    it('$in accepts regular expressions', async () => {
      assert.deepEqual(await ids({ s: { $in: [/^a/, 'date'] } }), [1, 4, 5]);
    });
    it('comparisons on dates and ObjectIds', async () => {
      const c = h.db.collection('dated');
      const early = new ObjectId('000000000000000000000001');
      const late = new ObjectId('000000000000000000000009');
      await c.insertMany([
        { _id: early, d: new Date('2024-01-01T00:00:00Z') },
        { _id: late, d: new Date('2024-06-01T00:00:00Z') },
      ]);
      assert.deepEqual(await ids({ d: { $gte: new Date('2024-03-01T00:00:00Z') } }, 'dated'), [late]);
      assert.deepEqual(await ids({ _id: { $lt: late } }, 'dated'), [early]);
    });
  });

  describe('logical', () => {
    it('$and', async () => {
      assert.deepEqual(await ids({ $and: [{ n: { $gt: 0 } }, { n: { $lt: 10 } }] }), [2, 6]);
    });
    it('$or', async () => {
      assert.deepEqual(await ids({ $or: [{ a: 'x' }, { n: { $lt: 0 } }] }), [3, 5]);
    });
    it('$nor matches documents failing every clause, including missing fields', async () => {
      assert.deepEqual(await ids({ $nor: [{ a: 1 }, { n: { $gt: 5 } }] }), [3, 5, 6]);
    });
    it('$not inverts an operator and matches missing fields and other types', async () => {
      assert.deepEqual(await ids({ n: { $not: { $gt: 5 } } }), [3, 5, 6]);
      assert.deepEqual(await ids({ a: { $not: { $gt: 1 } } }), [1, 2, 3, 5]);
    });
    it('$not with a regular expression', async () => {
      assert.deepEqual(await ids({ s: { $not: /^a/ } }), [2, 3, 5, 6]);
    });
  });

  describe('element', () => {
    it('$exists true/false; null counts as existing', async () => {
      assert.deepEqual(await ids({ a: { $exists: false } }), [3]);
      assert.deepEqual(await ids({ a: { $exists: true } }), [1, 2, 4, 5, 6]);
    });
    it('$type by alias', async () => {
      assert.deepEqual(await ids({ a: { $type: 'null' } }), [2]);
      assert.deepEqual(await ids({ a: { $type: 'string' } }), [5]);
      assert.deepEqual(await ids({ a: { $type: 'array' } }), [4]);
      assert.deepEqual(await ids({ n: { $type: 'double' } }), [6]);
      assert.deepEqual(await ids({ n: { $type: 'int' } }), [1, 2, 3, 4, 5]);
    });
    it('$type by number', async () => {
      assert.deepEqual(await ids({ a: { $type: 2 } }), [5]);
      assert.deepEqual(await ids({ n: { $type: 16 } }), [1, 2, 3, 4, 5]);
      assert.deepEqual(await ids({ n: { $type: 1 } }), [6]);
      assert.deepEqual(await ids({ a: { $type: 10 } }), [2]);
    });
    it('$type "number" matches every numeric type, including inside arrays', async () => {
      assert.deepEqual(await ids({ a: { $type: 'number' } }), [1, 4, 6]);
      assert.deepEqual(await ids({ n: { $type: 'number' } }), [1, 2, 3, 4, 5, 6]);
    });
    it('$type with a list of types; array elements are checked', async () => {
      assert.deepEqual(await ids({ a: { $type: ['string', 'null'] } }), [2, 5]);
      assert.deepEqual(await ids({ tags: { $type: 'string' } }), [1, 2, 4, 6]);
    });
  });

  describe('evaluation', () => {
    it('$regex with and without the i option', async () => {
      assert.deepEqual(await ids({ s: { $regex: '^a' } }), [1, 4]);
      assert.deepEqual(await ids({ s: { $regex: '^b' } }), []);
      assert.deepEqual(await ids({ s: { $regex: '^b', $options: 'i' } }), [2]);
      assert.deepEqual(await ids({ s: /an/ }), [2]);
    });
    it('$regex m option anchors at line starts', async () => {
      assert.deepEqual(await ids({ s: { $regex: '^pie' } }), []);
      assert.deepEqual(await ids({ s: { $regex: '^pie', $options: 'm' } }), [3]);
      assert.deepEqual(await ids({ s: /^pie/m }), [3]);
    });
    it('$regex s option lets dot match a newline', async () => {
      assert.deepEqual(await ids({ s: { $regex: 'cherry.pie' } }), []);
      assert.deepEqual(await ids({ s: { $regex: 'cherry.pie', $options: 's' } }), [3]);
    });
    it('$regex x option ignores whitespace in the pattern', async () => {
      assert.deepEqual(await ids({ s: { $regex: 'a p p l e', $options: 'x' } }), [1]);
    });
    it('$regex given as a BSON regular expression', async () => {
      assert.deepEqual(await ids({ s: new BSONRegExp('^APR', 'i') }), [4]);
    });
    it('$mod (a negative dividend leaves a negative remainder)', async () => {
      assert.deepEqual(await ids({ n: { $mod: [5, 2] } }), [2, 4]);
    });
    it('$expr compares two fields of the same document', async () => {
      assert.deepEqual(await ids({ $expr: { $gt: ['$spent', '$budget'] } }), [1, 4]);
      assert.deepEqual(await ids({ $expr: { $lt: ['$spent', '$budget'] } }), [2, 5]);
    });
  });

  describe('array', () => {
    it('$all', async () => {
      assert.deepEqual(await ids({ tags: { $all: ['x', 'y'] } }), [1, 4]);
      assert.deepEqual(await ids({ tags: { $all: ['x'] } }), [1, 4, 6]);
    });
    it('$size', async () => {
      assert.deepEqual(await ids({ tags: { $size: 0 } }), [3]);
      assert.deepEqual(await ids({ tags: { $size: 1 } }), [2]);
      assert.deepEqual(await ids({ tags: { $size: 3 } }), [4]);
    });
    it('$elemMatch requires one element to satisfy all conditions; bare conditions may use different elements', async () => {
      assert.deepEqual(await ids({ results: { $elemMatch: { $gte: 80, $lt: 85 } } }, 'results'), [1]);
      assert.deepEqual(await ids({ results: { $gte: 80, $lt: 85 } }, 'results'), [1, 2]);
    });
    it('dotted paths reach into arrays of subdocuments', async () => {
      assert.deepEqual(await ids({ 'items.sku': 'a' }, 'items'), [1, 2]);
      assert.deepEqual(await ids({ 'items.qty': { $gt: 10 } }, 'items'), [2]);
      assert.deepEqual(await ids({ 'items.sku': { $all: ['a', 'b'] } }, 'items'), [1]);
    });
    it('a numeric path component addresses an array position', async () => {
      assert.deepEqual(await ids({ 'items.0.sku': 'b' }, 'items'), [3]);
      assert.deepEqual(await ids({ 'items.1.qty': { $lt: 5 } }, 'items'), [2]);
    });
    it('$elemMatch on subdocuments vs conditions spread over elements', async () => {
      assert.deepEqual(await ids({ items: { $elemMatch: { sku: 'a', qty: { $gt: 6 } } } }, 'items'), [2]);
      assert.deepEqual(await ids({ 'items.sku': 'a', 'items.qty': { $gt: 6 } }, 'items'), [1, 2]);
    });
    it('an embedded document equality is exact, field order included', async () => {
      assert.deepEqual(await ids({ items: { sku: 'b', qty: 2 } }, 'items'), [3]);
      assert.deepEqual(await ids({ items: { qty: 2, sku: 'b' } }, 'items'), []);
    });
  });

  describe('sort order', () => {
    it('sorts mixed BSON types in the documented comparison order', async () => {
      const c = h.db.collection('bson_order');
      // inserted shuffled; _id is the expected rank
      await c.insertMany([
        { _id: 9, v: true },
        { _id: 3, v: 42 },
        { _id: 12, v: new MaxKey() },
        { _id: 6, v: new Binary(Buffer.from([1, 2, 3])) },
        { _id: 1, v: new MinKey() },
        { _id: 4, v: 'str' },
        { _id: 11, v: /re/ },
        { _id: 7, v: new ObjectId('000000000000000000000001') },
        { _id: 2, v: null },
        { _id: 10, v: new Date('2024-01-01T00:00:00Z') },
        { _id: 5, v: { x: 1 } },
        { _id: 8, v: false },
      ] as Document[]);
      const asc = idsOf(await c.find().sort({ v: 1 }).toArray());
      assert.deepEqual(asc, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      const desc = idsOf(await c.find().sort({ v: -1 }).toArray());
      assert.deepEqual(desc, [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    });

    it('Date sorts before Timestamp', async () => {
      const c = h.db.collection('date_ts');
      await c.insertMany([{ _id: 2, v: new Timestamp({ t: 1, i: 1 }) }, { _id: 1, v: new Date(0) }] as Document[]);
      assert.deepEqual(idsOf(await c.find().sort({ v: 1 }).toArray()), [1, 2]);
    });

    it('strings sort by binary comparison (uppercase before lowercase)', async () => {
      const c = h.db.collection('str_order');
      await c.insertMany([{ _id: 1, v: 'b' }, { _id: 2, v: 'B' }, { _id: 3, v: 'a' }, { _id: 4, v: 'A' }] as Document[]);
      assert.deepEqual(idsOf(await c.find().sort({ v: 1 }).toArray()), [4, 2, 3, 1]);
    });

    it('arrays sort by their smallest element ascending and their largest descending', async () => {
      const c = h.db.collection('array_sort');
      await c.insertMany([{ _id: 'arr', v: [3, 1] }, { _id: 'two', v: 2 }] as Document[]);
      assert.deepEqual(idsOf(await c.find().sort({ v: 1 }).toArray()), ['arr', 'two']);
      assert.deepEqual(idsOf(await c.find().sort({ v: -1 }).toArray()), ['arr', 'two']);
      await c.insertOne({ _id: 'four', v: 4 } as Document);
      assert.deepEqual(idsOf(await c.find().sort({ v: -1 }).toArray()), ['four', 'arr', 'two']);
    });
  });

  describe('server-side JavaScript', () => {
    it('$where is refused with a server error', async () => {
      await expectAnyServerError(() => h.db.collection('q').find({ $where: 'this.n > 1' }).toArray());
    });
    it('$function is refused with a server error', async () => {
      await expectAnyServerError(() =>
        h.db
          .collection('q')
          .aggregate([{ $match: { $expr: { $function: { body: 'function() { return true; }', args: [], lang: 'js' } } } }])
          .toArray(),
      );
    });
  });
});

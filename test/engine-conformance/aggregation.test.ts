/**
 * Aggregation through the driver: the common stages, $group accumulators,
 * $count/$sortByCount, $unwind, $facet/$bucket/$replaceRoot, $out, and the
 * errors for unknown stages and expressions. Expected values follow the
 * MongoDB 7.0 manual (several are its own examples). $lookup and the date
 * operators live in aggregation-lookup-dates.test.ts.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Document } from 'mongodb';
import { openHarness, closeHarness, expectServerError, idsOf, type Harness } from './harness.ts';

const SALES: Document[] = [
  { _id: 1, item: 'abc', price: 10, qty: 2, date: new Date('2024-03-01T08:00:00Z'), tags: ['x', 'y'] },
  { _id: 2, item: 'jkl', price: 20, qty: 1, date: new Date('2024-03-01T09:00:00Z'), tags: ['y'] },
  { _id: 3, item: 'xyz', price: 5, qty: 10, date: new Date('2024-03-15T09:00:00Z'), tags: [] },
  { _id: 4, item: 'xyz', price: 5, qty: 20, date: new Date('2024-04-04T11:21:39.736Z') },
  { _id: 5, item: 'abc', price: 10, qty: 10, date: new Date('2024-04-04T21:23:13.331Z'), tags: ['x'] },
];

describe('engine conformance: aggregation', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness('conf_agg');
    await h.db.collection('sales').insertMany(SALES.map((doc) => ({ ...doc })));
  });
  after(async () => {
    await closeHarness(h);
  });

  const run = (pipeline: Document[], collection = 'sales') => h.db.collection(collection).aggregate(pipeline).toArray();

  describe('basic stages', () => {
    it('$match, $project with a computed field, $sort', async () => {
      const rows = await run([
        { $match: { item: 'abc' } },
        { $project: { _id: 0, item: 1, total: { $multiply: ['$price', '$qty'] } } },
        { $sort: { total: 1 } },
      ]);
      assert.deepEqual(rows, [{ item: 'abc', total: 20 }, { item: 'abc', total: 100 }]);
    });

    it('$addFields and its alias $set, including a dotted path', async () => {
      const rows = await run([
        { $match: { _id: 1 } },
        { $addFields: { total: { $multiply: ['$price', '$qty'] } } },
        { $set: { 'meta.src': 'agg' } },
        { $project: { tags: 0, date: 0 } },
      ]);
      assert.deepEqual(rows, [{ _id: 1, item: 'abc', price: 10, qty: 2, total: 20, meta: { src: 'agg' } }]);
    });

    it('$unset stage with a list and with a single field', async () => {
      assert.deepEqual(await run([{ $match: { _id: 2 } }, { $unset: ['date', 'tags'] }]), [{ _id: 2, item: 'jkl', price: 20, qty: 1 }]);
      assert.deepEqual(await run([{ $match: { _id: 2 } }, { $unset: 'date' }, { $project: { tags: 0 } }]), [{ _id: 2, item: 'jkl', price: 20, qty: 1 }]);
    });

    it('$sort then $skip then $limit', async () => {
      const rows = await run([{ $sort: { qty: -1, _id: 1 } }, { $skip: 1 }, { $limit: 2 }, { $project: { _id: 1 } }]);
      assert.deepEqual(rows, [{ _id: 3 }, { _id: 5 }]);
    });

    it('$match with $expr on a computed value', async () => {
      const rows = await run([{ $match: { $expr: { $gt: [{ $multiply: ['$price', '$qty'] }, 60] } } }, { $project: { _id: 1 } }, { $sort: { _id: 1 } }]);
      assert.deepEqual(rows, [{ _id: 4 }, { _id: 5 }]);
    });

    it('expression operators: $concat $toUpper $cond $ifNull $size $arrayElemAt $filter $map', async () => {
      const rows = await run([
        { $match: { _id: 1 } },
        {
          $project: {
            _id: 0,
            label: { $concat: ['$item', '-', { $toUpper: '$item' }] },
            cheap: { $cond: [{ $lt: ['$price', 15] }, 'yes', 'no'] },
            nTags: { $size: { $ifNull: ['$tags', []] } },
            firstTag: { $arrayElemAt: ['$tags', 0] },
            xs: { $filter: { input: '$tags', as: 't', cond: { $eq: ['$$t', 'x'] } } },
            up: { $map: { input: '$tags', as: 't', in: { $toUpper: '$$t' } } },
            fallback: { $ifNull: ['$nope', 'dflt'] },
          },
        },
      ]);
      assert.deepEqual(rows, [{ label: 'abc-ABC', cheap: 'yes', nTags: 2, firstTag: 'x', xs: ['x'], up: ['X', 'Y'], fallback: 'dflt' }]);
    });

    it('an aggregation over a collection that does not exist returns nothing', async () => {
      assert.deepEqual(await run([{ $match: {} }], 'never_created'), []);
    });
  });

  describe('$group', () => {
    it('$sum $avg $min $max $push $addToSet $count per group', async () => {
      const rows = await run([
        { $sort: { _id: 1 } },
        {
          $group: {
            _id: '$item',
            total: { $sum: { $multiply: ['$price', '$qty'] } },
            avgQty: { $avg: '$qty' },
            minQty: { $min: '$qty' },
            maxQty: { $max: '$qty' },
            qtys: { $push: '$qty' },
            prices: { $addToSet: '$price' },
            n: { $count: {} },
          },
        },
        { $sort: { _id: 1 } },
      ]);
      assert.deepEqual(rows, [
        { _id: 'abc', total: 120, avgQty: 6, minQty: 2, maxQty: 10, qtys: [2, 10], prices: [10], n: 2 },
        { _id: 'jkl', total: 20, avgQty: 1, minQty: 1, maxQty: 1, qtys: [1], prices: [20], n: 1 },
        { _id: 'xyz', total: 150, avgQty: 15, minQty: 10, maxQty: 20, qtys: [10, 20], prices: [5], n: 2 },
      ]);
    });

    it('$first and $last follow the preceding $sort', async () => {
      const rows = await run([
        { $sort: { date: 1 } },
        { $group: { _id: '$item', first: { $first: '$_id' }, last: { $last: '$_id' } } },
        { $sort: { _id: 1 } },
      ]);
      assert.deepEqual(rows, [{ _id: 'abc', first: 1, last: 5 }, { _id: 'jkl', first: 2, last: 2 }, { _id: 'xyz', first: 3, last: 4 }]);
    });

    it('_id null groups everything; $sum: 1 counts', async () => {
      assert.deepEqual(await run([{ $group: { _id: null, n: { $sum: 1 }, q: { $sum: '$qty' } } }]), [{ _id: null, n: 5, q: 43 }]);
    });

    it('a compound _id with date parts', async () => {
      const rows = await run([
        { $group: { _id: { y: { $year: '$date' }, m: { $month: '$date' } }, n: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ]);
      assert.deepEqual(rows, [{ _id: { y: 2024, m: 3 }, n: 3 }, { _id: { y: 2024, m: 4 }, n: 2 }]);
    });

    it('$sum ignores non-numbers and missing fields; $avg of no numbers is null', async () => {
      const rows = await run([{ $group: { _id: null, s: { $sum: '$item' }, a: { $avg: '$item' }, m: { $sum: '$nope' } } }]);
      assert.deepEqual(rows, [{ _id: null, s: 0, a: null, m: 0 }]);
    });

    it('null and missing group keys fall into the same null group', async () => {
      const c = h.db.collection('null_groups');
      await c.insertMany([{ _id: 1, k: null }, { _id: 2 }, { _id: 3, k: 'a' }] as Document[]);
      assert.deepEqual(await run([{ $group: { _id: '$k', n: { $sum: 1 } } }, { $sort: { _id: 1 } }], 'null_groups'), [
        { _id: null, n: 2 },
        { _id: 'a', n: 1 },
      ]);
    });

    it('$group without _id fails with 15955', async () => {
      await expectServerError(run([{ $group: { n: { $sum: 1 } } }]), 15955);
    });
  });

  describe('$count and $sortByCount', () => {
    it('$count outputs one document, or none for empty input', async () => {
      assert.deepEqual(await run([{ $match: { price: { $gt: 5 } } }, { $count: 'n' }]), [{ n: 3 }]);
      assert.deepEqual(await run([{ $match: { price: 1000 } }, { $count: 'n' }]), []);
    });

    it('$sortByCount groups and sorts by descending count', async () => {
      const c = h.db.collection('colors');
      await c.insertMany(['red', 'blue', 'red', 'green', 'blue', 'red'].map((color) => ({ color })));
      assert.deepEqual(await run([{ $sortByCount: '$color' }], 'colors'), [
        { _id: 'red', count: 3 },
        { _id: 'blue', count: 2 },
        { _id: 'green', count: 1 },
      ]);
    });
  });

  describe('$unwind', () => {
    before(async () => {
      await h.db.collection('inventory2').insertMany([
        { _id: 1, item: 'ABC', sizes: ['S', 'M', 'L'] },
        { _id: 2, item: 'EFG', sizes: [] },
        { _id: 3, item: 'IJK', sizes: 'M' },
        { _id: 4, item: 'LMN' },
        { _id: 5, item: 'XYZ', sizes: null },
      ] as Document[]);
    });

    it('outputs one document per element; a non-array value counts as one; null/missing/empty are dropped', async () => {
      assert.deepEqual(await run([{ $sort: { _id: 1 } }, { $unwind: '$sizes' }], 'inventory2'), [
        { _id: 1, item: 'ABC', sizes: 'S' },
        { _id: 1, item: 'ABC', sizes: 'M' },
        { _id: 1, item: 'ABC', sizes: 'L' },
        { _id: 3, item: 'IJK', sizes: 'M' },
      ]);
    });

    it('includeArrayIndex adds the index, null for a non-array value', async () => {
      assert.deepEqual(await run([{ $sort: { _id: 1 } }, { $unwind: { path: '$sizes', includeArrayIndex: 'arrayIndex' } }], 'inventory2'), [
        { _id: 1, item: 'ABC', sizes: 'S', arrayIndex: 0 },
        { _id: 1, item: 'ABC', sizes: 'M', arrayIndex: 1 },
        { _id: 1, item: 'ABC', sizes: 'L', arrayIndex: 2 },
        { _id: 3, item: 'IJK', sizes: 'M', arrayIndex: null },
      ]);
    });

    it('preserveNullAndEmptyArrays keeps null, missing and empty (the empty array field removed)', async () => {
      assert.deepEqual(await run([{ $sort: { _id: 1 } }, { $unwind: { path: '$sizes', preserveNullAndEmptyArrays: true } }], 'inventory2'), [
        { _id: 1, item: 'ABC', sizes: 'S' },
        { _id: 1, item: 'ABC', sizes: 'M' },
        { _id: 1, item: 'ABC', sizes: 'L' },
        { _id: 2, item: 'EFG' },
        { _id: 3, item: 'IJK', sizes: 'M' },
        { _id: 4, item: 'LMN' },
        { _id: 5, item: 'XYZ', sizes: null },
      ]);
    });
  });

  describe('$facet, $bucket, $replaceRoot', () => {
    it('$facet runs sub-pipelines over the same input into one document', async () => {
      const rows = await run([
        {
          $facet: {
            cheap: [{ $match: { price: { $lt: 10 } } }, { $count: 'n' }],
            total: [{ $group: { _id: null, q: { $sum: '$qty' } } }],
            first2: [{ $sort: { _id: 1 } }, { $limit: 2 }, { $project: { _id: 1 } }],
          },
        },
      ]);
      assert.deepEqual(rows, [{ cheap: [{ n: 2 }], total: [{ _id: null, q: 43 }], first2: [{ _id: 1 }, { _id: 2 }] }]);
    });

    it('$bucket groups by boundaries with a default bucket and output accumulators', async () => {
      const c = h.db.collection('bucketed');
      await c.insertMany([5, 15, 15, 25, 100, 'n/a'].map((v, i) => ({ _id: i, v })) as Document[]);
      const rows = await run(
        [{ $bucket: { groupBy: '$v', boundaries: [0, 10, 20, 30], default: 'Other', output: { n: { $sum: 1 }, total: { $sum: '$v' } } } }],
        'bucketed',
      );
      assert.deepEqual(rows, [
        { _id: 0, n: 1, total: 5 },
        { _id: 10, n: 2, total: 30 },
        { _id: 20, n: 1, total: 25 },
        { _id: 'Other', n: 2, total: 100 },
      ]);
    });

    it('$bucket without output counts per bucket', async () => {
      const rows = await run([{ $bucket: { groupBy: '$price', boundaries: [0, 10, 50] } }]);
      assert.deepEqual(rows, [{ _id: 0, count: 2 }, { _id: 10, count: 3 }]);
    });

    it('$replaceRoot with $mergeObjects defaults, and $replaceWith', async () => {
      const c = h.db.collection('people');
      await c.insertMany([
        { _id: 1, name: 'Arlene', age: 34, pets: { dogs: 2, cats: 1 } },
        { _id: 2, name: 'Sam', age: 41, pets: { cats: 1, fish: 3 } },
        { _id: 3, name: 'Maria', age: 25 },
      ] as Document[]);
      const merged = await run([{ $sort: { _id: 1 } }, { $replaceRoot: { newRoot: { $mergeObjects: [{ dogs: 0, cats: 0, birds: 0, fish: 0 }, '$pets'] } } }], 'people');
      assert.deepEqual(merged, [
        { dogs: 2, cats: 1, birds: 0, fish: 0 },
        { dogs: 0, cats: 1, birds: 0, fish: 3 },
        { dogs: 0, cats: 0, birds: 0, fish: 0 },
      ]);
      const replaced = await run([{ $match: { pets: { $exists: true } } }, { $sort: { _id: 1 } }, { $replaceWith: '$pets' }], 'people');
      assert.deepEqual(replaced, [{ dogs: 2, cats: 1 }, { cats: 1, fish: 3 }]);
    });
  });

  describe('$out and errors', () => {
    it('$out writes the results to a collection, replacing its previous contents', async () => {
      assert.deepEqual(await run([{ $match: { item: 'abc' } }, { $out: 'abc_sales' }]), []);
      assert.deepEqual(idsOf(await h.db.collection('abc_sales').find().sort({ _id: 1 }).toArray()), [1, 5]);
      await run([{ $match: { item: 'jkl' } }, { $out: 'abc_sales' }]);
      assert.deepEqual(idsOf(await h.db.collection('abc_sales').find().toArray()), [2]);
    });

    it('an unknown stage fails with 40324', async () => {
      await expectServerError(run([{ $notAStage: {} }]), 40324);
    });

    it('an unknown expression operator fails with 168 InvalidPipelineOperator', async () => {
      await expectServerError(run([{ $project: { x: { $notAnOperator: 1 } } }]), 168, 'InvalidPipelineOperator');
    });
  });
});

/**
 * Aggregation through the driver: the common stages, $group accumulators,
 * $unwind/$lookup/$facet/$bucket/$replaceRoot, date operators, $out, and the
 * errors for unknown stages and expressions. Expected values follow the
 * MongoDB 7.0 manual (several are its own examples).
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

  describe('$lookup', () => {
    before(async () => {
      await h.db.collection('orders').insertMany([
        { _id: 1, item: 'almonds', price: 12, quantity: 2 },
        { _id: 2, item: 'pecans', price: 20, quantity: 1 },
        { _id: 3 },
      ] as Document[]);
      await h.db.collection('inventory').insertMany([
        { _id: 1, sku: 'almonds', description: 'product 1', instock: 120 },
        { _id: 2, sku: 'bread', description: 'product 2', instock: 80 },
        { _id: 3, sku: 'cashews', description: 'product 3', instock: 60 },
        { _id: 4, sku: 'pecans', description: 'product 4', instock: 70 },
        { _id: 5, sku: null, description: 'Incomplete' },
        { _id: 6 },
      ] as Document[]);
      await h.db.collection('orders2').insertMany([
        { _id: 1, item: 'almonds', price: 12, ordered: 2 },
        { _id: 2, item: 'pecans', price: 20, ordered: 1 },
        { _id: 3, item: 'cookies', price: 10, ordered: 60 },
      ] as Document[]);
      await h.db.collection('warehouses').insertMany([
        { _id: 1, stock_item: 'almonds', warehouse: 'A', instock: 120 },
        { _id: 2, stock_item: 'pecans', warehouse: 'A', instock: 80 },
        { _id: 3, stock_item: 'almonds', warehouse: 'B', instock: 60 },
        { _id: 4, stock_item: 'cookies', warehouse: 'B', instock: 40 },
        { _id: 5, stock_item: 'cookies', warehouse: 'A', instock: 80 },
      ] as Document[]);
    });

    it('localField/foreignField equality; a missing local field matches null and missing foreign fields', async () => {
      const rows = await run([{ $sort: { _id: 1 } }, { $lookup: { from: 'inventory', localField: 'item', foreignField: 'sku', as: 'inventory_docs' } }], 'orders');
      assert.deepEqual(rows, [
        { _id: 1, item: 'almonds', price: 12, quantity: 2, inventory_docs: [{ _id: 1, sku: 'almonds', description: 'product 1', instock: 120 }] },
        { _id: 2, item: 'pecans', price: 20, quantity: 1, inventory_docs: [{ _id: 4, sku: 'pecans', description: 'product 4', instock: 70 }] },
        { _id: 3, inventory_docs: [{ _id: 5, sku: null, description: 'Incomplete' }, { _id: 6 }] },
      ]);
    });

    it('an array localField matches any of its elements', async () => {
      const c = h.db.collection('baskets');
      await c.insertOne({ _id: 1, items: ['pecans', 'almonds', 'nothing'] } as Document);
      const rows = await run([{ $lookup: { from: 'inventory', localField: 'items', foreignField: 'sku', as: 'found' } }, { $project: { ids: '$found._id' } }], 'baskets');
      assert.deepEqual(rows.map((r) => [...(r.ids as number[])].sort()), [[1, 4]]);
    });

    it('pipeline form with let variables and $expr', async () => {
      const rows = await run(
        [
          { $sort: { _id: 1 } },
          {
            $lookup: {
              from: 'warehouses',
              let: { order_item: '$item', order_qty: '$ordered' },
              pipeline: [
                { $match: { $expr: { $and: [{ $eq: ['$stock_item', '$$order_item'] }, { $gte: ['$instock', '$$order_qty'] }] } } },
                { $project: { stock_item: 0, _id: 0 } },
              ],
              as: 'stockdata',
            },
          },
          { $project: { _id: 1, stockdata: 1 } },
        ],
        'orders2',
      );
      assert.deepEqual(rows, [
        { _id: 1, stockdata: [{ warehouse: 'A', instock: 120 }, { warehouse: 'B', instock: 60 }] },
        { _id: 2, stockdata: [{ warehouse: 'A', instock: 80 }] },
        { _id: 3, stockdata: [{ warehouse: 'A', instock: 80 }] },
      ]);
    });

    it('a lookup into a collection that does not exist yields empty arrays', async () => {
      const rows = await run([{ $sort: { _id: 1 } }, { $lookup: { from: 'nowhere', localField: 'item', foreignField: 'x', as: 'r' } }, { $project: { r: 1 } }], 'orders');
      assert.deepEqual(rows, [{ _id: 1, r: [] }, { _id: 2, r: [] }, { _id: 3, r: [] }]);
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

  describe('date operators', () => {
    it('$year $month $dayOfMonth $hour $minute $second $millisecond $dayOfWeek $dayOfYear (UTC)', async () => {
      const rows = await run([
        { $match: { _id: 5 } },
        {
          $project: {
            _id: 0,
            y: { $year: '$date' },
            m: { $month: '$date' },
            d: { $dayOfMonth: '$date' },
            h: { $hour: '$date' },
            min: { $minute: '$date' },
            s: { $second: '$date' },
            ms: { $millisecond: '$date' },
            dow: { $dayOfWeek: '$date' },
            doy: { $dayOfYear: '$date' },
          },
        },
      ]);
      assert.deepEqual(rows, [{ y: 2024, m: 4, d: 4, h: 21, min: 23, s: 13, ms: 331, dow: 5, doy: 95 }]);
    });

    it('date parts in a timezone', async () => {
      const rows = await run([{ $match: { _id: 5 } }, { $project: { _id: 0, h: { $hour: { date: '$date', timezone: '+05:30' } }, d: { $dayOfMonth: { date: '$date', timezone: '+05:30' } } } }]);
      assert.deepEqual(rows, [{ h: 2, d: 5 }]);
    });

    it('$dateToString with a format, the default format, and a named timezone', async () => {
      const rows = await run([
        { $match: { _id: 5 } },
        {
          $project: {
            _id: 0,
            s: { $dateToString: { format: '%Y-%m-%d %H:%M:%S', date: '$date' } },
            iso: { $dateToString: { date: '$date' } },
            ny: { $dateToString: { format: '%H:%M', date: '$date', timezone: 'America/New_York' } },
          },
        },
      ]);
      assert.deepEqual(rows, [{ s: '2024-04-04 21:23:13', iso: '2024-04-04T21:23:13.331Z', ny: '17:23' }]);
    });

    it('$dateTrunc by month, day, 6-hour bins and week (weeks start on Sunday)', async () => {
      const rows = await run([
        { $match: { _id: 5 } },
        {
          $project: {
            _id: 0,
            month: { $dateTrunc: { date: '$date', unit: 'month' } },
            day: { $dateTrunc: { date: '$date', unit: 'day' } },
            h6: { $dateTrunc: { date: '$date', unit: 'hour', binSize: 6 } },
            week: { $dateTrunc: { date: '$date', unit: 'week' } },
          },
        },
      ]);
      assert.deepEqual(rows, [
        {
          month: new Date('2024-04-01T00:00:00Z'),
          day: new Date('2024-04-04T00:00:00Z'),
          h6: new Date('2024-04-04T18:00:00Z'),
          week: new Date('2024-03-31T00:00:00Z'),
        },
      ]);
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

/**
 * Aggregation across collections and over dates: $lookup (equality, array
 * local field, pipeline form with let) and the date operators ($year,
 * $month, $dayOfMonth, ..., $dateToString, $dateTrunc), with the MongoDB
 * 7.0 manual's own examples where it has them.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Document } from 'mongodb';
import { openHarness, closeHarness, type Harness } from './harness.ts';

const SALES: Document[] = [
  { _id: 4, item: 'xyz', price: 5, qty: 20, date: new Date('2024-04-04T11:21:39.736Z') },
  { _id: 5, item: 'abc', price: 10, qty: 10, date: new Date('2024-04-04T21:23:13.331Z'), tags: ['x'] },
];

describe('engine conformance: $lookup and date operators', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness('conf_agg_lookup');
    await h.db.collection('sales').insertMany(SALES.map((doc) => ({ ...doc })));
  });
  after(async () => {
    await closeHarness(h);
  });

  const run = (pipeline: Document[], collection = 'sales') => h.db.collection(collection).aggregate(pipeline).toArray();

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
});

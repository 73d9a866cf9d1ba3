/** Aggregation stages, accumulators, $lookup (both forms), date operators and $out/$merge. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Document } from 'mongodb';
import { serverError, startHarness, type Harness } from './helpers.ts';

const ORDERS: Document[] = [
  { _id: 1, cust: 'a', item: 'pen', qty: 2, price: 5, at: new Date('2024-03-01T10:00:00Z'), tags: ['x', 'y'] },
  { _id: 2, cust: 'b', item: 'ink', qty: 1, price: 20, at: new Date('2024-03-15T12:30:00Z'), tags: ['y'] },
  { _id: 3, cust: 'a', item: 'pad', qty: 5, price: 3, at: new Date('2024-04-02T08:00:00Z'), tags: [] },
  { _id: 4, cust: 'c', item: 'pen', qty: 1, price: 5, at: new Date('2025-01-01T00:00:00Z') },
];
const CUSTOMERS: Document[] = [
  { _id: 'a', name: 'Ann', tier: 'gold' },
  { _id: 'b', name: 'Bob', tier: 'silver' },
];

describe('aggregation', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.db.collection('orders').insertMany(ORDERS);
    await h.db.collection('customers').insertMany(CUSTOMERS);
  });
  after(async () => h.close());
  const run = (pipeline: Document[], coll = 'orders') => h.db.collection(coll).aggregate(pipeline).toArray();

  test('$match $project $addFields $set $unset $sort $skip $limit', async () => {
    const rows = await run([
      { $match: { qty: { $gte: 1 } } },
      { $addFields: { total: { $multiply: ['$qty', '$price'] } } },
      { $set: { big: { $gt: ['$total', 9] } } },
      { $unset: ['tags', 'at'] },
      { $project: { item: 1, total: 1, big: 1 } },
      { $sort: { total: -1, _id: 1 } },
      { $skip: 1 },
      { $limit: 2 },
    ]);
    assert.deepEqual(rows, [{ _id: 3, item: 'pad', total: 15, big: true }, { _id: 1, item: 'pen', total: 10, big: true }]);
  });

  test('$group with $sum $avg $min $max $first $last $push $addToSet $count', async () => {
    const rows = await run([
      { $sort: { _id: 1 } },
      {
        $group: {
          _id: '$cust',
          n: { $sum: 1 }, qty: { $sum: '$qty' }, avg: { $avg: '$price' }, min: { $min: '$price' }, max: { $max: '$at' },
          first: { $first: '$item' }, last: { $last: '$item' }, items: { $push: '$item' }, set: { $addToSet: '$price' }, c: { $count: {} },
        },
      },
      { $sort: { _id: 1 } },
    ]);
    assert.deepEqual(rows[0], {
      _id: 'a', n: 2, qty: 7, avg: 4, min: 3, max: new Date('2024-04-02T08:00:00Z'), first: 'pen', last: 'pad', items: ['pen', 'pad'], set: [5, 3], c: 2,
    });
    assert.equal(rows.length, 3);
    assert.deepEqual(await run([{ $group: { _id: null, total: { $sum: { $multiply: ['$qty', '$price'] } } } }]), [{ _id: null, total: 50 }]);
    assert.equal((await serverError(() => run([{ $group: { n: { $sum: 1 } } }]))).code, 15955);
  });

  test('$count, $sortByCount, $unwind (with options), $replaceRoot, $replaceWith', async () => {
    assert.deepEqual(await run([{ $match: { cust: 'a' } }, { $count: 'n' }]), [{ n: 2 }]);
    assert.deepEqual(await run([{ $match: { cust: 'zzz' } }, { $count: 'n' }]), []);
    assert.deepEqual(await run([{ $sortByCount: '$item' }, { $sort: { count: -1, _id: 1 } }]), [{ _id: 'pen', count: 2 }, { _id: 'ink', count: 1 }, { _id: 'pad', count: 1 }]);
    assert.deepEqual((await run([{ $unwind: '$tags' }, { $project: { tags: 1 } }])).map((r) => [r._id, r.tags]), [[1, 'x'], [1, 'y'], [2, 'y']]);
    const keep = await run([{ $unwind: { path: '$tags', preserveNullAndEmptyArrays: true, includeArrayIndex: 'i' } }, { $project: { tags: 1, i: 1 } }]);
    assert.equal(keep.length, 5);
    assert.deepEqual(await run([{ $match: { _id: 'a' } }, { $replaceRoot: { newRoot: { who: '$name' } } }], 'customers'), [{ who: 'Ann' }]);
    assert.deepEqual(await run([{ $match: { _id: 'b' } }, { $replaceWith: { t: '$tier' } }], 'customers'), [{ t: 'silver' }]);
    // The stored documents were not altered by the stages above.
    assert.deepEqual(await h.db.collection('orders').findOne({ _id: 1 } as Document), ORDERS[0]);
  });

  test('$lookup with localField/foreignField and with let/pipeline across collections', async () => {
    const simple = await run([{ $match: { _id: { $in: [1, 4] } } }, { $lookup: { from: 'customers', localField: 'cust', foreignField: '_id', as: 'c' } }, { $project: { c: 1 } }, { $sort: { _id: 1 } }]);
    assert.deepEqual(simple, [{ _id: 1, c: [CUSTOMERS[0]] }, { _id: 4, c: [] }]);
    const piped = await run([
      { $match: { _id: 'a' } },
      { $lookup: { from: 'orders', let: { id: '$_id' }, pipeline: [{ $match: { $expr: { $eq: ['$cust', '$$id'] } } }, { $project: { _id: 0, item: 1 } }, { $sort: { item: 1 } }], as: 'orders' } },
    ], 'customers');
    assert.deepEqual(piped[0].orders, [{ item: 'pad' }, { item: 'pen' }]);
  });

  test('$facet and $bucket', async () => {
    const [f] = await run([{ $facet: { n: [{ $count: 'n' }], pens: [{ $match: { item: 'pen' } }, { $project: { _id: 1 } }] } }]);
    assert.deepEqual(f, { n: [{ n: 4 }], pens: [{ _id: 1 }, { _id: 4 }] });
    const buckets = await run([{ $bucket: { groupBy: '$price', boundaries: [0, 5, 10], default: 'big', output: { n: { $sum: 1 } } } }]);
    assert.deepEqual(buckets, [{ _id: 0, n: 1 }, { _id: 5, n: 2 }, { _id: 'big', n: 1 }]);
  });

  test('date operators: parts, $dateToString, $dateTrunc, $dateAdd, $dateDiff', async () => {
    const [d] = await run([
      { $match: { _id: 2 } },
      {
        $project: {
          y: { $year: '$at' }, m: { $month: '$at' }, day: { $dayOfMonth: '$at' }, h: { $hour: '$at' }, dow: { $dayOfWeek: '$at' },
          s: { $dateToString: { format: '%Y-%m-%d %H:%M', date: '$at' } },
          t: { $dateTrunc: { date: '$at', unit: 'month' } },
          plus: { $dateAdd: { startDate: '$at', unit: 'day', amount: 1 } },
          diff: { $dateDiff: { startDate: new Date('2024-03-01T00:00:00Z'), endDate: '$at', unit: 'day' } },
        },
      },
    ]);
    assert.deepEqual(d, {
      _id: 2, y: 2024, m: 3, day: 15, h: 12, dow: 6, s: '2024-03-15 12:30',
      t: new Date('2024-03-01T00:00:00Z'), plus: new Date('2024-03-16T12:30:00Z'), diff: 14,
    });
  });

  test('$out replaces the target collection; $merge upserts into it', async () => {
    await run([{ $match: { cust: 'a' } }, { $project: { item: 1 } }, { $out: 'a_orders' }]);
    assert.deepEqual(await h.db.collection('a_orders').find().sort({ _id: 1 }).toArray(), [{ _id: 1, item: 'pen' }, { _id: 3, item: 'pad' }]);
    await run([{ $match: { cust: 'b' } }, { $project: { item: 1 } }, { $out: 'a_orders' }]);
    assert.deepEqual(await h.db.collection('a_orders').find().toArray(), [{ _id: 2, item: 'ink' }]);
    await run([{ $group: { _id: '$cust', n: { $sum: 1 } } }, { $merge: { into: 'per_cust' } }]);
    await run([{ $match: { cust: 'a' } }, { $group: { _id: '$cust', extra: { $sum: '$qty' } } }, { $merge: { into: 'per_cust', whenMatched: 'merge' } }]);
    assert.deepEqual(await h.db.collection('per_cust').findOne({ _id: 'a' } as Document), { _id: 'a', n: 2, extra: 7 });
  });

  test('unknown or unsupported stages and expressions fail loudly', async () => {
    assert.equal((await serverError(() => run([{ $frobnicate: {} }]))).code, 40324);
    assert.equal((await serverError(() => run([{ $search: {} }]))).code, 40324);
    assert.equal((await serverError(() => run([{ $project: { x: { $frobnicate: 1 } } }]))).code, 168);
    assert.equal((await serverError(() => run([{ $match: {} }, { $out: 'x' }, { $match: {} }]))).code, 40601);
    await assert.rejects(run([{ $group: { _id: null, a: { $accumulator: { init: 'function(){}', accumulate: 'x', accumulateArgs: [], merge: 'x', lang: 'js' } } } }]));
  });

  test('$sum/$max as expressions over arrays, $cond, $ifNull, $switch, string and array operators', async () => {
    const [r] = await run([
      { $match: { _id: 1 } },
      {
        $project: {
          s: { $sum: [1, 2, 3] }, mx: { $max: '$tags' }, c: { $cond: [{ $gt: ['$qty', 1] }, 'many', 'one'] }, n: { $ifNull: ['$nope', 'dflt'] },
          sw: { $switch: { branches: [{ case: { $eq: ['$item', 'pen'] }, then: 'P' }], default: '?' } },
          up: { $toUpper: '$item' }, cat: { $concat: ['$item', '-', '$cust'] }, first: { $arrayElemAt: ['$tags', 0] }, len: { $size: '$tags' },
          f: { $filter: { input: '$tags', cond: { $eq: ['$$this', 'y'] } } }, mp: { $map: { input: '$tags', in: { $concat: ['$$this', '!'] } } },
        },
      },
    ]);
    assert.deepEqual(r, { _id: 1, s: 6, mx: 'y', c: 'many', n: 'dflt', sw: 'P', up: 'PEN', cat: 'pen-a', first: 'x', len: 2, f: ['y'], mp: ['x!', 'y!'] });
  });

  test('$documents, $unionWith, $graphLookup, $setWindowFields, $bucketAuto, $sample', async () => {
    assert.deepEqual(await h.db.aggregate([{ $documents: [{ a: 1 }, { a: 2 }] }, { $match: { a: 2 } }]).toArray(), [{ a: 2 }]);
    assert.deepEqual(await run([{ $unionWith: { coll: 'customers', pipeline: [{ $project: { _id: 1 } }] } }, { $count: 'n' }]), [{ n: 6 }]);
    await h.db.collection('tree').insertMany([{ _id: 1, up: null }, { _id: 2, up: 1 }, { _id: 3, up: 2 }] as Document[]);
    const [g] = await run([{ $match: { _id: 3 } }, { $graphLookup: { from: 'tree', startWith: '$up', connectFromField: 'up', connectToField: '_id', as: 'chain' } }, { $project: { n: { $size: '$chain' } } }], 'tree');
    assert.deepEqual(g, { _id: 3, n: 2 });
    const running = await run([{ $setWindowFields: { sortBy: { _id: 1 }, output: { run: { $sum: '$qty', window: { documents: ['unbounded', 'current'] } } } } }, { $project: { run: 1 } }]);
    assert.deepEqual(running.map((r) => r.run), [2, 3, 8, 9]);
    assert.equal((await run([{ $bucketAuto: { groupBy: '$price', buckets: 2 } }])).length, 2);
    assert.deepEqual(await run([{ $sample: { size: 3 } }, { $count: 'n' }]), [{ n: 3 }]);
    const [r] = await run([{ $match: { _id: 1 } }, { $project: { r: { $round: [1.256, 2] }, t: { $trunc: 2.7 } } }]);
    assert.deepEqual(r, { _id: 1, r: 1.26, t: 2 });
  });
});

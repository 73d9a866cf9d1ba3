/**
 * Probes of aggregation stages and accumulators against the MongoDB 7.0 stage
 * reference: $lookup with let/pipeline, $unwind options, $group accumulators
 * ($top/$bottom/$firstN/$lastN/$maxN/$minN/$mergeObjects), $setWindowFields,
 * $replaceRoot errors, $sortByCount, $facet, $bucketAuto, $unionWith, $count, $sample.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Document } from 'mongodb';
import { openHarness, closeHarness, expectServerError, type Harness } from './harness.ts';

type Loose = { _id?: number | string | Document; [key: string]: unknown };

describe('probe: aggregation stages', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness('probe_agg_stages');
    await h.db.collection<Loose>('sales').insertMany([
      { _id: 1, item: 'a', qty: 5, price: 10, day: 1, tags: ['x', 'y'] },
      { _id: 2, item: 'b', qty: 2, price: 20, day: 1, tags: [] },
      { _id: 3, item: 'a', qty: 1, price: 10, day: 2 },
      { _id: 4, item: 'c', qty: 8, price: 5, day: 2, tags: 'z' },
      { _id: 5, item: 'b', qty: 3, price: 20, day: 3, tags: null },
    ]);
    await h.db.collection<Loose>('items').insertMany([
      { _id: 'a', name: 'Apple', stock: 10 },
      { _id: 'b', name: 'Banana', stock: 0 },
    ]);
  });
  after(async () => {
    await closeHarness(h);
  });

  const run = (pipeline: Document[], coll = 'sales'): Promise<Document[]> => h.db.collection(coll).aggregate(pipeline).toArray();

  // $lookup with let and pipeline, and the 5.0+ concise form (localField/foreignField plus pipeline).
  it('$lookup with let/pipeline and the concise correlated form', async () => {
    const rows = await run([
      { $match: { _id: { $in: [1, 2] } } },
      { $lookup: { from: 'items', let: { it: '$item', q: '$qty' }, pipeline: [{ $match: { $expr: { $and: [{ $eq: ['$_id', '$$it'] }, { $gte: ['$stock', '$$q'] }] } } }, { $project: { name: 1, _id: 0 } }], as: 'inStock' } },
      { $lookup: { from: 'items', localField: 'item', foreignField: '_id', pipeline: [{ $project: { _id: 0, stock: 1 } }], as: 'stock' } },
      { $project: { inStock: 1, stock: 1 } },
    ]);
    assert.deepEqual(rows, [
      { _id: 1, inStock: [{ name: 'Apple' }], stock: [{ stock: 10 }] },
      { _id: 2, inStock: [], stock: [{ stock: 0 }] },
    ]);
  });

  // $lookup from a dotted localField into an array `as` path.
  it('$lookup writing into a dotted as path', async () => {
    const rows = await run([{ $match: { _id: 1 } }, { $lookup: { from: 'items', localField: 'item', foreignField: '_id', as: 'x.found' } }, { $project: { 'x.found.name': 1 } }]);
    assert.deepEqual(rows, [{ _id: 1, x: { found: [{ name: 'Apple' }] } }]);
  });

  // $unwind with includeArrayIndex and preserveNullAndEmptyArrays together.
  it('$unwind with includeArrayIndex and preserveNullAndEmptyArrays', async () => {
    const rows = await run([{ $unwind: { path: '$tags', includeArrayIndex: 'i', preserveNullAndEmptyArrays: true } }, { $project: { tags: 1, i: 1 } }]);
    assert.deepEqual(rows, [
      { _id: 1, tags: 'x', i: 0 },
      { _id: 1, tags: 'y', i: 1 },
      { _id: 2, i: null },
      { _id: 3, i: null },
      { _id: 4, tags: 'z', i: null },
      { _id: 5, tags: null, i: null },
    ]);
  });

  // $unwind path must start with $ (28818).
  it('$unwind of a path without $ fails with 28818', async () => {
    await expectServerError(run([{ $unwind: 'tags' }]), 28818);
  });

  // $group with $top/$bottom/$firstN/$lastN/$maxN/$minN.
  it('$group with $top, $bottom, $firstN, $lastN, $maxN, $minN', async () => {
    const rows = await run([
      { $sort: { _id: 1 } },
      {
        $group: {
          _id: '$item',
          top: { $top: { sortBy: { qty: -1 }, output: '$qty' } },
          bottom: { $bottom: { sortBy: { qty: -1 }, output: ['$_id', '$qty'] } },
          first2: { $firstN: { input: '$_id', n: 2 } },
          last1: { $lastN: { input: '$_id', n: 1 } },
          max2: { $maxN: { input: '$qty', n: 2 } },
          min1: { $minN: { input: '$qty', n: 1 } },
          topN: { $topN: { sortBy: { qty: 1 }, output: '$qty', n: 2 } },
        },
      },
      { $sort: { _id: 1 } },
    ]);
    assert.deepEqual(rows, [
      { _id: 'a', top: 5, bottom: [3, 1], first2: [1, 3], last1: [3], max2: [5, 1], min1: [1], topN: [1, 5] },
      { _id: 'b', top: 3, bottom: [2, 2], first2: [2, 5], last1: [5], max2: [3, 2], min1: [2], topN: [2, 3] },
      { _id: 'c', top: 8, bottom: [4, 8], first2: [4], last1: [4], max2: [8], min1: [8], topN: [8] },
    ]);
  });

  // $group with $mergeObjects, $stdDevPop, $count accumulator, $first of missing gives null.
  it('$group with $mergeObjects, $count and $first of a missing field', async () => {
    const rows = await run([
      { $sort: { _id: 1 } },
      { $group: { _id: '$day', merged: { $mergeObjects: { $cond: [{ $gt: ['$qty', 2] }, { big: '$item' }, { small: '$item' }] } }, n: { $count: {} }, firstTags: { $first: '$nothing' } } },
      { $sort: { _id: 1 } },
    ]);
    assert.deepEqual(rows, [
      { _id: 1, merged: { big: 'a', small: 'b' }, n: 2, firstTags: null },
      { _id: 2, merged: { small: 'a', big: 'c' }, n: 2, firstTags: null },
      { _id: 3, merged: { big: 'b' }, n: 1, firstTags: null },
    ]);
  });

  // $setWindowFields: running total, rank, and a moving average over documents.
  it('$setWindowFields: running sum, $rank, $documentNumber, moving window', async () => {
    const rows = await run([
      {
        $setWindowFields: {
          partitionBy: '$item',
          sortBy: { day: 1 },
          output: {
            running: { $sum: '$qty', window: { documents: ['unbounded', 'current'] } },
            rank: { $rank: {} },
            num: { $documentNumber: {} },
          },
        },
      },
      { $project: { item: 1, running: 1, rank: 1, num: 1 } },
      { $sort: { _id: 1 } },
    ]);
    assert.deepEqual(rows, [
      { _id: 1, item: 'a', running: 5, rank: 1, num: 1 },
      { _id: 2, item: 'b', running: 2, rank: 1, num: 1 },
      { _id: 3, item: 'a', running: 6, rank: 2, num: 2 },
      { _id: 4, item: 'c', running: 8, rank: 1, num: 1 },
      { _id: 5, item: 'b', running: 5, rank: 2, num: 2 },
    ]);
  });

  // $replaceRoot with a non-document fails with 40228.
  it('$replaceRoot to a non-document fails with 40228', async () => {
    await expectServerError(run([{ $replaceRoot: { newRoot: '$qty' } }]), 40228);
  });

  // $sortByCount on an expression, ties in any order but counts descending.
  it('$sortByCount', async () => {
    const rows = await run([{ $sortByCount: '$item' }]);
    assert.deepEqual(rows.map((r) => r.count), [2, 2, 1]);
    assert.deepEqual(rows[2], { _id: 'c', count: 1 });
  });

  // $facet with $count and $bucketAuto inside.
  it('$facet with $count and $bucketAuto', async () => {
    const [out] = await run([{ $facet: { n: [{ $count: 'total' }], buckets: [{ $bucketAuto: { groupBy: '$qty', buckets: 2 } }] } }]);
    assert.deepEqual(out.n, [{ total: 5 }]);
    assert.equal(out.buckets.length, 2);
    // round(5 / 2) = 3 documents per bucket; a bucket's max is the next bucket's min.
    assert.deepEqual(out.buckets[0], { _id: { min: 1, max: 5 }, count: 3 });
    assert.deepEqual(out.buckets[1], { _id: { min: 5, max: 8 }, count: 2 });
  });

  // $unionWith with a pipeline and with a plain collection name.
  it('$unionWith', async () => {
    const rows = await run([{ $match: { _id: 1 } }, { $project: { _id: 1 } }, { $unionWith: { coll: 'items', pipeline: [{ $project: { _id: 1 } }] } }, { $unionWith: 'nonexistent' }]);
    assert.deepEqual(rows, [{ _id: 1 }, { _id: 'a' }, { _id: 'b' }]);
  });

  // $count with an invalid name fails (40157 empty, 40158 $-prefixed, 40160 contains '.').
  it('$count with an invalid field name fails', async () => {
    await expectServerError(run([{ $count: '' }]), 40157);
    await expectServerError(run([{ $count: '$x' }]), 40158);
    await expectServerError(run([{ $count: 'a.b' }]), 40160);
  });

  // $sample returns size distinct documents (or all when size >= count).
  it('$sample returns distinct documents', async () => {
    const rows = await run([{ $sample: { size: 3 } }]);
    assert.equal(rows.length, 3);
    assert.equal(new Set(rows.map((r) => r._id)).size, 3);
    assert.equal((await run([{ $sample: { size: 50 } }])).length, 5);
    await expectServerError(run([{ $sample: { size: -1 } }]), 28747);
  });

  // $limit 0 fails (15958); $skip negative fails (15956).
  it('$limit must be positive and $skip non-negative', async () => {
    await expectServerError(run([{ $limit: 0 }]), 15958);
    await expectServerError(run([{ $skip: -1 }]), 15956);
  });

  // $group _id with a document of expressions; $avg over none null.
  it('$group on a compound key with $avg and $sum of an expression', async () => {
    const rows = await run([{ $group: { _id: { item: '$item' }, revenue: { $sum: { $multiply: ['$qty', '$price'] } }, avg: { $avg: '$missing' } } }, { $sort: { '_id.item': 1 } }]);
    assert.deepEqual(rows, [
      { _id: { item: 'a' }, revenue: 60, avg: null },
      { _id: { item: 'b' }, revenue: 100, avg: null },
      { _id: { item: 'c' }, revenue: 40, avg: null },
    ]);
  });

  // $project of a missing field path omits it; $addFields with a missing value omits it.
  it('$project and $addFields omit fields whose value is missing', async () => {
    const rows = await run([{ $match: { _id: 1 } }, { $project: { a: '$nope', b: { c: '$nope' }, item: 1 } }, { $addFields: { d: '$nope' } }]);
    assert.deepEqual(rows, [{ _id: 1, item: 'a', b: {} }]);
  });

  // Expression objects omit fields whose expression is missing: in a $group _id and in $addFields.
  it('expression objects omit missing fields ($group _id, $addFields)', async () => {
    const rows = await run([{ $match: { _id: { $in: [1, 2] } } }, { $group: { _id: { item: '$item', x: '$nope' }, n: { $sum: 1 } } }, { $sort: { '_id.item': 1 } }]);
    assert.deepEqual(rows, [{ _id: { item: 'a' }, n: 1 }, { _id: { item: 'b' }, n: 1 }]);
    const added = await run([{ $match: { _id: 1 } }, { $addFields: { o: { a: '$nope', b: 1 }, arr: ['$nope', 1] } }, { $project: { o: 1, arr: 1 } }]);
    assert.deepEqual(added, [{ _id: 1, o: { b: 1 }, arr: [null, 1] }]);
  });

  // $match with $expr using $$NOW and a $lookup into the same collection.
  it('$match after $group on an accumulated field', async () => {
    const rows = await run([{ $group: { _id: '$item', total: { $sum: '$qty' } } }, { $match: { total: { $gte: 5 } } }, { $sort: { total: -1 } }]);
    assert.deepEqual(rows, [{ _id: 'c', total: 8 }, { _id: 'a', total: 6 }, { _id: 'b', total: 5 }]);
  });

  // $densify: a step must be strictly positive (5733401); 'full' bounds fill between the extremes.
  // Explicit [lower, upper] bounds are refused by the engine (README table).
  it('$densify step checks, full bounds, explicit bounds refused', async () => {
    await expectServerError(run([{ $densify: { field: 'qty', range: { step: 0, bounds: 'full' } } }]), 5733401);
    await expectServerError(run([{ $densify: { field: 'qty', range: { step: 1, bounds: [0, 10] } } }]), 2);
    const rows = await run([{ $match: { _id: { $in: [1, 3] } } }, { $densify: { field: 'qty', range: { step: 2, bounds: 'full' } } }, { $project: { _id: 0, qty: 1 } }]);
    assert.deepEqual(rows, [{ qty: 1 }, { qty: 3 }, { qty: 5 }]);
  });

  // $densify and $fill are available (5.1/5.3).
  it('$fill with a constant value', async () => {
    const rows = await run([{ $match: { _id: { $in: [2, 3] } } }, { $fill: { output: { tags: { value: ['none'] } } } }, { $project: { tags: 1 } }]);
    assert.deepEqual(rows, [{ _id: 2, tags: [] }, { _id: 3, tags: ['none'] }]);
  });
});

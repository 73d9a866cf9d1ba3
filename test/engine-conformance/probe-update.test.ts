/**
 * Probes of update-operator edge cases against the MongoDB 7.0 manual pages of
 * each operator ($rename, $min/$max, $currentDate, $mul/$inc, $push modifiers,
 * $addToSet, $pull, $pullAll, $pop, $unset, positional operators).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Double, Int32, Long, Timestamp, type Document } from 'mongodb';
/** A document whose _id may be of any BSON type. */
type Loose = { _id?: number | string | Document; [key: string]: unknown };
import { openHarness, closeHarness, expectServerError, type Harness } from './harness.ts';

describe('probe: update operators', () => {
  let h: Harness;
  let n = 0;
  before(async () => {
    h = await openHarness('probe_update');
  });
  after(async () => {
    await closeHarness(h);
  });

  async function after1(doc: Document, update: Document, options: Document = {}): Promise<Document | null> {
    const c = h.db.collection<Loose>(`u${n++}`);
    await c.insertOne({ _id: 1, ...doc });
    await c.updateOne({ _id: 1 }, update, options);
    return c.findOne({ _id: 1 });
  }

  async function failing(doc: Document, update: Document, code: number): Promise<void> {
    const c = h.db.collection<Loose>(`u${n++}`);
    await c.insertOne({ _id: 1, ...doc });
    await expectServerError(c.updateOne({ _id: 1 }, update), code);
    assert.deepEqual(await c.findOne({ _id: 1 }), { _id: 1, ...doc });
  }

  // $rename: "renames into an embedded document"; an existing target is overwritten.
  it('$rename into and out of embedded documents, overwriting the target', async () => {
    assert.deepEqual(await after1({ a: 1, b: { c: 2 } }, { $rename: { a: 'b.d', 'b.c': 'e' } }), { _id: 1, b: { d: 1 }, e: 2 });
    assert.deepEqual(await after1({ a: 1, b: 2 }, { $rename: { a: 'b' } }), { _id: 1, b: 1 });
  });

  // $rename: source and target the same fails; into/out of an array element fails (2 BadValue).
  it('$rename errors: same source and target, array paths', async () => {
    await failing({ a: 1 }, { $rename: { a: 'a' } }, 2);
    await failing({ a: [{ b: 1 }] }, { $rename: { 'a.0.b': 'c' } }, 2);
    await failing({ a: 1 }, { $rename: { a: 'b.$' } }, 2);
    await failing({ a: [{ b: 1 }], c: [] }, { $rename: { 'a.b': 'd' } }, 2);
    await failing({ a: 1, c: [{}] }, { $rename: { a: 'c.0.d' } }, 2);
  });

  // $rename with a target that is a prefix of the source conflicts (40).
  it('$rename with a target overlapping the source fails with 40', async () => {
    await failing({ a: { b: 1 } }, { $rename: { 'a.b': 'a' } }, 40);
  });

  // $rename to a non-string fails with 2.
  it('$rename with a non-string target fails with 2', async () => {
    await failing({ a: 1 }, { $rename: { a: 5 } }, 2);
  });

  // $min/$max compare across BSON types by the comparison order.
  it('$min/$max across types use the BSON comparison order', async () => {
    assert.deepEqual(await after1({ v: 'str' }, { $min: { v: 5 } }), { _id: 1, v: 5 });
    assert.deepEqual(await after1({ v: 'str' }, { $max: { v: 5 } }), { _id: 1, v: 'str' });
    assert.deepEqual(await after1({ v: null }, { $max: { v: false } }), { _id: 1, v: false });
  });

  // $currentDate {$type:'timestamp'} gives a Timestamp; {$type:'date'} or true a Date.
  it('$currentDate with $type timestamp and date', async () => {
    const doc = await after1({}, { $currentDate: { t: { $type: 'timestamp' }, d: { $type: 'date' }, x: true } });
    assert.ok(doc?.t instanceof Timestamp);
    assert.ok(doc?.d instanceof Date);
    assert.ok(doc?.x instanceof Date);
    await failing({}, { $currentDate: { t: { $type: 'string' } } }, 2);
  });

  // $mul of a missing field sets 0 of the multiplier's type; $inc of missing sets the amount.
  it('$mul / $inc on missing fields keep the operand type', async () => {
    const c = h.db.collection<Loose>(`u${n++}`);
    await c.insertOne({ _id: 1 });
    await c.updateOne({ _id: 1 }, { $mul: { a: Long.fromNumber(3), b: new Double(2.5) }, $inc: { c: Long.fromNumber(4) } } as Document);
    const doc = await c.findOne({ _id: 1 }, { promoteValues: false });
    assert.ok(doc?.a instanceof Long);
    assert.equal(Number(doc?.a), 0);
    assert.ok(doc?.b instanceof Double);
    assert.ok(doc?.c instanceof Long);
    assert.equal(Number(doc?.c), 4);
  });

  // $inc on null fails (Cannot apply $inc to a value of non-numeric type null): 14.
  it('$inc on a null field fails with 14', async () => {
    await failing({ a: null }, { $inc: { a: 1 } }, 14);
  });

  // $push with $each, $slice: 0 empties; $sort: -1 descending; $position negative counts from the end.
  it('$push modifiers: $slice 0, $sort -1, negative $position', async () => {
    assert.deepEqual(await after1({ a: [1, 2] }, { $push: { a: { $each: [3], $slice: 0 } } }), { _id: 1, a: [] });
    assert.deepEqual(await after1({ a: [3, 1] }, { $push: { a: { $each: [2], $sort: -1 } } }), { _id: 1, a: [3, 2, 1] });
    assert.deepEqual(await after1({ a: [1, 2, 3] }, { $push: { a: { $each: [9], $position: -1 } } }), { _id: 1, a: [1, 2, 9, 3] });
    assert.deepEqual(await after1({ a: [1, 2] }, { $push: { a: { $each: [], $slice: 1 } } }), { _id: 1, a: [1] });
  });

  // $push $sort on documents with a multi-key sort spec.
  it('$push $sort by several document fields', async () => {
    const doc = await after1(
      { q: [{ x: 1, y: 2 }, { x: 2, y: 1 }] },
      { $push: { q: { $each: [{ x: 1, y: 1 }], $sort: { x: 1, y: -1 } } } },
    );
    assert.deepEqual(doc?.q, [{ x: 1, y: 2 }, { x: 1, y: 1 }, { x: 2, y: 1 }]);
  });

  // $push modifier errors: $slice not a number (2), $position without $each (the doc is pushed as is).
  it('$push with an invalid $sort fails with 2', async () => {
    await failing({ a: [1] }, { $push: { a: { $each: [2], $sort: 2 } } }, 2);
    await failing({ a: [1] }, { $push: { a: { $each: 2 } } }, 2);
  });

  // $addToSet $each with documents compares whole documents (field order matters).
  it('$addToSet $each with documents', async () => {
    const doc = await after1({ a: [{ x: 1, y: 2 }] }, { $addToSet: { a: { $each: [{ x: 1, y: 2 }, { y: 2, x: 1 }, { x: 1, y: 2 }] } } });
    assert.deepEqual(doc?.a, [{ x: 1, y: 2 }, { y: 2, x: 1 }]);
  });

  // $addToSet on a missing field creates the array; on a non-array fails (2).
  it('$addToSet on a missing field creates it; on a scalar fails', async () => {
    assert.deepEqual(await after1({}, { $addToSet: { a: { $each: [1, 1, 2] } } }), { _id: 1, a: [1, 2] });
    await failing({ a: 5 }, { $addToSet: { a: 1 } }, 2);
  });

  // $pull with conditions on scalars and documents, and $pull of a document matches by query.
  it('$pull with operators on scalars and on document fields', async () => {
    assert.deepEqual(await after1({ a: [1, 5, 8, 10] }, { $pull: { a: { $gte: 5, $lt: 10 } } }), { _id: 1, a: [1, 10] });
    assert.deepEqual(await after1({ a: [{ n: 1, t: 'x' }, { n: 2 }] }, { $pull: { a: { n: { $gt: 1 } } } }), { _id: 1, a: [{ n: 1, t: 'x' }] });
    assert.deepEqual(await after1({ a: ['apple', 'banana', 'avocado'] }, { $pull: { a: { $in: [/^a/] } } }), { _id: 1, a: ['banana'] });
  });

  // $pull inside an array of documents via $[]
  it('$pull on nested arrays through $[]', async () => {
    const doc = await after1({ r: [{ s: [1, 2, 3] }, { s: [2, 4] }] }, { $pull: { 'r.$[].s': 2 } });
    assert.deepEqual(doc?.r, [{ s: [1, 3] }, { s: [4] }]);
  });

  // $pullAll with documents compares exactly; a non-array argument fails (2).
  it('$pullAll exact matching and its argument error', async () => {
    assert.deepEqual(await after1({ a: [{ x: 1 }, { x: 1, y: 1 }, 3, 3] }, { $pullAll: { a: [{ x: 1 }, 3] } }), { _id: 1, a: [{ x: 1, y: 1 }] });
    await failing({ a: [1] }, { $pullAll: { a: 1 } }, 2);
  });

  // $pop on a missing field is a no-op; on a non-array fails (14); value must be 1 or -1 (9).
  it('$pop on missing, non-array and with a bad value', async () => {
    assert.deepEqual(await after1({}, { $pop: { a: 1 } }), { _id: 1 });
    await failing({ a: 1 }, { $pop: { a: 1 } }, 14);
    await failing({ a: [1] }, { $pop: { a: 2 } }, 9);
  });

  // $unset on an array element leaves null; on a path through a scalar is a no-op.
  it('$unset on array elements and through a scalar', async () => {
    assert.deepEqual(await after1({ a: [1, 2, 3] }, { $unset: { 'a.1': '' } }), { _id: 1, a: [1, null, 3] });
    assert.deepEqual(await after1({ a: 1 }, { $unset: { 'a.b': 1 } }), { _id: 1, a: 1 });
    assert.deepEqual(await after1({ a: [{ b: 1 }, { b: 2 }] }, { $unset: { 'a.$[].b': 1 } }), { _id: 1, a: [{}, {}] });
  });

  // Positional $ with an $elemMatch query updates the matched element.
  it('positional $ with $elemMatch and with a dotted query', async () => {
    const c = h.db.collection<Loose>(`u${n++}`);
    await c.insertOne({ _id: 1, g: [{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'b', v: 3 }] });
    await c.updateOne({ g: { $elemMatch: { k: 'b', v: 3 } } }, { $set: { 'g.$.v': 30 } });
    await c.updateOne({ 'g.k': 'a' }, { $inc: { 'g.$.v': 10 } } as Document);
    assert.deepEqual((await c.findOne({ _id: 1 }))?.g, [{ k: 'a', v: 11 }, { k: 'b', v: 2 }, { k: 'b', v: 30 }]);
  });

  // $[<id>] with arrayFilters using operators on scalars and nested identifiers.
  it('$[<id>] on scalars and two nested identifiers', async () => {
    const doc = await after1({ s: [50, 95, 100] }, { $set: { 's.$[el]': 90 } }, { arrayFilters: [{ el: { $gte: 90 } }] });
    assert.deepEqual(doc?.s, [50, 90, 90]);
    const nested = await after1(
      { d: [{ t: 'a', q: [1, 5] }, { t: 'b', q: [1, 5] }] },
      { $inc: { 'd.$[x].q.$[y]': 100 } },
      { arrayFilters: [{ 'x.t': 'b' }, { y: { $gt: 2 } }] },
    );
    assert.deepEqual(nested?.d, [{ t: 'a', q: [1, 5] }, { t: 'b', q: [1, 105] }]);
  });

  // Upsert with $[] / positional: positional in an upsert without match fails (2) per the docs.
  it('upsert that inserts with a positional $ path fails with 2', async () => {
    const c = h.db.collection<Loose>(`u${n++}`);
    await expectServerError(c.updateOne({ a: 1 }, { $set: { 'b.$': 1 } }, { upsert: true }), 2);
  });

  // Array update operators on a non-array: "Cannot apply array updates to non-array element" (2);
  // on a missing field: "The path … must exist in the document" (2).
  it('$[] on a scalar or a missing field fails with 2', async () => {
    await failing({ a: 5 }, { $set: { 'a.$[]': 1 } }, 2);
    await failing({ a: { b: 1 } }, { $set: { 'a.$[]': 1 } }, 2);
    await failing({}, { $inc: { 'a.$[]': 1 } }, 2);
  });

  // $set _id to the same value is allowed; $unset _id fails with 66.
  it('$set of _id to its own value succeeds; $unset of _id fails with 66', async () => {
    assert.deepEqual(await after1({ a: 1 }, { $set: { _id: 1, a: 2 } }), { _id: 1, a: 2 });
    await failing({ a: 1 }, { $unset: { _id: 1 } }, 66);
    await failing({ a: 1 }, { $rename: { _id: 'x' } }, 66);
  });

  // Setting a field of _id (a document _id) fails with 66.
  it('changing a part of a document _id fails with 66', async () => {
    const c = h.db.collection<Loose>(`u${n++}`);
    await c.insertOne({ _id: { a: 1, b: 2 } });
    await expectServerError(c.updateOne({}, { $set: { '_id.a': 5 } }), 66);
  });

  // Conflicting paths: $set a.b and $inc a.b.c; $push and $pull on the same array.
  it('conflicts between nested paths and between array operators fail with 40', async () => {
    await failing({ a: { b: { c: 1 } } }, { $set: { 'a.b': 1 }, $inc: { 'a.b.c': 1 } }, 40);
    await failing({ a: [1] }, { $push: { a: 2 }, $pull: { a: 1 } }, 40);
  });

  // Update fields are applied in lexicographic order, so a $set creating a.b and a.c gives {b, c}.
  it('$set creates new fields in lexicographic order', async () => {
    const doc = await after1({}, { $set: { z: 1, a: 1, 'm.y': 1 } });
    assert.deepEqual(doc === null ? null : Object.keys(doc), null === doc ? null : ['_id', 'a', 'm', 'z']);
  });

  // $max with Int32 vs Double equal values: no change (modifiedCount 0).
  it('$max with an equal value of another numeric type changes nothing', async () => {
    const c = h.db.collection<Loose>(`u${n++}`);
    await c.insertOne({ _id: 1, v: new Int32(5) });
    const res = await c.updateOne({ _id: 1 }, { $max: { v: new Double(5) } });
    assert.equal(res.modifiedCount, 0);
  });

  // $setOnInsert combined with $inc on the same field in an upsert conflicts (40).
  it('$setOnInsert and $inc on the same field conflict', async () => {
    const c = h.db.collection<Loose>(`u${n++}`);
    await expectServerError(c.updateOne({ _id: 1 }, { $setOnInsert: { a: 1 }, $inc: { a: 1 } } as Document, { upsert: true }), 40);
  });

  // An upsert whose filter has _id and $set changes _id: 66? (the docs: the _id from the query).
  it('an upsert that sets a different _id than the filter fails with 66', async () => {
    const c = h.db.collection<Loose>(`u${n++}`);
    await expectServerError(c.updateOne({ _id: 1 }, { $set: { _id: 2 } }, { upsert: true }), 66);
  });
});

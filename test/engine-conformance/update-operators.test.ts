/**
 * Update operators as MongoDB 7.0 applies them: field, array and positional
 * operators, and the errors for immutable _id, conflicting paths and
 * type mismatches (with nothing changed after a refused update).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Timestamp, type Document, type UpdateFilter, type UpdateOptions } from 'mongodb';
import { openHarness, closeHarness, expectServerError, type Harness } from './harness.ts';

describe('engine conformance: update operators', () => {
  let h: Harness;
  let counter = 0;
  before(async () => {
    h = await openHarness('conf_update');
  });
  after(async () => {
    await closeHarness(h);
  });

  /** Stores `doc` in a fresh collection, applies `update` to it and returns the stored result. */
  async function apply(doc: Document, update: Document | Document[], options: UpdateOptions = {}): Promise<Document | null> {
    const c = h.db.collection(`u${++counter}`);
    await c.insertOne({ _id: 1, ...doc } as Document);
    await c.updateOne({ _id: 1 } as Document, Array.isArray(update) ? update : (update as UpdateFilter<Document>), options);
    return c.findOne({ _id: 1 } as Document);
  }

  /** A fresh collection holding `doc` under _id 1. */
  async function seeded(doc: Document) {
    const c = h.db.collection(`u${++counter}`);
    await c.insertOne({ _id: 1, ...doc } as Document);
    return c;
  }

  describe('field operators', () => {
    it('$set creates nested documents along a dotted path', async () => {
      assert.deepEqual(await apply({ x: 0 }, { $set: { 'a.b.c': 1, x: 'y' } }), { _id: 1, x: 'y', a: { b: { c: 1 } } });
    });
    it('$set on an array index replaces that element; past the end it pads with null', async () => {
      assert.deepEqual(await apply({ arr: ['a', 'b', 'c'] }, { $set: { 'arr.1': 'z' } }), { _id: 1, arr: ['a', 'z', 'c'] });
      assert.deepEqual(await apply({ arr: ['a'] }, { $set: { 'arr.3': 'q' } }), { _id: 1, arr: ['a', null, null, 'q'] });
    });
    it('$unset removes fields, a nested field, and sets an array element to null', async () => {
      assert.deepEqual(await apply({ a: 1, b: { c: 2, d: 3 }, keep: true }, { $unset: { a: '', 'b.c': '' } }), { _id: 1, b: { d: 3 }, keep: true });
      assert.deepEqual(await apply({ arr: ['a', 'b', 'c'] }, { $unset: { 'arr.1': '' } }), { _id: 1, arr: ['a', null, 'c'] });
    });
    it('$unset of a missing field matches but modifies nothing', async () => {
      const c = await seeded({ a: 1 });
      const res = await c.updateOne({ _id: 1 } as Document, { $unset: { nope: '' } });
      assert.equal(res.matchedCount, 1);
      assert.equal(res.modifiedCount, 0);
    });
    it('$inc adds (negative too) and creates a missing field', async () => {
      assert.deepEqual(await apply({ n: 1, m: 10 }, { $inc: { n: 5, m: -2.5, fresh: 3 } }), { _id: 1, n: 6, m: 7.5, fresh: 3 });
    });
    it('$mul multiplies and sets a missing field to 0', async () => {
      assert.deepEqual(await apply({ price: 10 }, { $mul: { price: 1.25, missing: 3 } }), { _id: 1, price: 12.5, missing: 0 });
    });
    it('$min / $max replace only when the new value is lower / higher; missing fields are set', async () => {
      assert.deepEqual(await apply({ lo: 10, hi: 7 }, { $min: { lo: 5, new1: 4 }, $max: { hi: 3, new2: 8 } }), { _id: 1, lo: 5, hi: 7, new1: 4, new2: 8 });
    });
    it('$min / $max compare dates', async () => {
      const d1 = new Date('2024-01-01T00:00:00Z');
      const d2 = new Date('2024-06-01T00:00:00Z');
      assert.deepEqual(await apply({ first: d2, last: d1 }, { $min: { first: d1 }, $max: { last: d2 } }), { _id: 1, first: d1, last: d2 });
    });
    it('$min that changes nothing reports modifiedCount 0', async () => {
      const c = await seeded({ lo: 1 });
      const res = await c.updateOne({ _id: 1 } as Document, { $min: { lo: 5 } });
      assert.equal(res.modifiedCount, 0);
    });
    it('$rename moves top-level and nested fields; a missing source is a no-op', async () => {
      assert.deepEqual(await apply({ old: 1, a: { b: 2 } }, { $rename: { old: 'new', 'a.b': 'c', ghost: 'spirit' } }), { _id: 1, new: 1, a: {}, c: 2 });
    });
    it('$setOnInsert applies only when the upsert inserts', async () => {
      const c = h.db.collection(`u${++counter}`);
      await c.updateOne({ _id: 'x' } as Document, { $set: { v: 1 }, $setOnInsert: { created: 'now' } }, { upsert: true });
      assert.deepEqual(await c.findOne({ _id: 'x' } as Document), { _id: 'x', v: 1, created: 'now' });
      await c.updateOne({ _id: 'x' } as Document, { $set: { v: 2 }, $setOnInsert: { created: 'later' } }, { upsert: true });
      assert.deepEqual(await c.findOne({ _id: 'x' } as Document), { _id: 'x', v: 2, created: 'now' });
    });
    it('$currentDate sets a Date, or a Timestamp when asked', async () => {
      const before = Date.now();
      const doc = await apply({}, { $currentDate: { at: true, d: { $type: 'date' }, ts: { $type: 'timestamp' } } });
      const after = Date.now();
      assert.ok(doc?.at instanceof Date, 'at is a Date');
      assert.ok(doc.d instanceof Date, 'd is a Date');
      assert.ok(doc.at.getTime() >= before - 1000 && doc.at.getTime() <= after + 1000, 'at is now');
      assert.ok(doc.ts instanceof Timestamp, 'ts is a Timestamp');
      const seconds = doc.ts.t;
      assert.ok(seconds >= Math.floor(before / 1000) - 1 && seconds <= Math.ceil(after / 1000) + 1, 'ts seconds are now');
    });
  });

  describe('array operators', () => {
    it('$push appends one value and creates a missing array', async () => {
      assert.deepEqual(await apply({ arr: [1] }, { $push: { arr: 2, fresh: 'a' } }), { _id: 1, arr: [1, 2], fresh: ['a'] });
    });
    it('$push without $each appends an array as one element', async () => {
      assert.deepEqual(await apply({ arr: [1] }, { $push: { arr: [2, 3] } }), { _id: 1, arr: [1, [2, 3]] });
    });
    it('$push $each appends every value', async () => {
      assert.deepEqual(await apply({ arr: [1] }, { $push: { arr: { $each: [2, 3] } } }), { _id: 1, arr: [1, 2, 3] });
    });
    it('$push $each with $position inserts at the index', async () => {
      assert.deepEqual(await apply({ scores: [100] }, { $push: { scores: { $each: [50, 60, 70], $position: 0 } } }), { _id: 1, scores: [50, 60, 70, 100] });
      assert.deepEqual(await apply({ scores: [1, 2, 3] }, { $push: { scores: { $each: [9], $position: 1 } } }), { _id: 1, scores: [1, 9, 2, 3] });
    });
    it('$push $each with a negative $slice keeps the last n', async () => {
      assert.deepEqual(await apply({ arr: [1, 2, 3] }, { $push: { arr: { $each: [4, 5], $slice: -3 } } }), { _id: 1, arr: [3, 4, 5] });
      assert.deepEqual(await apply({ arr: [1, 2, 3] }, { $push: { arr: { $each: [], $slice: 2 } } }), { _id: 1, arr: [1, 2] });
    });
    it('$push $each with $sort on scalars', async () => {
      assert.deepEqual(await apply({ tests: [89, 70, 89, 50] }, { $push: { tests: { $each: [40, 60], $sort: 1 } } }), { _id: 1, tests: [40, 50, 60, 70, 89, 89] });
    });
    it('$push $each with $sort on a subdocument field and $slice', async () => {
      const quizzes = [{ wk: 1, score: 10 }, { wk: 2, score: 8 }, { wk: 3, score: 5 }, { wk: 4, score: 6 }];
      const doc = await apply({ quizzes }, {
        $push: { quizzes: { $each: [{ wk: 5, score: 8 }, { wk: 6, score: 7 }, { wk: 7, score: 6 }], $sort: { score: -1 }, $slice: 3 } },
      });
      assert.deepEqual(doc, { _id: 1, quizzes: [{ wk: 1, score: 10 }, { wk: 2, score: 8 }, { wk: 5, score: 8 }] });
    });
    it('$addToSet adds only absent values; $each adds each absent value', async () => {
      assert.deepEqual(await apply({ tags: ['a', 'b'] }, { $addToSet: { tags: 'a' } }), { _id: 1, tags: ['a', 'b'] });
      assert.deepEqual(await apply({ tags: ['a', 'b'] }, { $addToSet: { tags: { $each: ['b', 'c', 'c', 'd'] } } }), { _id: 1, tags: ['a', 'b', 'c', 'd'] });
    });
    it('$addToSet with an array value adds the array as one element', async () => {
      assert.deepEqual(await apply({ tags: ['a'] }, { $addToSet: { tags: ['b', 'c'] } }), { _id: 1, tags: ['a', ['b', 'c']] });
    });
    it('$addToSet that adds nothing reports modifiedCount 0', async () => {
      const c = await seeded({ tags: ['a'] });
      const res = await c.updateOne({ _id: 1 } as Document, { $addToSet: { tags: 'a' } });
      assert.equal(res.matchedCount, 1);
      assert.equal(res.modifiedCount, 0);
    });
    it('$pop 1 removes the last element, -1 the first', async () => {
      assert.deepEqual(await apply({ arr: [1, 2, 3] }, { $pop: { arr: 1 } }), { _id: 1, arr: [1, 2] });
      assert.deepEqual(await apply({ arr: [1, 2, 3] }, { $pop: { arr: -1 } }), { _id: 1, arr: [2, 3] });
    });
    it('$pull removes values matching a condition or a value', async () => {
      assert.deepEqual(await apply({ votes: [3, 5, 6, 7, 7, 8] }, { $pull: { votes: { $gte: 6 } } }), { _id: 1, votes: [3, 5] });
      const doc = await apply(
        { fruits: ['apples', 'pears', 'oranges', 'grapes', 'bananas'], vegetables: ['carrots', 'celery', 'squash', 'carrots'] },
        { $pull: { fruits: { $in: ['apples', 'oranges'] }, vegetables: 'carrots' } },
      );
      assert.deepEqual(doc, { _id: 1, fruits: ['pears', 'grapes', 'bananas'], vegetables: ['celery', 'squash'] });
    });
    it('$pull on subdocuments matches them as a query', async () => {
      const results = [{ item: 'A', score: 5 }, { item: 'B', score: 8 }, { item: 'C', score: 8 }];
      assert.deepEqual(await apply({ results }, { $pull: { results: { score: 8, item: 'B' } } }), {
        _id: 1,
        results: [{ item: 'A', score: 5 }, { item: 'C', score: 8 }],
      });
    });
    it('$pullAll removes every occurrence of the listed values', async () => {
      assert.deepEqual(await apply({ scores: [0, 2, 5, 5, 1, 0] }, { $pullAll: { scores: [0, 5] } }), { _id: 1, scores: [2, 1] });
    });
  });

  describe('positional operators', () => {
    it('$ updates the first element matched by the query', async () => {
      const c = await seeded({ grades: [85, 80, 80] });
      await c.updateOne({ _id: 1, grades: 80 } as Document, { $set: { 'grades.$': 82 } });
      assert.deepEqual(await c.findOne({ _id: 1 } as Document), { _id: 1, grades: [85, 82, 80] });
    });
    it('$ on an array of subdocuments', async () => {
      const c = await seeded({ items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 1 }] });
      await c.updateOne({ 'items.sku': 'b' }, { $inc: { 'items.$.qty': 5 } });
      assert.deepEqual(await c.findOne({ _id: 1 } as Document), { _id: 1, items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 6 }] });
    });
    it('$[] updates every element', async () => {
      assert.deepEqual(await apply({ grades: [1, 2, 3] }, { $inc: { 'grades.$[]': 10 } }), { _id: 1, grades: [11, 12, 13] });
      assert.deepEqual(await apply({ items: [{ a: 1 }, { a: 2 }] }, { $set: { 'items.$[].done': true } }), {
        _id: 1,
        items: [{ a: 1, done: true }, { a: 2, done: true }],
      });
    });
    it('$[<id>] with arrayFilters on a subdocument field', async () => {
      const grades = [{ grade: 80, mean: 75, std: 6 }, { grade: 85, mean: 90, std: 4 }, { grade: 85, mean: 85, std: 6 }];
      const doc = await apply({ grades }, { $set: { 'grades.$[elem].mean': 100 } }, { arrayFilters: [{ 'elem.grade': { $gte: 85 } }] });
      assert.deepEqual(doc, {
        _id: 1,
        grades: [{ grade: 80, mean: 75, std: 6 }, { grade: 85, mean: 100, std: 4 }, { grade: 85, mean: 100, std: 6 }],
      });
    });
    it('$[<id>] nested under $[]', async () => {
      const doc = await apply(
        { rows: [{ cells: [1, 5, 9] }, { cells: [6, 2] }] },
        { $set: { 'rows.$[].cells.$[big]': 0 } },
        { arrayFilters: [{ big: { $gt: 4 } }] },
      );
      assert.deepEqual(doc, { _id: 1, rows: [{ cells: [1, 0, 0] }, { cells: [0, 2] }] });
    });
  });

  describe('errors', () => {
    it('changing _id fails with 66 ImmutableField and leaves the document unchanged', async () => {
      const c = await seeded({ v: 1 });
      await expectServerError(c.updateOne({ _id: 1 } as Document, { $set: { _id: 2, v: 2 } }), 66);
      assert.deepEqual(await c.find().toArray(), [{ _id: 1, v: 1 }]);
    });
    it('two operators on the same path fail with 40 ConflictingUpdateOperators', async () => {
      const c = await seeded({ a: 1 });
      await expectServerError(c.updateOne({ _id: 1 } as Document, { $set: { a: 5 }, $inc: { a: 1 } }), 40);
      assert.deepEqual(await c.findOne({ _id: 1 } as Document), { _id: 1, a: 1 });
    });
    it('a path and its parent in one update fail with 40', async () => {
      const c = await seeded({ a: { b: 1 } });
      await expectServerError(c.updateOne({ _id: 1 } as Document, { $set: { a: {}, 'a.b': 2 } }), 40);
    });
    it('$inc on a string field fails with 14 TypeMismatch and changes nothing', async () => {
      const c = await seeded({ s: 'text', n: 1 });
      await expectServerError(c.updateOne({ _id: 1 } as Document, { $inc: { s: 1, n: 1 } }), 14);
      assert.deepEqual(await c.findOne({ _id: 1 } as Document), { _id: 1, s: 'text', n: 1 });
    });
    it('$inc with a non-numeric amount fails with 14', async () => {
      const c = await seeded({ n: 1 });
      await expectServerError(c.updateOne({ _id: 1 } as Document, { $inc: { n: 'one' } } as Document), 14);
    });
    it('$push onto a non-array fails with 2 BadValue', async () => {
      const c = await seeded({ a: 5 });
      await expectServerError(c.updateOne({ _id: 1 } as Document, { $push: { a: 6 } } as Document), 2);
      assert.deepEqual(await c.findOne({ _id: 1 } as Document), { _id: 1, a: 5 });
    });
    it('$set through a scalar fails with 28 PathNotViable', async () => {
      const c = await seeded({ a: 5 });
      await expectServerError(c.updateOne({ _id: 1 } as Document, { $set: { 'a.b': 1 } }), 28);
    });
    it('an unknown update operator fails with 9 FailedToParse', async () => {
      const c = await seeded({ a: 5 });
      await expectServerError(c.updateOne({ _id: 1 } as Document, { $foo: { a: 1 } } as Document), 9);
    });
    it('positional $ without the array in the query fails with 2', async () => {
      const c = await seeded({ arr: [1, 2] });
      await expectServerError(c.updateOne({ _id: 1 } as Document, { $set: { 'arr.$': 9 } }), 2);
    });
    it('an array filter whose identifier is unused fails with 9', async () => {
      const c = await seeded({ arr: [1, 2] });
      await expectServerError(c.updateOne({ _id: 1 } as Document, { $set: { arr: [] } }, { arrayFilters: [{ x: 1 }] }), 9);
    });
    it('$[<id>] without a matching array filter fails with 2', async () => {
      const c = await seeded({ arr: [1, 2] });
      await expectServerError(c.updateOne({ _id: 1 } as Document, { $set: { 'arr.$[x]': 9 } }), 2);
    });
  });
});

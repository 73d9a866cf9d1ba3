/** Update operator families and their errors; a refused update leaves the document unchanged. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Timestamp, type Document, type UpdateFilter } from 'mongodb';
import { serverError, startHarness, type Harness } from './helpers.ts';

describe('update operators', () => {
  let h: Harness;
  let n = 0;
  before(async () => (h = await startHarness()));
  after(async () => h.close());

  async function apply(doc: Document, update: Document | Document[], filter: Document = { _id: 1 }, arrayFilters?: Document[]): Promise<Document | null> {
    const c = h.db.collection(`u${++n}`);
    await c.insertOne({ _id: 1, ...doc } as Document);
    await c.updateOne(filter, update as UpdateFilter<Document>, arrayFilters ? { arrayFilters } : {});
    return c.findOne({ _id: 1 } as Document);
  }
  async function refused(doc: Document, update: Document, code: number): Promise<void> {
    const c = h.db.collection(`u${++n}`);
    await c.insertOne({ _id: 1, ...doc } as Document);
    const err = await serverError(() => c.updateOne({ _id: 1 } as Document, update as UpdateFilter<Document>));
    assert.equal(err.code, code, err.message);
    assert.deepEqual(await c.findOne({ _id: 1 } as Document), { _id: 1, ...doc }, 'document unchanged');
  }

  test('field operators: $set $unset $inc $mul $min $max $rename $currentDate', async () => {
    assert.deepEqual(await apply({ a: 1 }, { $set: { 'b.c': 2, a: 3 } }), { _id: 1, a: 3, b: { c: 2 } });
    assert.deepEqual(await apply({ a: 1, b: { c: 1, d: 2 } }, { $unset: { a: '', 'b.c': 1 } }), { _id: 1, b: { d: 2 } });
    assert.deepEqual(await apply({ a: 1 }, { $inc: { a: 2, z: 1 } }), { _id: 1, a: 3, z: 1 });
    assert.deepEqual(await apply({ a: 4 }, { $mul: { a: 2.5, z: 2 } }), { _id: 1, a: 10, z: 0 });
    assert.deepEqual(await apply({ lo: 5, hi: 5 }, { $min: { lo: 3 }, $max: { hi: 9 } }), { _id: 1, lo: 3, hi: 9 });
    assert.deepEqual(await apply({ a: 1, n: { x: 2 } }, { $rename: { a: 'b', 'n.x': 'y' } }), { _id: 1, n: {}, b: 1, y: 2 });
    const d = await apply({}, { $currentDate: { at: true, ts: { $type: 'timestamp' } } });
    assert.ok(d?.at instanceof Date && Math.abs(d.at.getTime() - Date.now()) < 5000);
    assert.ok(d?.ts instanceof Timestamp);
  });

  test('array operators: $push ($each $slice $sort $position), $addToSet, $pop, $pull, $pullAll', async () => {
    assert.deepEqual((await apply({ a: [1] }, { $push: { a: 2 } }))?.a, [1, 2]);
    assert.deepEqual((await apply({ a: [5, 1] }, { $push: { a: { $each: [3, 9], $sort: 1, $slice: 3 } } }))?.a, [1, 3, 5]);
    assert.deepEqual((await apply({ a: [1, 2] }, { $push: { a: { $each: [0], $position: 0 } } }))?.a, [0, 1, 2]);
    assert.deepEqual((await apply({ a: [{ s: 2 }, { s: 1 }] }, { $push: { a: { $each: [], $sort: { s: 1 } } } }))?.a, [{ s: 1 }, { s: 2 }]);
    assert.deepEqual((await apply({ a: [1, 2] }, { $addToSet: { a: { $each: [2, 3, 3] } } }))?.a, [1, 2, 3]);
    assert.deepEqual((await apply({ a: [1, 2, 3] }, { $pop: { a: -1 } }))?.a, [2, 3]);
    assert.deepEqual((await apply({ a: [1, 5, 9, 5] }, { $pull: { a: { $gte: 5 } } }))?.a, [1]);
    assert.deepEqual((await apply({ a: [{ k: 1, v: 'x' }, { k: 2 }] }, { $pull: { a: { k: 1 } } }))?.a, [{ k: 2 }]);
    assert.deepEqual((await apply({ a: [1, 2, 3, 1] }, { $pullAll: { a: [1, 3] } }))?.a, [2]);
    assert.deepEqual((await apply({}, { $push: { fresh: 'x' } }))?.fresh, ['x']);
  });

  test('positional updates: $, $[], $[identifier] with arrayFilters, nested', async () => {
    assert.deepEqual((await apply({ a: [1, 2, 3] }, { $set: { 'a.$': 20 } }, { _id: 1, a: 2 }))?.a, [1, 20, 3]);
    assert.deepEqual((await apply({ a: [{ k: 'x', v: 1 }, { k: 'y', v: 1 }] }, { $inc: { 'a.$.v': 5 } }, { 'a.k': 'y' }))?.a, [{ k: 'x', v: 1 }, { k: 'y', v: 6 }]);
    assert.deepEqual((await apply({ a: [1, 2] }, { $inc: { 'a.$[]': 10 } }))?.a, [11, 12]);
    assert.deepEqual((await apply({ a: [1, 5, 8] }, { $set: { 'a.$[x]': 0 } }, { _id: 1 }, [{ x: { $gt: 4 } }]))?.a, [1, 0, 0]);
    assert.deepEqual(
      (await apply({ g: [{ s: [1, 9] }, { s: [9] }] }, { $set: { 'g.$[].s.$[big]': 0 } }, { _id: 1 }, [{ big: 9 }]))?.g,
      [{ s: [1, 0] }, { s: [0] }],
    );
  });

  test('pipeline updates see the document and may use any of the allowed stages', async () => {
    assert.deepEqual(await apply({ a: 2, b: 3 }, [{ $set: { sum: { $add: ['$a', '$b'] } } }, { $unset: 'a' }]), { _id: 1, b: 3, sum: 5 });
    assert.deepEqual(await apply({ a: 1 }, [{ $replaceWith: { _id: '$_id', z: true } }]), { _id: 1, z: true });
  });

  test('errors: immutable _id (66), conflicting paths (40), non-numeric $inc (14), unknown modifier (9), not an array (2), path not viable (28)', async () => {
    await refused({ a: 1 }, { $set: { _id: 2 } }, 66);
    await refused({ a: 1 }, { $set: { a: 2 }, $inc: { a: 1 } }, 40);
    await refused({ a: { b: 1 } }, { $set: { 'a.b': 2, a: 1 } }, 40);
    await refused({ a: 'x' }, { $inc: { a: 1 } }, 14);
    await refused({ a: 1 }, { $inc: { a: 'x' } }, 14);
    await refused({ a: 1 }, { $foo: { a: 1 } }, 9);
    await refused({ a: 1 }, { $push: { a: 2 } }, 2);
    await refused({ a: 5 }, { $set: { 'a.b': 1 } }, 28);
    await refused({ a: [1] }, { $set: { 'a.$[q]': 1 } }, 2);
  });

  test('$setOnInsert applies on insert only; upsert seeds equality fields from the filter', async () => {
    const c = h.db.collection('soi');
    await c.updateOne({ key: 'k', 'sub.x': 1, n: { $gt: 0 } }, { $set: { v: 1 }, $setOnInsert: { created: true } }, { upsert: true });
    const doc = await c.findOne({ key: 'k' });
    assert.deepEqual(doc && { key: doc.key, sub: doc.sub, v: doc.v, created: doc.created, n: doc.n }, { key: 'k', sub: { x: 1 }, v: 1, created: true, n: undefined });
    await c.updateOne({ key: 'k' }, { $set: { v: 2 }, $setOnInsert: { created: false } }, { upsert: true });
    assert.equal((await c.findOne({ key: 'k' }))?.created, true);
  });

  test('modifiedCount is 0 when the update changes nothing', async () => {
    const c = h.db.collection('nochange');
    await c.insertOne({ _id: 1, a: 1, arr: [1] } as Document);
    assert.equal((await c.updateOne({ _id: 1 } as Document, { $set: { a: 1 } })).modifiedCount, 0);
    assert.equal((await c.updateOne({ _id: 1 } as Document, { $addToSet: { arr: 1 } } as UpdateFilter<Document>)).modifiedCount, 0);
    assert.equal((await c.updateOne({ _id: 1 } as Document, { $set: { a: 2 } })).modifiedCount, 1);
  });
});

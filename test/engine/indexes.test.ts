/**
 * Index enforcement (unique, compound, sparse, partial, multikey), TTL expiry, index
 * management errors, and the planner choosing index candidates instead of scanning.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MongoBulkWriteError, type Document } from 'mongodb';
import { Collection } from '../../plugins/embedded-mongo/engine/collection.ts';
import { planCandidates } from '../../plugins/embedded-mongo/engine/planner.ts';
import { Index } from '../../plugins/embedded-mongo/engine/secondary-index.ts';
import { keyOf } from '../../plugins/embedded-mongo/bson/compare.ts';
import { serverError, startHarness, type Harness } from './helpers.ts';

describe('index enforcement through the driver', () => {
  let h: Harness;
  let n = 0;
  const fresh = () => h.db.collection(`ix${++n}`);
  before(async () => (h = await startHarness({ ttlIntervalMs: 100 })));
  after(async () => h.close());

  test('unique: duplicate insert fails with 11000, keyPattern/keyValue and the mongod message shape', async () => {
    const c = fresh();
    await c.createIndex({ name: 1 }, { unique: true });
    await c.insertOne({ name: 'x' });
    const err = await serverError(() => c.insertOne({ name: 'x' }));
    assert.equal(err.code, 11000);
    assert.deepEqual(err.keyPattern, { name: 1 });
    assert.deepEqual(err.keyValue, { name: 'x' });
    assert.equal(err.message, `E11000 duplicate key error collection: test.${c.collectionName} index: name_1 dup key: { name: "x" }`);
  });

  test('duplicate _id fails on the _id_ index', async () => {
    const c = fresh();
    await c.insertOne({ _id: 7 } as Document);
    const err = await serverError(() => c.insertOne({ _id: 7 } as Document));
    assert.equal(err.code, 11000);
    assert.match(err.message, /index: _id_ dup key: \{ _id: 7 \}/);
  });

  test('numerically equal keys of different types are duplicates (5 and 5.0 and "5" differ by type)', async () => {
    const c = fresh();
    await c.createIndex({ k: 1 }, { unique: true });
    await c.insertOne({ k: 5 });
    assert.equal((await serverError(() => c.insertOne({ k: 5.0 }))).code, 11000);
    await c.insertOne({ k: '5' });
  });

  test('ordered insertMany stops at the first duplicate; unordered continues and reports each', async () => {
    const c = fresh();
    await c.createIndex({ u: 1 }, { unique: true });
    const ordered = await c.insertMany([{ u: 1 }, { u: 1 }, { u: 2 }]).catch((e: unknown) => e);
    assert.ok(ordered instanceof MongoBulkWriteError);
    assert.equal(ordered.result.insertedCount, 1);
    assert.deepEqual([ordered.writeErrors].flat().map((e) => e.index), [1]);
    assert.equal(await c.countDocuments(), 1);
    const unordered = await c.insertMany([{ u: 1 }, { u: 3 }, { u: 2 }, { u: 3 }], { ordered: false }).catch((e: unknown) => e);
    assert.ok(unordered instanceof MongoBulkWriteError);
    assert.equal(unordered.result.insertedCount, 2);
    assert.deepEqual([unordered.writeErrors].flat().map((e) => e.index), [0, 3]);
  });

  test('compound unique: only the full combination must be unique', async () => {
    const c = fresh();
    await c.createIndex({ a: 1, b: -1 }, { unique: true });
    await c.insertMany([{ a: 1, b: 1 }, { a: 1, b: 2 }, { a: 2, b: 1 }]);
    const err = await serverError(() => c.insertOne({ a: 1, b: 2 }));
    assert.deepEqual(err.keyPattern, { a: 1, b: -1 });
    assert.deepEqual(err.keyValue, { a: 1, b: 2 });
  });

  test('unique without sparse treats missing fields as null duplicates; sparse skips them', async () => {
    const plain = fresh();
    await plain.createIndex({ e: 1 }, { unique: true });
    await plain.insertOne({ x: 1 });
    const err = await serverError(() => plain.insertOne({ x: 2 }));
    assert.deepEqual(err.keyValue, { e: null });
    const sparse = fresh();
    await sparse.createIndex({ e: 1 }, { unique: true, sparse: true });
    await sparse.insertMany([{ x: 1 }, { x: 2 }, { e: 'a' }]);
    assert.equal((await serverError(() => sparse.insertOne({ e: 'a' }))).code, 11000);
  });

  test('partial unique index applies only to documents matching its filter', async () => {
    const c = fresh();
    await c.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await c.insertMany([{ email: 'a', active: false }, { email: 'a', active: false }, { email: 'a', active: true }]);
    assert.equal((await serverError(() => c.insertOne({ email: 'a', active: true }))).code, 11000);
    // Updating a document into the filter's scope is checked too.
    const err = await serverError(() => c.updateOne({ active: false }, { $set: { active: true } }));
    assert.equal(err.code, 11000);
  });

  test('multikey unique: array elements are keys; one document may repeat a value', async () => {
    const c = fresh();
    await c.createIndex({ tags: 1 }, { unique: true });
    await c.insertOne({ tags: ['a', 'b', 'a'] });
    assert.equal((await serverError(() => c.insertOne({ tags: ['c', 'b'] }))).code, 11000);
  });

  test('updates that would duplicate a unique key fail and leave the document unchanged', async () => {
    const c = fresh();
    await c.createIndex({ k: 1 }, { unique: true });
    await c.insertMany([{ _id: 1, k: 'a' }, { _id: 2, k: 'b' }] as Document[]);
    const err = await serverError(() => c.updateOne({ _id: 2 } as Document, { $set: { k: 'a' } }));
    assert.equal(err.code, 11000);
    assert.deepEqual(await c.findOne({ _id: 2 } as Document), { _id: 2, k: 'b' });
  });

  test('building a unique index over existing duplicates fails with 11000 and creates nothing', async () => {
    const c = fresh();
    await c.insertMany([{ d: 1 }, { d: 1 }]);
    assert.equal((await serverError(() => c.createIndex({ d: 1 }, { unique: true }))).code, 11000);
    assert.deepEqual((await c.indexes()).map((i) => i.name), ['_id_']);
  });

  test('index conflicts: same name other key (86), same key other name (85), same spec is a no-op', async () => {
    const c = fresh();
    await c.createIndex({ a: 1 }, { name: 'my' });
    assert.equal(await c.createIndex({ a: 1 }, { name: 'my' }), 'my');
    assert.equal((await serverError(() => c.createIndex({ b: 1 }, { name: 'my' }))).code, 86);
    assert.equal((await serverError(() => c.createIndex({ a: 1 }, { name: 'other' }))).code, 85);
  });

  test('dropIndexes: unknown name (27), _id_ (72), missing collection (26), by key and "*"', async () => {
    const c = fresh();
    await c.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }, { key: { c: 1 } }]);
    assert.equal((await serverError(() => c.dropIndex('nope'))).code, 27);
    assert.equal((await serverError(() => c.dropIndex('_id_'))).code, 72);
    await c.dropIndex({ a: 1 } as never);
    assert.deepEqual((await c.indexes()).map((i) => i.name), ['_id_', 'b_1', 'c_1']);
    await c.dropIndexes();
    assert.deepEqual((await c.indexes()).map((i) => i.name), ['_id_']);
    assert.equal((await serverError(() => h.db.collection('no_such').dropIndex('x'))).code, 26);
    assert.equal((await serverError(() => h.db.collection('no_such').indexes())).code, 26);
  });

  test('unsupported index types fail loudly (67)', async () => {
    assert.equal((await serverError(() => fresh().createIndex({ body: 'text' }))).code, 67);
  });

  test('TTL: documents whose date is older than expireAfterSeconds are removed in the background', async () => {
    const c = fresh();
    await c.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
    const old = new Date(Date.now() - 10_000);
    await c.insertMany([{ _id: 'old', at: old }, { _id: 'new', at: new Date(Date.now() + 60_000) }, { _id: 'none' }, { _id: 'arr', at: [new Date(), old] }] as Document[]);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && (await c.countDocuments()) > 2) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual((await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id), ['new', 'none']);
    const spec = (await c.indexes()).find((i) => i.name === 'at_1');
    assert.equal(spec?.expireAfterSeconds, 1);
  });

  test('equality, $in and range queries on indexed fields return the same results as scans', async () => {
    const c = fresh();
    await c.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: i, g: i % 7, v: i % 50, tags: [i % 3, i % 5] })) as Document[]);
    const queries: Document[] = [
      { g: 3 }, { g: { $in: [1, 4] } }, { v: { $gte: 10, $lt: 20 } }, { v: { $gt: 45 } }, { tags: 2 },
      { tags: { $gt: 1, $lt: 3 } }, { g: 3, v: { $lte: 5 } }, { g: null }, { _id: { $in: [5, 7, 500] } },
    ];
    const before = await Promise.all(queries.map((q) => c.find(q).sort({ _id: 1 }).toArray()));
    await c.createIndexes([{ key: { g: 1 } }, { key: { v: -1 } }, { key: { tags: 1 } }, { key: { g: 1, v: 1 } }]);
    const afterIx = await Promise.all(queries.map((q) => c.find(q).sort({ _id: 1 }).toArray()));
    assert.deepEqual(afterIx, before);
  });
});

describe('_id range queries', () => {
  test('ranges on _id stay correct while documents are inserted and removed after the first range query', async () => {
    const h = await startHarness();
    try {
      const c = h.db.collection('idr');
      await c.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: i * 2 })) as Document[]);
      const ids = async (f: Document) => (await c.find(f).toArray()).map((d) => d._id);
      assert.deepEqual(await ids({ _id: { $gte: 10, $lt: 16 } }), [10, 12, 14]);
      await c.insertMany([{ _id: 11 }, { _id: 'str' }, { _id: 13.5 }] as Document[]);
      await c.deleteOne({ _id: 12 } as Document);
      assert.deepEqual(await ids({ _id: { $gte: 10, $lt: 16 } }), [10, 11, 13.5, 14]);
      assert.deepEqual(await ids({ _id: { $gt: 95 } }), [96, 98]);
      assert.deepEqual(await ids({ _id: { $lte: 2 } }), [0, 2]);
      assert.deepEqual(await ids({ _id: { $gt: 'a' } }), ['str']);
    } finally {
      await h.close();
    }
  });
});

describe('planner (unit): indexed conditions select candidates instead of scanning', () => {
  function collectionWith(docs: Document[], specs: Document[]): Collection {
    const coll = new Collection('db', 'c', 1, {});
    for (const d of docs) coll.docs.set(keyOf(d._id), d);
    for (const spec of specs) {
      const ix = new Index(spec);
      for (const [id, d] of coll.docs) ix.add(id, ix.keysFor(d));
      coll.indexes.push(ix);
    }
    return coll;
  }
  const docs = Array.from({ length: 100 }, (_, i) => ({ _id: i, a: i % 10, b: i }));

  test('equality on _id, on an indexed field, $in and a range', () => {
    const coll = collectionWith(docs, [{ key: { a: 1 }, name: 'a_1' }, { key: { b: 1 }, name: 'b_1' }]);
    assert.equal(planCandidates(coll, { _id: 5 })?.length, 1);
    assert.equal(planCandidates(coll, { a: 3 })?.length, 10);
    assert.equal(planCandidates(coll, { a: { $in: [1, 2] } })?.length, 20);
    assert.deepEqual(planCandidates(coll, { b: { $gte: 10, $lt: 13 } })?.map((d) => d._id), [10, 11, 12]);
    assert.equal(planCandidates(coll, { $and: [{ a: 1 }, { x: 2 }] })?.length, 10);
    assert.deepEqual(planCandidates(coll, { _id: { $gt: 96 } })?.map((d) => d._id), [97, 98, 99]);
  });

  test('no usable index means a scan (null); partial indexes and $or are not used', () => {
    const coll = collectionWith(docs, [{ key: { a: 1 }, name: 'a_1', partialFilterExpression: { b: { $gt: 5 } } }]);
    assert.equal(planCandidates(coll, { a: 3 }), null);
    assert.equal(planCandidates(coll, { $or: [{ _id: 1 }, { _id: 2 }] }), null);
    assert.equal(planCandidates(coll, { c: 1 }), null);
  });
});

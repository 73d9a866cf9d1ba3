/**
 * Sorted reads with a limit answered in index order (engine/ordered-read.ts) must return
 * exactly what matching everything and sorting would: checked against the same documents in
 * a collection without indexes, over random filters, sorts, skips and limits, mixed types,
 * missing fields and keyset ("after") conditions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ObjectId, type Document } from 'mongodb';
import { Collection } from '../../plugins/embedded-mongo/engine/collection.ts';
import { readInIndexOrder } from '../../plugins/embedded-mongo/engine/ordered-read.ts';
import { WriteTx } from '../../plugins/embedded-mongo/engine/write-tx.ts';
import { startHarness, type Harness } from './helpers.ts';

/** A small deterministic PRNG so a failure names a reproducible seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function value(r: () => number): unknown {
  const x = r();
  if (x < 0.08) return undefined; // missing
  if (x < 0.12) return null;
  if (x < 0.2) return `s${Math.floor(r() * 20)}`;
  if (x < 0.25) return new Date(Date.UTC(2024, 0, 1 + Math.floor(r() * 30)));
  return Math.floor(r() * 40) + (r() < 0.3 ? 0.5 : 0);
}

function docs(n: number, r: () => number): Document[] {
  return Array.from({ length: n }, (_, i) => {
    const d: Document = { _id: new ObjectId(), i };
    for (const f of ['a', 'b', 'c']) {
      const v = value(r);
      if (v !== undefined) d[f] = v;
    }
    return d;
  });
}

describe('sort + limit in index order', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    const r = rng(42);
    const all = docs(3000, r);
    await h.db.collection('plain').insertMany(all);
    await h.db.collection('indexed').insertMany(all);
    await h.db.collection('indexed').createIndex({ a: 1 });
    await h.db.collection('indexed').createIndex({ b: -1, c: 1 });
  });
  after(async () => h.close());

  test('random filters, sorts, skips and limits give the same documents as a full sort', async () => {
    const r = rng(7);
    const pickValue = () => {
      let v = value(r);
      while (v === undefined) v = value(r);
      return v;
    };
    const filters = (): Document => {
      const x = r();
      if (x < 0.15) return {};
      if (x < 0.35) return { a: { $gte: pickValue() } };
      if (x < 0.5) return { a: { $lt: pickValue() }, c: { $ne: null } };
      if (x < 0.6) return { b: pickValue() };
      if (x < 0.7) return { a: { $gt: pickValue(), $lte: pickValue() } };
      if (x < 0.8) {
        const at = pickValue();
        return { $or: [{ a: { $lt: at } }, { a: at, i: { $gt: Math.floor(r() * 3000) } }] };
      }
      if (x < 0.9) return { $and: [{ a: { $ne: 3 } }, { i: { $lt: 1500 } }] };
      return { a: { $in: [1, 2, 's3', null] } };
    };
    const sorts: Document[] = [{ a: 1, _id: 1 }, { a: -1, _id: 1 }, { b: 1, i: 1 }, { b: -1, c: 1, _id: -1 }, { _id: -1 }, { _id: 1 }, { a: -1, c: -1, i: 1 }];
    for (let run = 0; run < 300; run += 1) {
      const filter = filters();
      const sort = sorts[Math.floor(r() * sorts.length)]!;
      const limit = 1 + Math.floor(r() * 60);
      const skip = r() < 0.3 ? Math.floor(r() * 40) : 0;
      const read = (name: string) => h.db.collection(name).find(filter).sort(sort).skip(skip).limit(limit).toArray();
      const [expected, actual] = await Promise.all([read('plain'), read('indexed')]);
      assert.deepEqual(actual.map((d) => d.i), expected.map((d) => d.i), `run ${run}: ${JSON.stringify({ filter, sort, skip, limit })}`);
    }
  });

  test('a single sort key returns the same leading values (ties in any order)', async () => {
    for (const [filter, sort] of [[{ a: { $gte: 10 } }, { a: -1 }], [{}, { a: 1 }], [{ b: { $lt: 20 } }, { b: -1 }]] as const) {
      const read = (name: string) => h.db.collection(name).find(filter).sort(sort).limit(37).toArray();
      const [expected, actual] = await Promise.all([read('plain'), read('indexed')]);
      const key = Object.keys(sort)[0]!;
      assert.deepEqual(actual.map((d) => d[key] ?? null), expected.map((d) => d[key] ?? null));
    }
  });

  test('documents written after the index was used are found in order (index order maintained)', async () => {
    const c = h.db.collection('indexed');
    await c.insertOne({ i: 5000, a: 1e9 });
    await c.updateOne({ i: 1 }, { $set: { a: 2e9 } });
    const top = await c.find({ a: { $gte: 0 } }).sort({ a: -1 }).limit(2).toArray();
    assert.deepEqual(top.map((d) => d.i), [1, 5000]);
    await c.deleteOne({ i: 1 });
    assert.equal((await c.find({ a: { $gte: 0 } }).sort({ a: -1 }).limit(1).toArray())[0]?.i, 5000);
  });
});

describe('the ordered scan reads only what the page needs', () => {
  test('the first 50 of 10,000 matches read about 50 documents, not 10,000', () => {
    const coll = new Collection('t', 'c', 1, {});
    const tx = new WriteTx({ insertDoc() {}, insertIndex() {}, flush() {} } as never, { dbs: new Map() });
    tx.createIndex(coll, { v: 2, key: { score: 1 }, name: 'score_1' });
    for (let i = 0; i < 20_000; i += 1) tx.insert(coll, { _id: i, score: i % 100 });
    let examined = 0;
    const page = readInIndexOrder(coll, { score: { $gte: 50 } }, [['score', -1], ['_id', 1]], 50, (d) => {
      examined += 1;
      return (d.score as number) >= 50;
    });
    assert.equal(page?.length, 50);
    assert.deepEqual(page?.slice(0, 3).map((d) => d._id), [99, 199, 299]);
    // Score 99 has 200 documents: one whole group of equal leading values is read.
    assert.equal(examined, 200);
  });

  test('an equality on another, selective index is left to the candidate plan', () => {
    const coll = new Collection('t', 'c', 1, {});
    const tx = new WriteTx({ insertDoc() {}, insertIndex() {}, flush() {} } as never, { dbs: new Map() });
    tx.createIndex(coll, { v: 2, key: { score: 1 }, name: 'score_1' });
    tx.createIndex(coll, { v: 2, key: { owner: 1 }, name: 'owner_1' });
    for (let i = 0; i < 5000; i += 1) tx.insert(coll, { _id: i, score: i % 100, owner: i % 1000 });
    assert.equal(readInIndexOrder(coll, { owner: 7 }, [['score', 1]], 10, () => true), undefined);
  });
});

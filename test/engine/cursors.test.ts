/** Cursors: many getMore batches, killCursors, CursorNotFound, idle timeout, limits and skips. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Long, type Document } from 'mongodb';
import { serverError, startHarness, type Harness } from './helpers.ts';

describe('cursors', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ cursorTimeoutMs: 300 });
    await h.db.collection('many').insertMany(Array.from({ length: 2500 }, (_, i) => ({ _id: i, v: i % 10 })) as Document[]);
  });
  after(async () => h.close());

  test('a find read in batches of 7 returns every document once, in order, over hundreds of getMores', async () => {
    const docs = await h.db.collection('many').find({}, { sort: { _id: 1 }, batchSize: 7 }).toArray();
    assert.equal(docs.length, 2500);
    assert.ok(docs.every((d, i) => (d._id as unknown) === i));
  });

  test('find and getMore commands return Long cursor ids and the namespace', async () => {
    const first = await h.db.command({ find: 'many', filter: { v: 3 }, sort: { _id: 1 }, batchSize: 10 }, { promoteLongs: false });
    assert.ok(first.cursor.id instanceof Long);
    assert.notEqual(first.cursor.id.toString(), '0');
    assert.equal(first.cursor.ns, 'test.many');
    assert.equal(first.cursor.firstBatch.length, 10);
    let id = first.cursor.id as Long;
    let seen = first.cursor.firstBatch.length;
    while (id.toString() !== '0') {
      const more = await h.db.command({ getMore: id, collection: 'many', batchSize: 40 }, { promoteLongs: false });
      seen += more.cursor.nextBatch.length;
      id = more.cursor.id;
    }
    assert.equal(seen, 250);
  });

  test('the default first batch holds 101 documents', async () => {
    const res = await h.db.command({ find: 'many', filter: {} });
    assert.equal(res.cursor.firstBatch.length, 101);
    await h.db.command({ killCursors: 'many', cursors: [res.cursor.id] });
  });

  test('killCursors reports killed and unknown ids; getMore on a killed cursor is CursorNotFound (43)', async () => {
    const res = await h.db.command({ find: 'many', batchSize: 5 }, { promoteLongs: false });
    const killed = await h.db.command({ killCursors: 'many', cursors: [res.cursor.id, Long.fromNumber(12345)] }, { promoteLongs: false });
    assert.deepEqual(killed.cursorsKilled.map(String), [res.cursor.id.toString()]);
    assert.deepEqual(killed.cursorsNotFound.map(String), ['12345']);
    const err = await serverError(() => h.db.command({ getMore: res.cursor.id, collection: 'many' }));
    assert.equal(err.code, 43);
    assert.equal(err.codeName, 'CursorNotFound');
  });

  test('an idle cursor is discarded after the timeout', async () => {
    const res = await h.db.command({ find: 'many', batchSize: 5 }, { promoteLongs: false });
    await new Promise((r) => setTimeout(r, 900));
    assert.equal((await serverError(() => h.db.command({ getMore: res.cursor.id, collection: 'many' }))).code, 43);
  });

  test('limit, negative limit (single batch), skip and singleBatch', async () => {
    const c = h.db.collection('many');
    assert.equal((await c.find({}).limit(250).batchSize(20).toArray()).length, 250);
    const neg = await h.db.command({ find: 'many', limit: -5 });
    assert.equal(neg.cursor.firstBatch.length, 5);
    assert.equal(Number(neg.cursor.id), 0);
    const skipped = await c.find({}).sort({ _id: -1 }).skip(2490).toArray();
    assert.deepEqual(skipped.map((d) => d._id), [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const single = await h.db.command({ find: 'many', batchSize: 3, singleBatch: true });
    assert.equal(single.cursor.firstBatch.length, 3);
    assert.equal(Number(single.cursor.id), 0);
  });

  test('an aggregate cursor is iterated with getMore too', async () => {
    const rows = await h.db.collection('many').aggregate([{ $match: { v: { $lt: 5 } } }, { $project: { v: 1 } }], { batchSize: 9 }).toArray();
    assert.equal(rows.length, 1250);
  });

  test('listCollections and listIndexes answer with cursors', async () => {
    const cols = await h.db.command({ listCollections: 1, cursor: {} });
    assert.ok(Array.isArray(cols.cursor.firstBatch));
    assert.equal(cols.cursor.ns, 'test.$cmd.listCollections');
    const ixs = await h.db.command({ listIndexes: 'many', cursor: {} });
    assert.deepEqual(ixs.cursor.firstBatch, [{ v: 2, key: { _id: 1 }, name: '_id_' }]);
  });

  test('writes after a cursor opened do not alter the batches it still has to return', async () => {
    const c = h.db.collection('snap');
    await c.insertMany(Array.from({ length: 30 }, (_, i) => ({ _id: i, v: 'old' })) as Document[]);
    const cursor = c.find({}).sort({ _id: 1 }).batchSize(10);
    const first = await cursor.next();
    assert.equal(first?.v, 'old');
    await c.updateMany({}, { $set: { v: 'new' } });
    const rest = await cursor.toArray();
    assert.equal(rest.length, 29);
  });
});

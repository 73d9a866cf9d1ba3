/**
 * Writes through the driver: inserts (ordered/unordered duplicate handling
 * and the raw writeErrors shape), updates and replaces with upsert,
 * arrayFilters and pipeline updates, deletes, findOneAnd* and bulkWrite,
 * as MongoDB 7.0 answers them.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MongoBulkWriteError, ObjectId, type Document } from 'mongodb';
import { openHarness, closeHarness, expectServerError, idsOf, type Harness } from './harness.ts';

const DB = 'conf_crud';

describe('engine conformance: CRUD writes', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness(DB);
  });
  after(async () => {
    await closeHarness(h);
  });

  describe('insert', () => {
    it('insertOne acknowledges, assigns an ObjectId _id and stores the document', async () => {
      const c = h.db.collection('ins_one');
      const res = await c.insertOne({ name: 'ada', n: 1 });
      assert.equal(res.acknowledged, true);
      assert.ok(res.insertedId instanceof ObjectId, 'res.insertedId instanceof ObjectId');
      assert.deepEqual(await c.findOne({ _id: res.insertedId }), { _id: res.insertedId, name: 'ada', n: 1 });
    });

    it('insertOne with a duplicate _id fails with 11000, keyPattern, keyValue and the E11000 message', async () => {
      const c = h.db.collection('ins_dup');
      await c.insertOne({ _id: 7, v: 'first' } as Document);
      const err = await expectServerError(c.insertOne({ _id: 7, v: 'second' } as Document), 11000);
      assert.deepEqual(err.keyPattern, { _id: 1 });
      assert.deepEqual(err.keyValue, { _id: 7 });
      assert.equal(err.message, `E11000 duplicate key error collection: ${DB}.ins_dup index: _id_ dup key: { _id: 7 }`);
      assert.deepEqual(await c.find().toArray(), [{ _id: 7, v: 'first' }]);
    });

    it('ordered insertMany stops at the duplicate: earlier docs land, later ones do not', async () => {
      const c = h.db.collection('ins_ordered');
      const docs: Document[] = [{ _id: 1 }, { _id: 2 }, { _id: 1 }, { _id: 3 }, { _id: 4 }];
      let caught: unknown;
      try {
        await c.insertMany(docs);
      } catch (error) {
        caught = error;
      }
      assert.ok(caught instanceof MongoBulkWriteError, `expected MongoBulkWriteError, got ${String(caught)}`);
      assert.equal(caught.code, 11000);
      assert.equal(caught.insertedCount, 2);
      const writeErrors = Array.isArray(caught.writeErrors) ? caught.writeErrors : [caught.writeErrors];
      assert.equal(writeErrors.length, 1);
      assert.equal(writeErrors[0].index, 2);
      assert.equal(writeErrors[0].code, 11000);
      assert.deepEqual(idsOf(await c.find().sort({ _id: 1 }).toArray()), [1, 2]);
    });

    it('unordered insertMany inserts every valid doc and reports the duplicate by index', async () => {
      const c = h.db.collection('ins_unordered');
      const docs: Document[] = [{ _id: 1 }, { _id: 2 }, { _id: 1 }, { _id: 3 }, { _id: 4 }];
      let caught: unknown;
      try {
        await c.insertMany(docs, { ordered: false });
      } catch (error) {
        caught = error;
      }
      assert.ok(caught instanceof MongoBulkWriteError, `expected MongoBulkWriteError, got ${String(caught)}`);
      assert.equal(caught.insertedCount, 4);
      const writeErrors = Array.isArray(caught.writeErrors) ? caught.writeErrors : [caught.writeErrors];
      assert.deepEqual(writeErrors.map((e) => [e.index, e.code]), [[2, 11000]]);
      assert.deepEqual(idsOf(await c.find().sort({ _id: 1 }).toArray()), [1, 2, 3, 4]);
    });

    it('the insert command reports writeErrors with index, code, errmsg, keyPattern and keyValue', async () => {
      const res = await h.db.command({
        insert: 'ins_raw',
        documents: [{ _id: 'a' }, { _id: 'a' }, { _id: 'b' }, { _id: 'b' }],
        ordered: false,
      });
      assert.equal(res.ok, 1);
      assert.equal(res.n, 2);
      assert.equal(res.writeErrors.length, 2);
      const [first, second] = res.writeErrors;
      assert.equal(first.index, 1);
      assert.equal(first.code, 11000);
      assert.deepEqual(first.keyPattern, { _id: 1 });
      assert.deepEqual(first.keyValue, { _id: 'a' });
      assert.equal(first.errmsg, `E11000 duplicate key error collection: ${DB}.ins_raw index: _id_ dup key: { _id: "a" }`);
      assert.equal(second.index, 3);
      assert.deepEqual(second.keyValue, { _id: 'b' });
    });

    it('an ordered insert command reports only the first error and stops there', async () => {
      const res = await h.db.command({ insert: 'ins_raw_ordered', documents: [{ _id: 1 }, { _id: 1 }, { _id: 1 }, { _id: 2 }] });
      assert.equal(res.ok, 1);
      assert.equal(res.n, 1);
      assert.equal(res.writeErrors.length, 1);
      assert.equal(res.writeErrors[0].index, 1);
      assert.deepEqual(idsOf(await h.db.collection('ins_raw_ordered').find().toArray()), [1]);
    });
  });

  describe('update and replace', () => {
    it('updateOne reports matched/modified counts; a no-match update changes nothing', async () => {
      const c = h.db.collection('upd_counts');
      await c.insertMany([{ _id: 1, v: 1 }, { _id: 2, v: 1 }] as Document[]);
      const res = await c.updateOne({ v: 1 }, { $set: { v: 2 } });
      assert.equal(res.matchedCount, 1);
      assert.equal(res.modifiedCount, 1);
      assert.equal(res.upsertedCount, 0);
      assert.equal(res.upsertedId, null);
      const none = await c.updateOne({ v: 99 }, { $set: { v: 3 } });
      assert.equal(none.matchedCount, 0);
      assert.equal(none.modifiedCount, 0);
      assert.equal(await c.countDocuments({ v: 2 }), 1);
    });

    it('updateMany counts only documents whose value actually changed as modified', async () => {
      const c = h.db.collection('upd_many');
      await c.insertMany([{ _id: 1, v: 1 }, { _id: 2, v: 2 }, { _id: 3, v: 2 }, { _id: 4, v: 9 }] as Document[]);
      const res = await c.updateMany({ v: { $lte: 2 } }, { $set: { v: 2 } });
      assert.equal(res.matchedCount, 3);
      assert.equal(res.modifiedCount, 1);
      assert.deepEqual(await c.find().sort({ _id: 1 }).toArray(), [{ _id: 1, v: 2 }, { _id: 2, v: 2 }, { _id: 3, v: 2 }, { _id: 4, v: 9 }]);
    });

    it('an upsert copies equality fields (incl. dotted paths) from the filter, not range conditions', async () => {
      const c = h.db.collection('upsert_eq');
      const res = await c.updateOne({ name: 'zed', age: { $gt: 10 }, 'meta.src': 'x' }, { $set: { v: 1 } }, { upsert: true });
      assert.equal(res.matchedCount, 0);
      assert.equal(res.modifiedCount, 0);
      assert.equal(res.upsertedCount, 1);
      assert.ok(res.upsertedId instanceof ObjectId, 'res.upsertedId instanceof ObjectId');
      assert.deepEqual(await c.findOne({ _id: res.upsertedId }), { _id: res.upsertedId, name: 'zed', meta: { src: 'x' }, v: 1 });
    });

    it('an upsert copies equalities under $and and uses _id from the filter', async () => {
      const c = h.db.collection('upsert_and');
      const res = await c.updateOne({ $and: [{ _id: 'k1' }, { a: 1 }, { b: 2 }] } as Document, { $inc: { n: 1 } }, { upsert: true });
      assert.equal(res.upsertedId, 'k1');
      assert.deepEqual(await c.findOne({ _id: 'k1' } as Document), { _id: 'k1', a: 1, b: 2, n: 1 });
      const again = await c.updateOne({ _id: 'k1' } as Document, { $inc: { n: 1 } }, { upsert: true });
      assert.equal(again.matchedCount, 1);
      assert.equal(again.modifiedCount, 1);
      assert.equal(again.upsertedCount, 0);
      assert.deepEqual(await c.findOne({ _id: 'k1' } as Document), { _id: 'k1', a: 1, b: 2, n: 2 });
    });

    it('replaceOne with upsert inserts the replacement only (filter fields are not copied)', async () => {
      const c = h.db.collection('replace_upsert');
      const res = await c.replaceOne({ name: 'rep' }, { v: 2 }, { upsert: true });
      assert.equal(res.upsertedCount, 1);
      assert.ok(res.upsertedId instanceof ObjectId, 'res.upsertedId instanceof ObjectId');
      assert.deepEqual(await c.find().toArray(), [{ _id: res.upsertedId, v: 2 }]);
    });

    it('replaceOne keeps _id and drops the fields not in the replacement', async () => {
      const c = h.db.collection('replace_keep');
      await c.insertOne({ _id: 1, a: 1, b: 2 } as Document);
      const res = await c.replaceOne({ _id: 1 } as Document, { x: 'new' });
      assert.equal(res.matchedCount, 1);
      assert.equal(res.modifiedCount, 1);
      assert.deepEqual(await c.findOne({ _id: 1 } as Document), { _id: 1, x: 'new' });
    });

    it('arrayFilters update only the elements that match the identifier condition', async () => {
      const c = h.db.collection('array_filters');
      await c.insertMany([{ _id: 1, grades: [95, 92, 90] }, { _id: 2, grades: [98, 100, 102] }] as Document[]);
      const res = await c.updateMany({}, { $set: { 'grades.$[el]': 100 } }, { arrayFilters: [{ el: { $gte: 100 } }] });
      assert.equal(res.matchedCount, 2);
      assert.equal(res.modifiedCount, 1);
      assert.deepEqual(await c.find().sort({ _id: 1 }).toArray(), [{ _id: 1, grades: [95, 92, 90] }, { _id: 2, grades: [98, 100, 100] }]);
    });

    it('a pipeline-style update computes fields from the document and can $unset', async () => {
      const c = h.db.collection('pipeline_update');
      await c.insertOne({ _id: 1, a: 2, b: 3, tmp: 'x' } as Document);
      const res = await c.updateOne({ _id: 1 } as Document, [{ $set: { total: { $add: ['$a', '$b'] }, tag: { $concat: ['n', 'ew'] } } }, { $unset: 'tmp' }]);
      assert.equal(res.modifiedCount, 1);
      assert.deepEqual(await c.findOne({ _id: 1 } as Document), { _id: 1, a: 2, b: 3, total: 5, tag: 'new' });
    });
  });

  describe('delete', () => {
    it('deleteOne removes exactly one matching document; deleteMany removes all matching', async () => {
      const c = h.db.collection('deletes');
      await c.insertMany([{ k: 'x' }, { k: 'x' }, { k: 'x' }, { k: 'y' }]);
      assert.equal((await c.deleteOne({ k: 'x' })).deletedCount, 1);
      assert.equal(await c.countDocuments({ k: 'x' }), 2);
      assert.equal((await c.deleteMany({ k: 'x' })).deletedCount, 2);
      assert.equal((await c.deleteMany({ k: 'nothing' })).deletedCount, 0);
      assert.deepEqual((await c.find({}, { projection: { _id: 0 } }).toArray()), [{ k: 'y' }]);
    });
  });

  describe('findOneAnd*', () => {
    it('findOneAndUpdate picks by sort and returns the document before the update by default', async () => {
      const c = h.db.collection('fau');
      await c.insertMany([{ _id: 1, s: 5 }, { _id: 2, s: 1 }, { _id: 3, s: 3 }] as Document[]);
      const before = await c.findOneAndUpdate({}, { $inc: { s: 10 } }, { sort: { s: 1 } });
      assert.deepEqual(before, { _id: 2, s: 1 });
      assert.deepEqual(await c.findOne({ _id: 2 } as Document), { _id: 2, s: 11 });
    });

    it('findOneAndUpdate with returnDocument after and a projection', async () => {
      const c = h.db.collection('fau');
      const after = await c.findOneAndUpdate({ _id: 3 } as Document, { $set: { t: 'x' } }, { returnDocument: 'after', projection: { _id: 0, t: 1 } });
      assert.deepEqual(after, { t: 'x' });
    });

    it('findOneAndUpdate with upsert: after returns the new doc, before returns null', async () => {
      const c = h.db.collection('fau_upsert');
      const created = await c.findOneAndUpdate({ _id: 'u1' } as Document, { $set: { v: 1 } }, { upsert: true, returnDocument: 'after' });
      assert.deepEqual(created, { _id: 'u1', v: 1 });
      const none = await c.findOneAndUpdate({ _id: 'u2' } as Document, { $set: { v: 2 } }, { upsert: true, returnDocument: 'before' });
      assert.equal(none, null);
      assert.deepEqual(await c.find().sort({ _id: 1 }).toArray(), [{ _id: 'u1', v: 1 }, { _id: 'u2', v: 2 }]);
    });

    it('findOneAndUpdate with no match and no upsert returns null', async () => {
      assert.equal(await h.db.collection('fau').findOneAndUpdate({ _id: 999 } as Document, { $set: { v: 1 } }), null);
    });

    it('findOneAndReplace returns the original and stores the replacement with the same _id', async () => {
      const c = h.db.collection('far');
      await c.insertMany([{ _id: 1, v: 'a' }, { _id: 2, v: 'b' }] as Document[]);
      const original = await c.findOneAndReplace({ v: 'b' }, { v: 'B', extra: true });
      assert.deepEqual(original, { _id: 2, v: 'b' });
      assert.deepEqual(await c.findOne({ _id: 2 } as Document), { _id: 2, v: 'B', extra: true });
      const after = await c.findOneAndReplace({ _id: 1 } as Document, { v: 'A' }, { returnDocument: 'after' });
      assert.deepEqual(after, { _id: 1, v: 'A' });
    });

    it('findOneAndReplace with upsert inserts the replacement (with the filter _id) and returns it when asked', async () => {
      const c = h.db.collection('far_upsert');
      const created = await c.findOneAndReplace({ _id: 'r1' } as Document, { v: 1 }, { upsert: true, returnDocument: 'after' });
      assert.deepEqual(created, { _id: 'r1', v: 1 });
      assert.deepEqual(await c.find().toArray(), [{ _id: 'r1', v: 1 }]);
    });

    it('findOneAndDelete applies a projection to the returned document', async () => {
      const c = h.db.collection('fad_proj');
      await c.insertMany([{ _id: 1, a: 1, b: 2 }] as Document[]);
      assert.deepEqual(await c.findOneAndDelete({ _id: 1 } as Document, { projection: { b: 1, _id: 0 } }), { b: 2 });
      assert.equal(await c.countDocuments(), 0);
    });

    it('findOneAndDelete removes the first document in sort order and returns it', async () => {
      const c = h.db.collection('fad');
      await c.insertMany([{ _id: 1, age: 20 }, { _id: 2, age: 40 }, { _id: 3, age: 30 }] as Document[]);
      const removed = await c.findOneAndDelete({}, { sort: { age: -1 } });
      assert.deepEqual(removed, { _id: 2, age: 40 });
      assert.deepEqual(idsOf(await c.find().sort({ _id: 1 }).toArray()), [1, 3]);
      assert.equal(await c.findOneAndDelete({ age: 99 }), null);
    });
  });

  describe('bulkWrite', () => {
    it('a mixed ordered bulkWrite reports every count and the upserted id by operation index', async () => {
      const c = h.db.collection<{ _id: number; v?: number }>('bulk');
      await c.insertMany([{ _id: 1, v: 1 }, { _id: 2, v: 2 }, { _id: 3, v: 3 }]);
      const res = await c.bulkWrite([
        { insertOne: { document: { _id: 4, v: 4 } } },
        { updateOne: { filter: { _id: 1 }, update: { $set: { v: 10 } } } },
        { updateMany: { filter: { v: { $gte: 3 } }, update: { $inc: { v: 100 } } } },
        { deleteOne: { filter: { _id: 2 } } },
        { replaceOne: { filter: { _id: 9 }, replacement: { v: 9 }, upsert: true } },
        { deleteMany: { filter: { v: { $gt: 1000 } } } },
      ]);
      assert.equal(res.insertedCount, 1);
      assert.equal(res.matchedCount, 4);
      assert.equal(res.modifiedCount, 4);
      assert.equal(res.deletedCount, 1);
      assert.equal(res.upsertedCount, 1);
      assert.deepEqual(res.upsertedIds, { 4: 9 });
      assert.deepEqual(await c.find().sort({ _id: 1 }).toArray(), [
        { _id: 1, v: 110 },
        { _id: 3, v: 103 },
        { _id: 4, v: 104 },
        { _id: 9, v: 9 },
      ]);
    });

    it('an ordered bulkWrite stops at the first failing operation', async () => {
      const c = h.db.collection<{ _id: number; after?: boolean }>('bulk_stop');
      let caught: unknown;
      try {
        await c.bulkWrite([
          { insertOne: { document: { _id: 1 } } },
          { insertOne: { document: { _id: 1 } } },
          { updateOne: { filter: { _id: 1 }, update: { $set: { after: true } } } },
        ]);
      } catch (error) {
        caught = error;
      }
      assert.ok(caught instanceof MongoBulkWriteError, `expected MongoBulkWriteError, got ${String(caught)}`);
      assert.equal(caught.code, 11000);
      assert.deepEqual(await c.find().toArray(), [{ _id: 1 }]);
    });
  });
});

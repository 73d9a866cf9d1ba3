/**
 * Probes of driver CRUD helpers end to end, each against MongoDB 7.0's
 * documented behaviour (manual pages of the driver methods and of the
 * insert/update/findAndModify commands).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { MongoBulkWriteError, MongoServerError, type Document } from 'mongodb';
/** A document whose _id may be of any BSON type. */
type Loose = { _id?: number | string | Document; [key: string]: unknown };
import { openHarness, closeHarness, expectServerError, type Harness } from './harness.ts';

describe('probe: CRUD helpers', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness('probe_crud');
  });
  after(async () => {
    await closeHarness(h);
  });

  // db.collection.bulkWrite(): unordered continues after an error; writeErrors carry the op index.
  it('unordered bulkWrite runs every op and reports each failure by operation index', async () => {
    const c = h.db.collection<Loose>('bw_unordered');
    await c.insertOne({ _id: 1 });
    let caught: unknown;
    try {
      await c.bulkWrite(
        [
          { insertOne: { document: { _id: 1 } } },
          { insertOne: { document: { _id: 2 } } },
          { updateOne: { filter: { _id: 2 }, update: { $set: { a: 1 } } } },
          { insertOne: { document: { _id: 2 } } },
          { deleteOne: { filter: { _id: 1 } } },
        ],
        { ordered: false },
      );
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof MongoBulkWriteError);
    const errors = Array.isArray(caught.writeErrors) ? caught.writeErrors : [caught.writeErrors];
    assert.deepEqual(errors.map((e) => [e.index, e.code]), [[0, 11000], [3, 11000]]);
    assert.equal(caught.result.insertedCount, 1);
    assert.equal(caught.result.matchedCount, 1);
    assert.equal(caught.result.modifiedCount, 1);
    assert.equal(caught.result.deletedCount, 1);
    assert.deepEqual(await c.find().toArray(), [{ _id: 2, a: 1 }]);
  });

  // bulkWrite result: upsertedIds keyed by the operation's index in the whole batch.
  it('bulkWrite upserts from updateOne, updateMany and replaceOne report ids by index', async () => {
    const c = h.db.collection<Loose>('bw_upserts');
    const res = await c.bulkWrite([
      { insertOne: { document: { _id: 'x' } } },
      { updateOne: { filter: { _id: 'u1' }, update: { $set: { k: 1 } }, upsert: true } },
      { updateMany: { filter: { _id: 'u2' }, update: { $set: { k: 2 } }, upsert: true } },
      { replaceOne: { filter: { _id: 'u3' }, replacement: { k: 3 }, upsert: true } },
      { deleteMany: { filter: { _id: 'none' } } },
    ]);
    assert.equal(res.insertedCount, 1);
    assert.equal(res.upsertedCount, 3);
    assert.equal(res.matchedCount, 0);
    assert.deepEqual(res.upsertedIds, { 1: 'u1', 2: 'u2', 3: 'u3' });
    assert.equal(await c.countDocuments(), 4);
  });

  // insertMany ordered:false: every non-duplicate lands; insertedIds lists those inserted.
  it('insertMany ordered:false with duplicates inserts the rest', async () => {
    const c = h.db.collection<Loose>('im_unordered');
    let caught: unknown;
    try {
      await c.insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }, { _id: 2 }, { _id: 3 }], { ordered: false });
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof MongoBulkWriteError);
    assert.equal(caught.result.insertedCount, 3);
    assert.deepEqual((await c.find().toArray()).map((d) => d._id), [1, 2, 3]);
  });

  // replaceOne: changing _id fails with 66 ImmutableField.
  it('replaceOne with a different _id fails with 66', async () => {
    const c = h.db.collection<Loose>('ro_id');
    await c.insertOne({ _id: 1, a: 1 });
    await expectServerError(c.replaceOne({ _id: 1 }, { _id: 2, a: 2 }), 66);
    const same = await c.replaceOne({ _id: 1 }, { _id: 1, a: 3 });
    assert.equal(same.modifiedCount, 1);
    assert.deepEqual(await c.findOne({}), { _id: 1, a: 3 });
  });

  // replaceOne with a filter on another field: the document keeps its _id, fields order _id first.
  it('replaceOne replaces by another field and keeps _id first', async () => {
    const c = h.db.collection<Loose>('ro_shape');
    await c.insertOne({ _id: 5, name: 'a', x: 1 });
    await c.replaceOne({ name: 'a' }, { y: 2, name: 'b' });
    const doc = await c.findOne({});
    assert.deepEqual(Object.keys(doc ?? {}), ['_id', 'y', 'name']);
  });

  // updateMany with upsert inserts one document when nothing matches.
  it('updateMany upsert inserts one document built from the filter and the update', async () => {
    const c = h.db.collection<Loose>('um_upsert');
    const res = await c.updateMany({ group: 'g', n: { $gt: 1 } }, { $inc: { count: 1 } } as Document, { upsert: true });
    assert.equal(res.upsertedCount, 1);
    assert.equal(res.matchedCount, 0);
    const doc = await c.findOne({}, { projection: { _id: 0 } });
    assert.deepEqual(doc, { group: 'g', count: 1 });
  });

  // An upsert with a $setOnInsert and $set on _id from the filter keeps filter _id.
  it('upsert with an _id equality in the filter uses it; $setOnInsert fields are added', async () => {
    const c = h.db.collection<Loose>('upsert_id');
    const res = await c.updateOne({ _id: 'k' }, { $set: { a: 1 }, $setOnInsert: { created: true } }, { upsert: true });
    assert.equal(res.upsertedId, 'k');
    assert.deepEqual(await c.findOne({}), { _id: 'k', a: 1, created: true });
  });

  // findOneAndUpdate includeResultMetadata: lastErrorObject.updatedExisting / upserted.
  it('findOneAndUpdate with includeResultMetadata reports lastErrorObject', async () => {
    const c = h.db.collection<Loose>('fau_meta');
    await c.insertOne({ _id: 1, n: 1 });
    const hit = await c.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } } as Document, { includeResultMetadata: true });
    assert.equal(hit.ok, 1);
    assert.deepEqual(hit.lastErrorObject, { n: 1, updatedExisting: true });
    assert.deepEqual(hit.value, { _id: 1, n: 1 });
    const up = await c.findOneAndUpdate({ _id: 2 }, { $set: { n: 5 } }, { upsert: true, includeResultMetadata: true, returnDocument: 'after' });
    assert.deepEqual(up.lastErrorObject, { n: 1, updatedExisting: false, upserted: 2 });
    assert.deepEqual(up.value, { _id: 2, n: 5 });
    const miss = await c.findOneAndDelete({ _id: 9 }, { includeResultMetadata: true });
    assert.deepEqual(miss.lastErrorObject, { n: 0 });
    assert.equal(miss.value, null);
  });

  // findOneAndReplace: replacement with an _id differing from the document's fails with 66.
  it('findOneAndReplace changing _id fails with 66', async () => {
    const c = h.db.collection<Loose>('far_id');
    await c.insertOne({ _id: 1, a: 1 });
    await expectServerError(c.findOneAndReplace({ _id: 1 }, { _id: 3, a: 2 }), 66);
  });

  // findOneAndUpdate with a sort picking the highest and an exclusion projection.
  it('findOneAndUpdate sort descending and exclusion projection', async () => {
    const c = h.db.collection<Loose>('fau_sort');
    await c.insertMany([{ _id: 1, s: 3, t: 'a' }, { _id: 2, s: 9, t: 'b' }, { _id: 3, s: 5, t: 'c' }]);
    const doc = await c.findOneAndUpdate({}, { $set: { picked: true } }, { sort: { s: -1 }, projection: { t: 0 }, returnDocument: 'after' });
    assert.deepEqual(doc, { _id: 2, s: 9, picked: true });
  });

  // countDocuments on a missing collection is 0; with skip beyond results is 0.
  it('countDocuments on a missing collection and with a large skip is 0', async () => {
    assert.equal(await h.db.collection('nope_count').countDocuments(), 0);
    const c = h.db.collection<Loose>('cd_skip');
    await c.insertMany([{ a: 1 }, { a: 2 }]);
    assert.equal(await c.countDocuments({}, { skip: 5 }), 0);
    assert.equal(await c.countDocuments({ a: { $gte: 1 } }, { skip: 1, limit: 5 }), 1);
    assert.equal(await h.db.collection('nope_count').estimatedDocumentCount(), 0);
  });

  // distinct on a dotted path through an array of documents flattens.
  it('distinct through arrays of documents and arrays of arrays', async () => {
    const c = h.db.collection<Loose>('distinct_arr');
    await c.insertMany([
      { items: [{ sku: 'a' }, { sku: 'b' }] },
      { items: [{ sku: 'b' }, { sku: ['c', 'd'] }] },
      { items: { sku: 'e' } },
      { other: 1 },
    ]);
    const skus = (await c.distinct('items.sku')).sort();
    assert.deepEqual(skus, ['a', 'b', 'c', 'd', 'e']);
  });

  // distinct returns nested arrays' inner arrays as values (only one level is unwound).
  it('distinct unwinds one array level only', async () => {
    const c = h.db.collection<Loose>('distinct_nested');
    await c.insertMany([{ a: [[1, 2], 3] }, { a: 3 }]);
    const values = await c.distinct('a');
    assert.equal(values.length, 2);
    assert.ok(values.some((v) => Array.isArray(v) && v.length === 2));
  });

  // An empty update document through the update command replaces with {} (kept _id).
  it('an update command with an empty replacement document empties the document, keeping _id', async () => {
    const c = h.db.collection<Loose>('empty_repl');
    await c.insertOne({ _id: 1, a: 1 });
    const res = await h.db.command({ update: 'empty_repl', updates: [{ q: { _id: 1 }, u: {} }] });
    assert.equal(res.nModified, 1);
    assert.deepEqual(await c.findOne({}), { _id: 1 });
  });

  // Since 5.0 an operator with an empty operand document ({$set: {}}) is a no-op, not an error.
  it('an update with an empty $set is accepted and modifies nothing', async () => {
    const c = h.db.collection<Loose>('empty_set');
    await c.insertOne({ _id: 1, a: 1 });
    const res = await c.updateOne({ _id: 1 }, { $set: {} });
    assert.equal(res.matchedCount, 1);
    assert.equal(res.modifiedCount, 0);
  });

  // An update path that is empty fails with 56 EmptyFieldName.
  it('an update on an empty field name fails with 56', async () => {
    const c = h.db.collection<Loose>('empty_path');
    await c.insertOne({ _id: 1 });
    await expectServerError(c.updateOne({ _id: 1 }, { $set: { '': 1 } }), 56);
    await expectServerError(c.updateOne({ _id: 1 }, { $set: { 'a..b': 1 } }), 56);
  });

  // Write concern w:0 through the driver still writes.
  it('insertOne with writeConcern w:0 is applied', async () => {
    const c = h.db.collection<Loose>('w0');
    const res = await c.insertOne({ _id: 1 }, { writeConcern: { w: 0 } });
    assert.equal(res.acknowledged, false);
    for (let i = 0; i < 20 && (await c.countDocuments()) === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(await c.countDocuments(), 1);
  });

  // deleteMany({}) returns the count; deleteOne on no match returns 0.
  it('deleteMany({}) deletes everything and reports the count', async () => {
    const c = h.db.collection<Loose>('del_all');
    await c.insertMany([{ a: 1 }, { a: 2 }, { a: 3 }]);
    assert.equal((await c.deleteOne({ a: 9 })).deletedCount, 0);
    assert.equal((await c.deleteMany({})).deletedCount, 3);
  });

  // Server error for an updateOne whose operator value is not a document: 9 FailedToParse.
  it('an update operator whose argument is not a document fails with 9', async () => {
    const c = h.db.collection<Loose>('op_arg');
    await c.insertOne({ _id: 1 });
    const err = await expectServerError(c.updateOne({ _id: 1 }, { $set: 5 } as unknown as Document), 9);
    assert.ok(err instanceof MongoServerError);
  });
});

/** Every administrative and CRUD command, with MongoDB's reply shapes and error codes. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Document } from 'mongodb';
import { serverError, startHarness, type Harness } from './helpers.ts';

describe('commands', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(async () => h.close());

  test('create, listCollections (filter, nameOnly, cursor shape), drop, dropDatabase', async () => {
    const db = h.client.db('admin_cmds');
    await db.command({ create: 'a' });
    await db.command({ create: 'a' }); // identical options: a no-op in 7.0
    await db.collection('b').insertOne({ x: 1 });
    assert.equal((await serverError(() => db.command({ create: 'a', capped: true, size: 100 }))).code, 48);
    const list = await db.command({ listCollections: 1, filter: { name: 'a' } });
    assert.equal(list.cursor.firstBatch.length, 1);
    assert.equal(list.cursor.firstBatch[0].type, 'collection');
    assert.deepEqual(list.cursor.firstBatch[0].options, {});
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    assert.deepEqual(names, ['a', 'b']);
    const dropped = await db.command({ drop: 'a' });
    assert.equal(dropped.ok, 1);
    assert.equal((await db.command({ drop: 'never' })).ok, 1);
    assert.deepEqual((await db.listCollections().toArray()).map((c) => c.name), ['b']);
    await db.dropDatabase();
    assert.deepEqual(await db.listCollections().toArray(), []);
  });

  test('listDatabases lists databases that hold collections; nameOnly and filter', async () => {
    await h.client.db('ldb_one').collection('c').insertOne({ x: 1 });
    const res = await h.client.db('admin').command({ listDatabases: 1 });
    const entry = res.databases.find((d: Document) => d.name === 'ldb_one');
    assert.ok(entry && typeof entry.sizeOnDisk === 'number' && entry.empty === false);
    assert.equal(typeof res.totalSize, 'number');
    const names = await h.client.db('admin').command({ listDatabases: 1, nameOnly: true, filter: { name: /^ldb_/ } });
    assert.deepEqual(names.databases, [{ name: 'ldb_one' }]);
  });

  test('renameCollection: moves documents and indexes; 26 for a missing source, 48 for an existing target', async () => {
    const c = h.db.collection('ren_src');
    await c.insertMany([{ _id: 1 }, { _id: 2 }] as Document[]);
    await c.createIndex({ x: 1 });
    await c.rename('ren_dst');
    assert.equal(await h.db.collection('ren_dst').countDocuments(), 2);
    assert.deepEqual((await h.db.collection('ren_dst').indexes()).map((i) => i.name), ['_id_', 'x_1']);
    assert.equal((await serverError(() => h.db.collection('ren_src').rename('x'))).code, 26);
    await h.db.collection('ren_other').insertOne({});
    assert.equal((await serverError(() => h.db.collection('ren_dst').rename('ren_other'))).code, 48);
    await h.db.collection('ren_dst').rename('ren_other', { dropTarget: true });
    assert.equal(await h.db.collection('ren_other').countDocuments(), 2);
  });

  test('insert, update, delete reply shapes', async () => {
    const ins = await h.db.command({ insert: 'shape', documents: [{ _id: 1, a: 1 }, { _id: 2, a: 2 }] });
    assert.deepEqual(ins, { n: 2, ok: 1 });
    const upd = await h.db.command({
      update: 'shape',
      updates: [
        { q: { _id: 1 }, u: { $set: { a: 10 } } },
        { q: { _id: 9 }, u: { $set: { a: 9 } }, upsert: true },
        { q: {}, u: { $inc: { a: 1 } }, multi: true },
      ],
    });
    assert.equal(upd.n, 5);
    assert.equal(upd.nModified, 4);
    assert.deepEqual(upd.upserted, [{ index: 1, _id: 9 }]);
    const del = await h.db.command({ delete: 'shape', deletes: [{ q: { a: { $gt: 5 } }, limit: 1 }, { q: { _id: 2 }, limit: 0 }] });
    assert.deepEqual(del, { n: 2, ok: 1 });
    assert.equal((await serverError(() => h.db.command({ delete: 'shape', deletes: [{ q: {}, limit: 2 }] }))).code, 9);
  });

  test('update: multi, upsert with operators and replacement, arrayFilters, pipeline update', async () => {
    const c = h.db.collection('upd');
    await c.insertMany([{ _id: 1, g: 'x', n: 1, arr: [1, 5, 9] }, { _id: 2, g: 'x', n: 2, arr: [2, 6] }] as Document[]);
    const many = await c.updateMany({ g: 'x' }, { $inc: { n: 10 } });
    assert.deepEqual([many.matchedCount, many.modifiedCount], [2, 2]);
    await c.updateOne({ _id: 1 } as Document, { $set: { 'arr.$[big]': 0 } }, { arrayFilters: [{ big: { $gte: 5 } }] });
    assert.deepEqual((await c.findOne({ _id: 1 } as Document))?.arr, [1, 0, 0]);
    await c.updateOne({ _id: 2 } as Document, [{ $set: { total: { $add: ['$n', { $size: '$arr' }] } } }]);
    assert.equal((await c.findOne({ _id: 2 } as Document))?.total, 14);
    const up = await c.updateOne({ g: 'y', k: { $gt: 1 } }, { $set: { v: 1 } }, { upsert: true });
    assert.equal(up.upsertedCount, 1);
    const made = await c.findOne({ _id: up.upsertedId } as Document);
    assert.deepEqual(made && { g: made.g, v: made.v, k: made.k }, { g: 'y', v: 1, k: undefined });
    await c.replaceOne({ _id: 77 } as Document, { r: true }, { upsert: true });
    assert.deepEqual(await c.findOne({ _id: 77 } as Document), { _id: 77, r: true });
    assert.equal((await serverError(() => h.db.command({ update: 'upd', updates: [{ q: {}, u: { r: 1 }, multi: true }] }))).code, 9);
  });

  test('findAndModify: update returning old/new, upsert, remove, sort and fields', async () => {
    const c = h.db.collection('fam');
    await c.insertMany([{ _id: 1, q: 1, n: 5 }, { _id: 2, q: 1, n: 3 }] as Document[]);
    const old = await c.findOneAndUpdate({ q: 1 }, { $inc: { n: 1 } }, { sort: { n: 1 }, returnDocument: 'before' });
    assert.deepEqual(old, { _id: 2, q: 1, n: 3 });
    const fresh = await c.findOneAndUpdate({ q: 1 }, { $inc: { n: 1 } }, { sort: { n: -1 }, returnDocument: 'after', projection: { n: 1, _id: 0 } });
    assert.deepEqual(fresh, { n: 6 });
    const raw = await h.db.command({ findAndModify: 'fam', query: { _id: 3 }, update: { $set: { n: 0 } }, upsert: true, new: true });
    assert.deepEqual(raw.lastErrorObject, { n: 1, updatedExisting: false, upserted: 3 });
    assert.deepEqual(raw.value, { _id: 3, n: 0 });
    const rep = await c.findOneAndReplace({ _id: 3 } as Document, { n: 100 }, { returnDocument: 'after' });
    assert.deepEqual(rep, { _id: 3, n: 100 });
    const removed = await c.findOneAndDelete({ q: 1 }, { sort: { n: 1 } });
    assert.equal(removed?._id, 2);
    assert.equal(await c.findOneAndDelete({ q: 42 }), null);
    assert.equal((await serverError(() => h.db.command({ findAndModify: 'fam', query: {}, remove: true, update: { $set: { a: 1 } } }))).code, 9);
    assert.equal((await serverError(() => h.db.command({ findAndModify: 'fam', query: {} }))).code, 9);
  });

  test('count, distinct, estimatedDocumentCount, countDocuments', async () => {
    const c = h.db.collection('cnt');
    await c.insertMany([{ a: 1, t: ['x', 'y'] }, { a: 2, t: ['y'] }, { a: 2, t: 'z' }, { b: { c: 1 } }]);
    assert.deepEqual(await h.db.command({ count: 'cnt', query: { a: 2 } }), { n: 2, ok: 1 });
    assert.deepEqual(await h.db.command({ count: 'cnt', skip: 1, limit: 2 }), { n: 2, ok: 1 });
    assert.equal(await c.estimatedDocumentCount(), 4);
    assert.equal(await c.countDocuments({ a: { $exists: true } }), 3);
    assert.deepEqual((await c.distinct('t')).sort(), ['x', 'y', 'z']);
    assert.deepEqual(await c.distinct('a', { a: { $gt: 1 } }), [2]);
    assert.deepEqual(await c.distinct('b.c'), [1]);
  });

  test('collStats and dbStats report counts and sizes', async () => {
    await h.db.collection('stats').insertMany([{ a: 1 }, { a: 2 }]);
    const cs = await h.db.command({ collStats: 'stats' });
    assert.equal(cs.count, 2);
    assert.ok(cs.size > 0);
    assert.equal(cs.nindexes, 1);
    assert.equal((await serverError(() => h.db.command({ collStats: 'nope' }))).code, 26);
    const ds = await h.db.command({ dbStats: 1 });
    assert.ok(ds.collections >= 1 && ds.objects >= 2);
  });

  test('session and auth plumbing answer as a standalone server without auth', async () => {
    assert.equal((await h.db.admin().command({ endSessions: [] })).ok, 1);
    assert.equal((await h.db.admin().command({ killAllSessions: [] })).ok, 1);
    assert.equal((await serverError(() => h.db.admin().command({ saslStart: 1, mechanism: 'SCRAM-SHA-256', payload: Buffer.alloc(0) }))).code, 18);
    assert.equal((await serverError(() => h.db.admin().command({ getParameter: 1, noSuchParameter: 1 }))).code, 72);
  });

  test('argument errors: unknown field 40415, missing field 40414, wrong type 14, missing cursor 9', async () => {
    assert.equal((await serverError(() => h.db.command({ find: 'x', bogus: 1 }))).code, 40415);
    assert.equal((await serverError(() => h.db.command({ insert: 'x' }))).code, 40414);
    assert.equal((await serverError(() => h.db.command({ find: 'x', filter: 'no' }))).code, 14);
    assert.equal((await serverError(() => h.db.command({ aggregate: 'x', pipeline: [] }))).code, 9);
    await h.db.collection('hinted').insertOne({ a: 1 });
    assert.equal((await serverError(() => h.db.command({ find: 'hinted', hint: 'no_such_index' }))).code, 2);
  });

  test('validators: inserts and updates that fail the validator are refused (121) unless bypassed; moderate and warn', async () => {
    await h.db.createCollection('validated', { validator: { qty: { $gte: 0 }, name: { $type: 'string' } } });
    const c = h.db.collection('validated');
    await c.insertOne({ _id: 1, name: 'ok', qty: 1 } as Document);
    const err = await serverError(() => c.insertOne({ _id: 2, name: 'bad', qty: -1 } as Document));
    assert.equal(err.code, 121);
    assert.equal(err.errInfo?.failingDocumentId, 2);
    assert.equal((await serverError(() => c.updateOne({ _id: 1 } as Document, { $set: { qty: -5 } }))).code, 121);
    assert.deepEqual(await c.findOne({ _id: 1 } as Document), { _id: 1, name: 'ok', qty: 1 });
    await c.insertOne({ _id: 3, name: 'forced', qty: -1 } as Document, { bypassDocumentValidation: true });
    assert.equal(await c.countDocuments(), 2);
    const opts = (await h.db.listCollections({ name: 'validated' }, { nameOnly: false }).toArray())[0] as { options?: Document };
    assert.deepEqual(opts.options, { validator: { qty: { $gte: 0 }, name: { $type: 'string' } } });
    await h.db.createCollection('moderate', { validator: { qty: { $gte: 0 } }, validationLevel: 'moderate' });
    const m = h.db.collection('moderate');
    await m.insertOne({ _id: 1, qty: -1 } as Document, { bypassDocumentValidation: true });
    await m.updateOne({ _id: 1 } as Document, { $set: { note: 'already invalid: allowed' } });
    await h.db.createCollection('warned', { validator: { qty: { $gte: 0 } }, validationAction: 'warn' });
    await h.db.collection('warned').insertOne({ qty: -1 });
    assert.equal((await serverError(() => h.db.createCollection('schema', { validator: { $jsonSchema: {} } }))).code, 2);
  });
});

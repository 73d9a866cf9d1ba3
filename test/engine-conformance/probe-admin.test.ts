/**
 * Probes of index management and administrative commands against the MongoDB 7.0
 * manual pages of createIndexes, listIndexes, dropIndexes, listCollections, create,
 * drop, renameCollection, collStats/dbStats and killCursors/getMore.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Binary, type Document } from 'mongodb';
import { openHarness, closeHarness, expectServerError, type Harness } from './harness.ts';

describe('probe: indexes and admin commands', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness('probe_admin');
  });
  after(async () => {
    await closeHarness(h);
  });

  // Index names are generated as <field>_<direction> joined by _.
  it('generated index names and the listIndexes shape', async () => {
    const c = h.db.collection('ix_names');
    assert.equal(await c.createIndex({ a: 1, b: -1 }), 'a_1_b_-1');
    assert.equal(await c.createIndex({ 'x.y': 1 }, { unique: true, sparse: true }), 'x.y_1');
    assert.equal(await c.createIndex({ t: 1 }, { expireAfterSeconds: 3600, partialFilterExpression: { t: { $exists: true } } }), 't_1');
    const list = await c.listIndexes().toArray();
    assert.deepEqual(list, [
      { v: 2, key: { _id: 1 }, name: '_id_' },
      { v: 2, key: { a: 1, b: -1 }, name: 'a_1_b_-1' },
      { v: 2, key: { 'x.y': 1 }, name: 'x.y_1', unique: true, sparse: true },
      { v: 2, key: { t: 1 }, name: 't_1', expireAfterSeconds: 3600, partialFilterExpression: { t: { $exists: true } } },
    ]);
  });

  // The same key and name with other options: 85 IndexOptionsConflict ("An equivalent index
  // already exists with the same name but different options").
  it('same key and name with different options fails with 85', async () => {
    const c = h.db.collection('ix_conflict');
    await c.createIndex({ a: 1 });
    await expectServerError(c.createIndex({ a: 1 }, { unique: true }), 85);
  });

  // dropIndex('*') drops all but _id_; dropIndexes with a list of names.
  it('dropIndexes with "*" and with a list of names', async () => {
    const c = h.db.collection('ix_drop');
    await c.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }, { key: { c: 1 } }]);
    await h.db.command({ dropIndexes: 'ix_drop', index: ['a_1', 'b_1'] });
    assert.deepEqual((await c.listIndexes().toArray()).map((i) => i.name), ['_id_', 'c_1']);
    await c.dropIndex('*');
    assert.deepEqual((await c.listIndexes().toArray()).map((i) => i.name), ['_id_']);
  });

  // dropIndexes reply: nIndexesWas.
  it('dropIndexes reports nIndexesWas', async () => {
    const c = h.db.collection('ix_was');
    await c.createIndex({ a: 1 });
    const res = await h.db.command({ dropIndexes: 'ix_was', index: 'a_1' });
    assert.equal(res.nIndexesWas, 2);
    assert.equal(res.ok, 1);
  });

  // createIndexes reply: numIndexesBefore/After, createdCollectionAutomatically; a no-op adds a note.
  it('createIndexes reply fields', async () => {
    const res = await h.db.command({ createIndexes: 'ix_reply', indexes: [{ key: { a: 1 }, name: 'a_1' }] });
    assert.equal(res.numIndexesBefore, 1);
    assert.equal(res.numIndexesAfter, 2);
    assert.equal(res.createdCollectionAutomatically, true);
    const again = await h.db.command({ createIndexes: 'ix_reply', indexes: [{ key: { a: 1 }, name: 'a_1' }] });
    assert.equal(again.numIndexesBefore, 2);
    assert.equal(again.numIndexesAfter, 2);
    assert.equal(again.note, 'all indexes already exist');
  });

  // An index spec with an invalid key value fails with 67 (CannotCreateIndex); empty key 67.
  it('invalid index keys fail with 67', async () => {
    await expectServerError(h.db.command({ createIndexes: 'ix_bad', indexes: [{ key: {}, name: 'x' }] }), 67);
    await expectServerError(h.db.command({ createIndexes: 'ix_bad', indexes: [{ key: { a: 'text1' }, name: 'x' }] }), 67);
  });

  // listCollections: type, options, info.readOnly, info.uuid, idIndex.
  it('listCollections document shape', async () => {
    await h.db.createCollection('lc_shape');
    const [info] = (await h.db.listCollections({ name: 'lc_shape' }).toArray()) as Document[];
    assert.equal(info.name, 'lc_shape');
    assert.equal(info.type, 'collection');
    assert.deepEqual(info.options, {});
    assert.equal(info.info.readOnly, false);
    assert.ok(info.info.uuid instanceof Binary && info.info.uuid.sub_type === 4);
    assert.deepEqual(info.idIndex, { v: 2, key: { _id: 1 }, name: '_id_' });
  });

  // listCollections filter on type and options; authorizedCollections accepted.
  it('listCollections filters on type and other fields', async () => {
    await h.db.createCollection('lc_validated', { validator: { a: { $exists: true } } });
    const names = (await h.db.listCollections({ type: 'collection', 'options.validator': { $exists: true } }).toArray()).map((c) => c.name);
    assert.deepEqual(names, ['lc_validated']);
    const res = await h.db.command({ listCollections: 1, nameOnly: true, authorizedCollections: true, filter: { name: 'lc_validated' } });
    assert.deepEqual(res.cursor.firstBatch, [{ name: 'lc_validated', type: 'collection' }]);
  });

  // renameCollection with dropTarget replaces the target; across databases works on a standalone.
  it('renameCollection with dropTarget and across databases', async () => {
    await h.db.collection('rn_src').insertOne({ a: 1 });
    await h.db.collection('rn_dst').insertOne({ b: 1 });
    await h.db.collection('rn_src').rename('rn_dst', { dropTarget: true });
    assert.deepEqual(await h.db.collection('rn_dst').find({}, { projection: { _id: 0 } }).toArray(), [{ a: 1 }]);
    await h.client.db('admin').command({ renameCollection: 'probe_admin.rn_dst', to: 'probe_admin_other.moved' });
    assert.equal(await h.client.db('probe_admin_other').collection('moved').countDocuments(), 1);
    await expectServerError(h.client.db('admin').command({ renameCollection: 'probe_admin.rn_dst', to: 'probe_admin.x' }), 26);
  });

  // renameCollection to the same name fails (20 IllegalOperation); a system name target fails.
  it('renameCollection onto itself fails', async () => {
    await h.db.collection('rn_self').insertOne({});
    await expectServerError(h.client.db('admin').command({ renameCollection: 'probe_admin.rn_self', to: 'probe_admin.rn_self' }), 20);
  });

  // create with an invalid name fails (73 InvalidNamespace).
  it('invalid collection names fail with 73', async () => {
    await expectServerError(h.db.command({ create: 'bad$name' }), 73);
    await expectServerError(h.db.command({ create: '' }), 73);
  });

  // collStats / dbStats shapes used by tools.
  it('collStats and dbStats shapes', async () => {
    const c = h.db.collection('stats');
    await c.insertMany([{ a: 1 }, { a: 2 }]);
    await c.createIndex({ a: 1 });
    const cs = await h.db.command({ collStats: 'stats' });
    assert.equal(cs.ns, 'probe_admin.stats');
    assert.equal(cs.count, 2);
    assert.equal(cs.nindexes, 2);
    assert.equal(typeof cs.avgObjSize, 'number');
    assert.equal(typeof cs.storageSize, 'number');
    assert.equal(typeof cs.totalIndexSize, 'number');
    assert.deepEqual(Object.keys(cs.indexSizes).sort(), ['_id_', 'a_1']);
    const ds = await h.db.command({ dbStats: 1 });
    assert.equal(ds.db, 'probe_admin');
    assert.equal(typeof ds.collections, 'number');
    assert.equal(typeof ds.objects, 'number');
    assert.equal(typeof ds.dataSize, 'number');
    assert.equal(typeof ds.storageSize, 'number');
    assert.equal(typeof ds.indexes, 'number');
  });

  // collStats on a missing collection: 26 NamespaceNotFound in 7.0? (it answers ok with zeros before 6.2; 26 after)
  it('$collStats-free count via the count command on a missing collection is 0', async () => {
    const res = await h.db.command({ count: 'nope_missing' });
    assert.equal(res.n, 0);
  });

  // killCursors then getMore: 43.
  it('getMore after killCursors fails with 43', async () => {
    const c = h.db.collection('kc');
    await c.insertMany(Array.from({ length: 10 }, (_, i) => ({ i })));
    const res = await h.db.command({ find: 'kc', batchSize: 2 });
    const id = res.cursor.id;
    const killed = await h.db.command({ killCursors: 'kc', cursors: [id] });
    assert.equal(killed.cursorsKilled.length, 1);
    await expectServerError(h.db.command({ getMore: id, collection: 'kc' }), 43);
  });

  // getMore with the wrong collection name fails (13 Unauthorized in MongoDB).
  it('getMore naming another collection fails', async () => {
    const c = h.db.collection('gm');
    await c.insertMany(Array.from({ length: 5 }, (_, i) => ({ i })));
    const res = await h.db.command({ find: 'gm', batchSize: 1 });
    await expectServerError(h.db.command({ getMore: res.cursor.id, collection: 'other' }), 13);
  });

  // A hint naming no index is refused by every command that takes one (2 BadValue).
  it('a hint that names no index fails with 2 in updates, deletes, counts, aggregations and findAndModify', async () => {
    const c = h.db.collection('hints');
    await c.insertOne({ a: 1 });
    await expectServerError(c.updateOne({ a: 1 }, { $set: { b: 1 } }, { hint: 'nope_1' }), 2);
    await expectServerError(c.deleteOne({ a: 1 }, { hint: 'nope_1' }), 2);
    await expectServerError(c.countDocuments({}, { hint: 'nope_1' }), 2);
    await expectServerError(c.aggregate([], { hint: 'nope_1' }).toArray(), 2);
    await expectServerError(c.findOneAndUpdate({ a: 1 }, { $set: { b: 1 } }, { hint: { nope: 1 } }), 2);
    assert.equal((await c.updateOne({ a: 1 }, { $set: { b: 1 } }, { hint: { _id: 1 } })).modifiedCount, 1);
  });

  // {_id: 1} is the _id index (a no-op); {_id: -1} is an ordinary index of its own.
  it('an index on _id descending is a separate index', async () => {
    const c = h.db.collection('ix_id');
    await c.insertOne({});
    await c.createIndex({ _id: 1 });
    await c.createIndex({ _id: -1 });
    assert.deepEqual((await c.listIndexes().toArray()).map((i) => i.name), ['_id_', '_id_-1']);
  });

  // returnKey/showRecordId change a find's output; the engine refuses them (README table) instead of ignoring them.
  it('find with returnKey or showRecordId is refused with 2', async () => {
    await h.db.collection('rk').insertOne({ a: 1 });
    await expectServerError(h.db.command({ find: 'rk', returnKey: true }), 2);
    await expectServerError(h.db.command({ find: 'rk', showRecordId: true }), 2);
    const res = await h.db.command({ find: 'rk', returnKey: false, showRecordId: false });
    assert.equal(res.cursor.firstBatch.length, 1);
  });

  // Hidden indexes are listed with hidden: true.
  it('hidden indexes are listed with hidden: true', async () => {
    const c = h.db.collection('ix_hidden');
    await c.createIndex({ h: 1 }, { hidden: true });
    const ix = (await c.listIndexes().toArray()).find((i) => i.name === 'h_1') as Document;
    assert.equal(ix.hidden, true);
  });

  // A collection with many documents: listIndexes and count stay exact after drop of an index.
  it('dropping a collection returns true and a second drop returns true (7.0 drop is idempotent)', async () => {
    await h.db.collection('dropme').insertOne({});
    assert.equal(await h.db.collection('dropme').drop(), true);
    assert.equal(await h.db.collection('dropme').drop(), true);
    assert.equal(await h.db.dropCollection('never_was'), true);
  });
});

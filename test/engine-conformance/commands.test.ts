/**
 * Administrative and diagnostic commands as a standalone MongoDB 7.0 answers
 * them: handshake, buildInfo, database/collection listing, create/drop/rename,
 * stats, and the errors for existing or missing namespaces.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Document } from 'mongodb';
import { openHarness, closeHarness, expectServerError, type Harness } from './harness.ts';

const DB = 'conf_commands';

describe('engine conformance: commands', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness(DB);
  });
  after(async () => {
    await closeHarness(h);
  });

  const admin = () => h.client.db('admin');

  describe('handshake and server info', () => {
    it('ping answers ok: 1', async () => {
      assert.deepEqual(await admin().command({ ping: 1 }), { ok: 1 });
    });

    it('hello reports a writable standalone speaking the 7.0 wire version', async () => {
      const res = await admin().command({ hello: 1 });
      assert.equal(res.ok, 1);
      assert.equal(res.isWritablePrimary, true);
      assert.ok(res.maxWireVersion >= 21, `maxWireVersion ${String(res.maxWireVersion)}`);
      assert.equal(res.minWireVersion, 0);
      assert.equal(res.maxBsonObjectSize, 16 * 1024 * 1024);
      assert.equal(res.maxMessageSizeBytes, 48_000_000);
      assert.equal(res.maxWriteBatchSize, 100_000);
      assert.ok(res.localTime instanceof Date, 'localTime is a Date');
      assert.equal(res.setName, undefined, 'a standalone has no replica set name');
      assert.equal(res.readOnly, false);
    });

    it('legacy isMaster answers ismaster: true', async () => {
      const res = await admin().command({ isMaster: 1 });
      assert.equal(res.ok, 1);
      assert.equal(res.ismaster, true);
      assert.ok(res.maxWireVersion >= 21, `maxWireVersion ${String(res.maxWireVersion)}`);
    });

    it('buildInfo reports a 7.0 version', async () => {
      const res = await admin().command({ buildInfo: 1 });
      assert.equal(res.ok, 1);
      assert.ok(String(res.version).startsWith('7.0'), `version ${String(res.version)}`);
      assert.deepEqual(res.versionArray.slice(0, 2), [7, 0]);
    });

    it('getParameter reports featureCompatibilityVersion 7.0', async () => {
      const res = await admin().command({ getParameter: 1, featureCompatibilityVersion: 1 });
      assert.equal(res.ok, 1);
      assert.deepEqual(res.featureCompatibilityVersion, { version: '7.0' });
    });

    it('connectionStatus answers with no authenticated users', async () => {
      const res = await admin().command({ connectionStatus: 1 });
      assert.equal(res.ok, 1);
      assert.deepEqual(res.authInfo.authenticatedUsers, []);
    });

    it('endSessions and killAllSessions answer ok', async () => {
      assert.equal((await admin().command({ endSessions: [] })).ok, 1);
      assert.equal((await admin().command({ killAllSessions: [] })).ok, 1);
    });
  });

  describe('databases and collections', () => {
    it('listDatabases lists a database once it holds data; nameOnly returns names only', async () => {
      await h.db.collection('seed').insertOne({ x: 1 });
      const full = await admin().admin().listDatabases();
      const mine = full.databases.find((d) => d.name === DB);
      assert.ok(mine, `${DB} listed`);
      assert.equal(mine.empty, false);
      assert.equal(typeof mine.sizeOnDisk, 'number');
      assert.equal(typeof full.totalSize, 'number');
      assert.ok(!full.databases.some((d) => d.name === 'conf_never_used'), 'an unused database is not listed');
      const names = await admin().command({ listDatabases: 1, nameOnly: true });
      const entry = (names.databases as Document[]).find((d) => d.name === DB);
      assert.deepEqual(entry, { name: DB });
    });

    it('listCollections with a name filter, and nameOnly', async () => {
      await h.db.createCollection('lc_a');
      await h.db.createCollection('lc_b');
      const [b] = await h.db.listCollections({ name: 'lc_b' }, { nameOnly: false }).toArray();
      assert.equal(b.name, 'lc_b');
      assert.equal(b.type, 'collection');
      assert.deepEqual(b.options, {});
      assert.equal(b.info?.readOnly, false);
      const names = await h.db.listCollections({ name: { $in: ['lc_a', 'lc_b'] } }, { nameOnly: true }).toArray();
      assert.deepEqual(
        names.map((n) => ({ ...n })).sort((x, y) => String(x.name).localeCompare(String(y.name))),
        [{ name: 'lc_a', type: 'collection' }, { name: 'lc_b', type: 'collection' }],
      );
    });

    it('create makes an empty collection; creating it again with the same options succeeds (7.0)', async () => {
      assert.equal((await h.db.command({ create: 'made' })).ok, 1);
      assert.equal((await h.db.listCollections({ name: 'made' }).toArray()).length, 1);
      assert.equal((await h.db.command({ create: 'made' })).ok, 1);
    });

    it('create of an existing collection with different options fails with 48 NamespaceExists', async () => {
      await h.db.command({ create: 'made_opts' });
      await expectServerError(h.db.command({ create: 'made_opts', capped: true, size: 4096 }), 48, 'NamespaceExists');
    });

    it('drop removes a collection and its indexes; dropping a missing collection succeeds (7.0)', async () => {
      const c = h.db.collection('to_drop');
      await c.insertOne({ a: 1 });
      await c.createIndex({ a: 1 });
      const res = await h.db.command({ drop: 'to_drop' });
      assert.equal(res.ok, 1);
      assert.equal(res.ns, `${DB}.to_drop`);
      assert.equal(res.nIndexesWas, 2);
      assert.equal((await h.db.listCollections({ name: 'to_drop' }).toArray()).length, 0);
      assert.equal((await h.db.command({ drop: 'never_existed' })).ok, 1);
    });

    it('the driver collection.drop() answers true', async () => {
      await h.db.collection('drop_helper').insertOne({ a: 1 });
      assert.equal(await h.db.collection('drop_helper').drop(), true);
      assert.equal(await h.db.collection('drop_helper').countDocuments(), 0);
    });

    it('renameCollection moves documents and indexes to the new name', async () => {
      const c = h.db.collection('rn_src');
      await c.insertMany([{ _id: 1 }, { _id: 2 }] as Document[]);
      await c.createIndex({ k: 1 });
      await c.rename('rn_dst');
      assert.equal((await h.db.listCollections({ name: 'rn_src' }).toArray()).length, 0);
      assert.equal(await h.db.collection('rn_dst').countDocuments(), 2);
      const names = (await h.db.collection('rn_dst').listIndexes().toArray()).map((ix) => ix.name).sort();
      assert.deepEqual(names, ['_id_', 'k_1']);
    });

    it('renameCollection onto an existing collection fails with 48 unless dropTarget', async () => {
      await h.db.collection('rn_a').insertOne({ from: 'a' });
      await h.db.collection('rn_b').insertOne({ from: 'b' });
      await expectServerError(admin().command({ renameCollection: `${DB}.rn_a`, to: `${DB}.rn_b` }), 48, 'NamespaceExists');
      assert.equal((await admin().command({ renameCollection: `${DB}.rn_a`, to: `${DB}.rn_b`, dropTarget: true })).ok, 1);
      assert.deepEqual(await h.db.collection('rn_b').find({}, { projection: { _id: 0 } }).toArray(), [{ from: 'a' }]);
    });

    it('renameCollection of a missing source fails with 26 NamespaceNotFound', async () => {
      await expectServerError(admin().command({ renameCollection: `${DB}.no_src`, to: `${DB}.no_dst` }), 26, 'NamespaceNotFound');
    });

    it('dropDatabase removes every collection of the database', async () => {
      const other = h.client.db('conf_commands_drop');
      await other.collection('a').insertOne({ x: 1 });
      await other.collection('b').insertOne({ x: 1 });
      const res = await other.command({ dropDatabase: 1 });
      assert.equal(res.ok, 1);
      assert.deepEqual(await other.listCollections().toArray(), []);
      const dbs = await admin().admin().listDatabases();
      assert.ok(!dbs.databases.some((d) => d.name === 'conf_commands_drop'), 'the dropped database is no longer listed');
    });
  });

  describe('stats and counting', () => {
    before(async () => {
      const s = h.client.db('conf_stats');
      await s.collection('one').insertMany([{ a: 1 }, { a: 2 }]);
      await s.collection('one').createIndex({ a: 1 });
      await s.collection('two').insertOne({ b: 'x' });
    });

    it('collStats reports ns, count, nindexes and a positive size', async () => {
      const res = await h.client.db('conf_stats').command({ collStats: 'one' });
      assert.equal(res.ok, 1);
      assert.equal(res.ns, 'conf_stats.one');
      assert.equal(res.count, 2);
      assert.equal(res.nindexes, 2);
      assert.ok(res.size > 0, `size ${String(res.size)}`);
    });

    it('dbStats reports the database, collection, object and index counts', async () => {
      const res = await h.client.db('conf_stats').command({ dbStats: 1 });
      assert.equal(res.ok, 1);
      assert.equal(res.db, 'conf_stats');
      assert.equal(res.collections, 2);
      assert.equal(res.objects, 3);
      assert.equal(res.indexes, 3);
    });

    it('count and distinct commands', async () => {
      const db = h.client.db('conf_stats');
      const count = await db.command({ count: 'one', query: { a: { $gt: 1 } } });
      assert.equal(count.n, 1);
      assert.equal(count.ok, 1);
      const distinct = await db.command({ distinct: 'one', key: 'a' });
      assert.deepEqual([...distinct.values].sort(), [1, 2]);
    });
  });

  describe('unknown commands', () => {
    it('an unknown command fails with 59 CommandNotFound', async () => {
      const err = await expectServerError(h.db.command({ fooBarBaz: 1 }), 59, 'CommandNotFound');
      assert.equal(err.message, "no such command: 'fooBarBaz'");
    });
  });
});

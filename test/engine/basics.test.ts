import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Long } from 'mongodb';
import { startEmbeddedMongo } from '../../plugins/embedded-mongo/index.ts';
import { serverError, startHarness, type Harness } from './helpers.ts';

describe('handshake and basic commands', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(async () => h.close());

  test('hello advertises a MongoDB 7.0 standalone without sessions', async () => {
    const hello = await h.db.admin().command({ hello: 1 });
    assert.equal(hello.isWritablePrimary, true);
    assert.equal(hello.maxWireVersion, 21);
    assert.equal(hello.minWireVersion, 0);
    assert.equal(hello.maxBsonObjectSize, 16 * 1024 * 1024);
    assert.equal(hello.maxMessageSizeBytes, 48_000_000);
    assert.equal(hello.maxWriteBatchSize, 100_000);
    assert.equal(hello.setName, undefined);
    assert.equal(hello.logicalSessionTimeoutMinutes, undefined);
    const legacy = await h.db.admin().command({ isMaster: 1 });
    assert.equal(legacy.ismaster, true);
  });

  test('ping, buildInfo, getParameter, connectionStatus', async () => {
    assert.equal((await h.db.command({ ping: 1 })).ok, 1);
    const info = await h.db.admin().command({ buildInfo: 1 });
    assert.match(info.version, /^7\.0\./);
    assert.deepEqual(info.versionArray.slice(0, 2), [7, 0]);
    const fcv = await h.db.admin().command({ getParameter: 1, featureCompatibilityVersion: 1 });
    assert.equal(fcv.featureCompatibilityVersion.version, '7.0');
    const status = await h.db.admin().command({ connectionStatus: 1 });
    assert.deepEqual(status.authInfo.authenticatedUsers, []);
  });

  test('an unknown command answers CommandNotFound (59)', async () => {
    const err = await serverError(() => h.db.command({ frobnicate: 1 }));
    assert.equal(err.code, 59);
    assert.equal(err.codeName, 'CommandNotFound');
    assert.match(err.message, /no such command: 'frobnicate'/);
  });

  test('a transaction number is refused as on a standalone mongod (20)', async () => {
    const err = await serverError(() => h.db.command({ find: 'x', txnNumber: Long.fromNumber(1) }));
    assert.equal(err.code, 20);
  });

  test('insertOne/insertMany then find returns the documents with _id first', async () => {
    const c = h.db.collection('basics');
    const one = await c.insertOne({ name: 'a', n: 1 });
    await c.insertMany([{ name: 'b', n: 2 }, { n: 3, _id: 'x' as never, name: 'c' }]);
    const all = await c.find({}, { sort: { n: 1 } }).toArray();
    assert.deepEqual(all.map((d) => d.name), ['a', 'b', 'c']);
    assert.deepEqual(all[0]._id, one.insertedId);
    assert.deepEqual(Object.keys(all[2]), ['_id', 'n', 'name']);
  });
});

describe('persistence and the folder lock', () => {
  test('acknowledged writes and indexes survive a restart', async () => {
    const h = await startHarness();
    try {
      await h.db.collection('p').insertMany([{ _id: 1 as never, v: 'one' }, { _id: 2 as never, v: 'two' }]);
      await h.db.collection('p').createIndex({ v: 1 }, { unique: true });
      await h.restart();
      assert.deepEqual(await h.db.collection('p').find().toArray(), [{ _id: 1, v: 'one' }, { _id: 2, v: 'two' }]);
      const names = (await h.db.collection('p').indexes()).map((i) => i.name);
      assert.deepEqual(names, ['_id_', 'v_1']);
      const err = await serverError(() => h.db.collection('p').insertOne({ v: 'one' }));
      assert.equal(err.code, 11000);
    } finally {
      await h.close();
    }
  });

  test('a second engine on the same folder is refused with a message naming the folder', async () => {
    const h = await startHarness();
    try {
      await assert.rejects(startEmbeddedMongo({ dataDir: h.dataDir }), (err: Error) => {
        assert.match(err.message, /already in use/);
        assert.ok(err.message.includes(h.dataDir));
        return true;
      });
    } finally {
      await h.close();
    }
  });
});

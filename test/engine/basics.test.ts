import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Binary, BSONRegExp, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp, type Document } from 'mongodb';
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

  test('every BSON type survives insertMany (wire bytes stored as is) and a restart, with _id moved first', async () => {
    const h = await startHarness();
    try {
      const sample: Document = {
        int: new Int32(7), double: new Double(7), frac: 7.25, long: Long.fromString('9007199254740993'), dec: Decimal128.fromString('1.50'),
        str: 'héllo', bool: true, nil: null, date: new Date('2024-02-29T12:00:00Z'), oid: new ObjectId('0123456789abcdef01234567'),
        bin: new Binary(Buffer.from([1, 2, 3]), 0), uuid: new Binary(Buffer.alloc(16, 9), 4), re: new BSONRegExp('^a.c$', 'is'),
        ts: new Timestamp({ t: 5, i: 6 }), min: new MinKey(), max: new MaxKey(), nested: { arr: [1, 'two', { three: 3 }], empty: {} },
      };
      const c = h.db.collection('types');
      await c.insertMany([{ ...sample, n: 1 }, { n: 2, ...sample, _id: 'mid' as never }, { n: 3 }]);
      const read = async () => h.db.collection('types').find({}, { promoteValues: false, promoteLongs: false, bsonRegExp: true }).sort({ n: 1 }).toArray();
      const before = await read();
      await h.restart();
      const after = await read();
      assert.deepEqual(after, before);
      assert.deepEqual(Object.keys(after[1]).slice(0, 2), ['_id', 'n']);
      assert.equal(after[1]._id, 'mid');
      assert.equal(Object.keys(after[0])[0], '_id');
      for (const k of Object.keys(sample)) assert.deepEqual(after[0][k], after[1][k], k);
      assert.equal(String(after[0].dec), '1.50');
      assert.equal((after[0].double as { _bsontype?: string })._bsontype, 'Double');
    } finally {
      await h.close();
    }
  });

  test('documents keyed by ObjectIds with zero and high bytes can be updated and deleted after restarts', async () => {
    const h = await startHarness();
    try {
      const ids = ['000000000000000000000000', '00ff00ff00ff00ff00ff0080', 'ffffffffffffffffffffffff'].map((x) => new ObjectId(x));
      const c = () => h.db.collection('oids');
      await c().insertMany(ids.map((_id, i) => ({ _id, v: i })));
      await h.restart();
      await c().updateOne({ _id: ids[1] }, { $set: { v: 'changed' } });
      await c().deleteOne({ _id: ids[2] });
      await h.restart();
      assert.deepEqual(await c().find().sort({ _id: 1 }).toArray(), [{ _id: ids[0], v: 0 }, { _id: ids[1], v: 'changed' }]);
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

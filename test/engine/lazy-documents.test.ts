/**
 * Documents inserted into a collection without secondary indexes are kept as their BSON until
 * first read (bson/stored.ts, engine/doc-map.ts). Whatever was kept raw must read back exactly
 * as inserted, before and after a restart, and behave as any document in updates, deletes,
 * index builds, aggregation and `_id` ranges.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Binary, Decimal128, Double, Int32, Long, ObjectId, Timestamp, type Document } from 'mongodb';
import { startHarness, type Harness } from './helpers.ts';

function sample(i: number): Document {
  return {
    _id: new ObjectId(),
    i,
    name: `Имя ${i} — ёлка ☃`,
    amount: i % 2 ? i / 3 : new Double(i),
    count: new Int32(i),
    big: Long.fromString('9007199254740993'),
    price: Decimal128.fromString(`${i}.10`),
    at: new Date(Date.UTC(2025, 0, 1, 0, 0, i)),
    ts: new Timestamp({ t: 1, i }),
    flag: i % 3 === 0,
    none: null,
    raw: new Binary(Buffer.from([i & 255, 1, 2])),
    nested: { list: [1, 'two', { three: 3 }], empty: {} },
  };
}

describe('documents kept as BSON until first read', () => {
  let h: Harness;
  const inserted = Array.from({ length: 500 }, (_, i) => sample(i));
  before(async () => {
    h = await startHarness();
    await h.db.collection('lazy').insertMany(inserted);
  });
  after(async () => h.close());

  const byI = async () => (await h.db.collection('lazy').find({}, { promoteValues: false }).sort({ i: 1 }).toArray());

  test('read back exactly as inserted (every BSON type), also after a restart', async () => {
    const expected = await h.db.collection('lazy').find({}).toArray();
    assert.equal(expected.length, 500);
    assert.deepEqual(expected.map((d) => d._id.toHexString()), inserted.map((d) => (d._id as ObjectId).toHexString()), 'natural order is insertion order');
    assert.deepEqual(expected[7], { ...inserted[7], amount: 7 / 3, count: 7 });
    const typed = (await byI())[4]!;
    assert.equal(typed.amount._bsontype, 'Double', 'an integral double stays a double');
    assert.equal(typed.count._bsontype, 'Int32');
    await h.restart();
    assert.deepEqual(await h.db.collection('lazy').find({}).toArray(), expected);
  });

  test('updates, deletes, _id ranges, aggregation and a later index see the same documents', async () => {
    const c = h.db.collection('lazy');
    await c.insertMany(Array.from({ length: 100 }, (_, i) => sample(1000 + i)));
    assert.equal((await c.updateOne({ i: 1001 }, { $inc: { count: 1 } })).modifiedCount, 1);
    assert.equal((await c.findOne({ i: 1001 }))?.count, 1002);
    assert.equal((await c.deleteMany({ i: { $gte: 1090 } })).deletedCount, 10);
    const ids = (await c.find({ i: { $gte: 1000 } }).sort({ _id: 1 }).toArray()).map((d) => d._id as ObjectId);
    assert.equal((await c.find({ _id: { $gt: ids[9] } }).toArray()).length, ids.length - 10);
    const [sum] = await c.aggregate([{ $match: { i: { $gte: 1000 } } }, { $group: { _id: null, n: { $sum: 1 } } }]).toArray();
    assert.equal(sum?.n, 90);
    await c.createIndex({ i: 1 }, { unique: true });
    assert.equal((await c.find({ i: { $gte: 1080 } }).sort({ i: -1 }).limit(3).toArray()).map((d) => d.i).join(), '1089,1088,1087');
    await assert.rejects(c.insertOne({ i: 5 }), (err: Error & { code?: number }) => err.code === 11000);
  });

  test('a duplicate _id in a batch into a collection without indexes is 11000 and the ordered batch stops there', async () => {
    const c = h.db.collection('lazy-dup');
    const id = new ObjectId();
    await assert.rejects(c.insertMany([{ _id: id, n: 1 }, { _id: id, n: 2 }, { _id: new ObjectId(), n: 3 }]), (err: Error & { code?: number }) => err.code === 11000);
    assert.deepEqual((await c.find({}).toArray()).map((d) => d.n), [1]);
    const byString = h.db.collection<Document>('lazy-str');
    await byString.insertMany([{ _id: 'a', n: 1 }, { _id: 'b', n: 2 }] as Document[]);
    await assert.rejects(byString.insertOne({ _id: 'a', n: 3 } as Document), (err: Error & { code?: number }) => err.code === 11000);
    assert.equal((await byString.findOne({ _id: 'b' } as Document))?.n, 2);
  });

  test('$-prefixed top-level names are still refused', async () => {
    await assert.rejects(h.db.collection('lazy-bad').insertOne({ $bad: 1 } as Document), (err: Error & { code?: number }) => err.code === 2);
    assert.equal(await h.db.collection('lazy-bad').countDocuments(), 0);
  });
});

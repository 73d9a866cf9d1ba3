/**
 * BSON numeric types (int32, double, long, decimal128): stored and read back
 * with their types, compared and sorted across types, and summed or
 * incremented exactly, as MongoDB 7.0 does.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal128, Double, Int32, Long, type Collection, type Document, type Filter } from 'mongodb';
import { openHarness, closeHarness, idsOf, bsonTypeOf, type Harness } from './harness.ts';

const dec = (s: string) => Decimal128.fromString(s);

const PRICES: Document[] = [
  { _id: 1, p: new Int32(4) },
  { _id: 2, p: Long.fromNumber(5) },
  { _id: 3, p: new Double(6) },
  { _id: 4, p: dec('7.5') },
  { _id: 5, p: dec('5.00') },
  { _id: 6, p: new Double(5.5) },
];

describe('engine conformance: numeric types', () => {
  let h: Harness;
  let counter = 0;
  before(async () => {
    h = await openHarness('conf_numeric');
    await h.db.collection('prices').insertMany(PRICES.map((doc) => ({ ...doc })));
  });
  after(async () => {
    await closeHarness(h);
  });

  async function ids(filter: Filter<Document>): Promise<unknown[]> {
    return idsOf(await h.db.collection('prices').find(filter).sort({ _id: 1 }).toArray());
  }

  async function single(doc: Document) {
    const c = h.db.collection(`n${++counter}`);
    await c.insertOne({ _id: 1, ...doc } as Document);
    return c;
  }

  async function raw(c: Collection<Document>): Promise<Document | null> {
    return c.findOne({ _id: 1 } as Document, { promoteValues: false });
  }

  describe('round trip', () => {
    it('with promoteValues:false every numeric type comes back as stored', async () => {
      const docs = await h.db.collection('prices').find({}, { promoteValues: false }).sort({ _id: 1 }).toArray();
      const kinds = docs.map((d) => (d.p as { _bsontype?: string })._bsontype);
      assert.deepEqual(kinds, ['Int32', 'Long', 'Double', 'Decimal128', 'Decimal128', 'Double']);
      assert.deepEqual(docs.map((d) => String(d.p)), ['4', '5', '6', '7.5', '5.00', '5.5']);
    });

    it('Decimal128 comes back as Decimal128 by default, trailing zeros kept', async () => {
      const docs = await h.db.collection('prices').find({ _id: { $in: [4, 5] } } as Document).sort({ _id: 1 }).toArray();
      assert.ok(docs[0].p instanceof Decimal128, `expected Decimal128, got ${bsonTypeOf(docs[0].p)}`);
      assert.deepEqual(docs.map((d) => String(d.p)), ['7.5', '5.00']);
    });

    it('Long is promoted to a number by default and kept as Long with promoteLongs:false', async () => {
      const promoted = await h.db.collection('prices').findOne({ _id: 2 } as Document);
      assert.equal(promoted?.p, 5);
      const kept = await h.db.collection('prices').findOne({ _id: 2 } as Document, { promoteLongs: false });
      assert.ok(kept?.p instanceof Long, `expected Long, got ${bsonTypeOf(kept?.p)}`);
    });

    it('a Long beyond 2^53 round-trips exactly and is matched exactly', async () => {
      const c = await single({ v: Long.fromString('9007199254740993') });
      const doc = await c.findOne({ _id: 1 } as Document, { promoteLongs: false });
      assert.equal(String(doc?.v), '9007199254740993');
      assert.equal(await c.countDocuments({ v: Long.fromString('9007199254740993') }), 1);
      assert.equal(await c.countDocuments({ v: Long.fromString('9007199254740992') }), 0);
    });

    it('a 34-digit Decimal128 round-trips exactly', async () => {
      const c = await single({ v: dec('1234567890.123456789012345678901234') });
      assert.equal(String((await c.findOne({ _id: 1 } as Document))?.v), '1234567890.123456789012345678901234');
    });
  });

  describe('comparison across types', () => {
    it('{p: {$gt: Decimal128("5")}} matches the larger double and decimal values', async () => {
      assert.deepEqual(await ids({ p: { $gt: dec('5') } }), [3, 4, 6]);
    });
    it('$gte on an int matches long, double and decimal values', async () => {
      assert.deepEqual(await ids({ p: { $gte: 5 } }), [2, 3, 4, 5, 6]);
    });
    it('equality is numeric across types (5 == Long 5 == Decimal 5.00)', async () => {
      assert.deepEqual(await ids({ p: 5 }), [2, 5]);
      assert.deepEqual(await ids({ p: dec('6') }), [3]);
      assert.deepEqual(await ids({ p: { $in: [dec('7.50'), 4] } }), [1, 4]);
    });
    it('$lt on a Long', async () => {
      assert.deepEqual(await ids({ p: { $lt: Long.fromNumber(6) } }), [1, 2, 5, 6]);
    });
    it('Decimal128("9.99") and double 9.99 are not equal; 10 equals every numeric 10', async () => {
      const c = h.db.collection('nine');
      await c.insertMany([
        { _id: 1, val: dec('9.99') },
        { _id: 2, val: 9.99 },
        { _id: 3, val: new Double(10) },
        { _id: 4, val: Long.fromNumber(10) },
        { _id: 5, val: dec('10.0') },
      ] as Document[]);
      const find = async (filter: Filter<Document>) => idsOf(await c.find(filter).sort({ _id: 1 }).toArray());
      assert.deepEqual(await find({ val: 9.99 }), [2]);
      assert.deepEqual(await find({ val: dec('9.99') }), [1]);
      assert.deepEqual(await find({ val: 10 }), [3, 4, 5]);
      assert.deepEqual(await find({ val: dec('10') }), [3, 4, 5]);
    });
    it('$type distinguishes the numeric types', async () => {
      assert.deepEqual(await ids({ p: { $type: 'decimal' } }), [4, 5]);
      assert.deepEqual(await ids({ p: { $type: 'long' } }), [2]);
      assert.deepEqual(await ids({ p: { $type: 'int' } }), [1]);
      assert.deepEqual(await ids({ p: { $type: 'double' } }), [3, 6]);
      assert.deepEqual(await ids({ p: { $type: 19 } }), [4, 5]);
      assert.deepEqual(await ids({ p: { $type: 18 } }), [2]);
    });
    it('sorts by numeric value whatever the type', async () => {
      const docs = await h.db.collection('prices').find().sort({ p: 1, _id: 1 }).toArray();
      assert.deepEqual(idsOf(docs), [1, 2, 5, 6, 3, 4]);
      const desc = await h.db.collection('prices').find().sort({ p: -1, _id: 1 }).toArray();
      assert.deepEqual(idsOf(desc), [4, 3, 6, 2, 5, 1]);
    });
  });

  describe('aggregation arithmetic', () => {
    it('$sum of Decimal128 values is exact and Decimal128', async () => {
      const c = h.db.collection('dec_sum');
      await c.insertMany([{ v: dec('0.1') }, { v: dec('0.2') }, { v: dec('0.3') }]);
      const [row] = await c.aggregate([{ $group: { _id: null, total: { $sum: '$v' } } }]).toArray();
      assert.ok(row.total instanceof Decimal128, `expected Decimal128, got ${bsonTypeOf(row.total)}`);
      assert.equal(row.total.toString(), '0.6');
    });
    it('$sum of decimal products keeps the decimal scale', async () => {
      const c = h.db.collection('dec_money');
      await c.insertMany([
        { price: dec('12.00'), qty: new Int32(5) },
        { price: dec('1.95'), qty: new Int32(8) },
      ]);
      const [row] = await c.aggregate([{ $group: { _id: null, total: { $sum: { $multiply: ['$price', '$qty'] } } } }]).toArray();
      assert.ok(row.total instanceof Decimal128, `expected Decimal128, got ${bsonTypeOf(row.total)}`);
      assert.equal(row.total.toString(), '75.60');
    });
    it('$sum of an int and a decimal is a decimal', async () => {
      const c = h.db.collection('mixed_sum');
      await c.insertMany([{ v: new Int32(1) }, { v: dec('2.5') }]);
      const [row] = await c.aggregate([{ $group: { _id: null, total: { $sum: '$v' } } }]).toArray();
      assert.ok(row.total instanceof Decimal128, `expected Decimal128, got ${bsonTypeOf(row.total)}`);
      assert.equal(row.total.toString(), '3.5');
    });
    it('$sum of int32 values that overflow int32 becomes a Long', async () => {
      const c = h.db.collection('int_overflow_sum');
      await c.insertMany([{ v: new Int32(2147483647) }, { v: new Int32(1) }]);
      const [row] = await c.aggregate([{ $group: { _id: null, total: { $sum: '$v' } } }], { promoteValues: false }).toArray();
      assert.ok(row.total instanceof Long, `expected Long, got ${bsonTypeOf(row.total)}`);
      assert.equal(row.total.toString(), '2147483648');
    });
    it('$sum of Long values beyond 2^53 is exact', async () => {
      const c = h.db.collection('long_sum');
      await c.insertMany([{ v: Long.fromString('9007199254740993') }, { v: Long.fromNumber(1) }]);
      const [row] = await c.aggregate([{ $group: { _id: null, total: { $sum: '$v' } } }], { promoteLongs: false }).toArray();
      assert.ok(row.total instanceof Long, `expected Long, got ${bsonTypeOf(row.total)}`);
      assert.equal(row.total.toString(), '9007199254740994');
    });
    it('$avg of Decimal128 values is Decimal128; $avg of ints is a double', async () => {
      const c = h.db.collection('avg_types');
      await c.insertMany([
        { d: dec('1.5'), i: new Int32(1) },
        { d: dec('2.5'), i: new Int32(2) },
      ]);
      const [row] = await c
        .aggregate([{ $group: { _id: null, d: { $avg: '$d' }, i: { $avg: '$i' } } }], { promoteValues: false })
        .toArray();
      assert.ok(row.d instanceof Decimal128, `expected Decimal128, got ${bsonTypeOf(row.d)}`);
      assert.equal(Number(row.d.toString()), 2);
      assert.ok(row.i instanceof Double, `expected Double, got ${bsonTypeOf(row.i)}`);
      assert.equal(row.i.value, 1.5);
    });
    it('$max and $min across numeric types return the stored values with their types', async () => {
      const [row] = await h.db
        .collection('prices')
        .aggregate([{ $group: { _id: null, hi: { $max: '$p' }, lo: { $min: '$p' } } }], { promoteValues: false })
        .toArray();
      assert.ok(row.hi instanceof Decimal128, `expected Decimal128, got ${bsonTypeOf(row.hi)}`);
      assert.equal(row.hi.toString(), '7.5');
      assert.ok(row.lo instanceof Int32, `expected Int32, got ${bsonTypeOf(row.lo)}`);
      assert.equal(row.lo.value, 4);
    });
    it('$group puts numerically equal values of different types in one group', async () => {
      const rows = await h.db
        .collection('prices')
        .aggregate([{ $match: { p: 5 } }, { $group: { _id: '$p', n: { $sum: 1 } } }])
        .toArray();
      assert.equal(rows.length, 1);
      assert.equal(rows[0].n, 2);
    });
  });

  describe('update arithmetic', () => {
    it('$inc on a Long beyond 2^53 is exact and stays Long', async () => {
      const c = await single({ v: Long.fromString('9007199254740993') });
      await c.updateOne({ _id: 1 } as Document, { $inc: { v: 1 } });
      const doc = await raw(c);
      assert.ok(doc?.v instanceof Long, `expected Long, got ${bsonTypeOf(doc?.v)}`);
      assert.equal(doc.v.toString(), '9007199254740994');
    });
    it('$inc int32 + int32 stays int32', async () => {
      const c = await single({ v: new Int32(5) });
      await c.updateOne({ _id: 1 } as Document, { $inc: { v: new Int32(1) } });
      const doc = await raw(c);
      assert.ok(doc?.v instanceof Int32, `expected Int32, got ${bsonTypeOf(doc?.v)}`);
      assert.equal(doc.v.value, 6);
    });
    it('$inc past the int32 range widens to Long', async () => {
      const c = await single({ v: new Int32(2147483647) });
      await c.updateOne({ _id: 1 } as Document, { $inc: { v: new Int32(1) } });
      const doc = await raw(c);
      assert.ok(doc?.v instanceof Long, `expected Long, got ${bsonTypeOf(doc?.v)}`);
      assert.equal(doc.v.toString(), '2147483648');
    });
    it('$inc int32 by a double gives a double', async () => {
      const c = await single({ v: new Int32(5) });
      await c.updateOne({ _id: 1 } as Document, { $inc: { v: 0.5 } });
      const doc = await raw(c);
      assert.ok(doc?.v instanceof Double, `expected Double, got ${bsonTypeOf(doc?.v)}`);
      assert.equal(doc.v.value, 5.5);
    });
    it('$inc on a Decimal128 is exact decimal arithmetic', async () => {
      const c = await single({ v: dec('1.10') });
      await c.updateOne({ _id: 1 } as Document, { $inc: { v: new Int32(1) } });
      const doc = await raw(c);
      assert.ok(doc?.v instanceof Decimal128, `expected Decimal128, got ${bsonTypeOf(doc?.v)}`);
      assert.equal(doc.v.toString(), '2.10');
      await c.updateOne({ _id: 1 } as Document, { $inc: { v: dec('0.01') } });
      assert.equal(String((await raw(c))?.v), '2.11');
    });
    it('$mul on a Decimal128 keeps the decimal scale', async () => {
      const c = await single({ v: dec('2.50') });
      await c.updateOne({ _id: 1 } as Document, { $mul: { v: new Int32(2) } });
      const doc = await raw(c);
      assert.ok(doc?.v instanceof Decimal128, `expected Decimal128, got ${bsonTypeOf(doc?.v)}`);
      assert.equal(doc.v.toString(), '5.00');
    });
    it('$mul Long by int32 stays Long', async () => {
      const c = await single({ v: Long.fromNumber(6) });
      await c.updateOne({ _id: 1 } as Document, { $mul: { v: new Int32(7) } });
      const doc = await raw(c);
      assert.ok(doc?.v instanceof Long, `expected Long, got ${bsonTypeOf(doc?.v)}`);
      assert.equal(doc.v.toString(), '42');
    });
    it('$max with a decimal replaces a smaller double', async () => {
      const c = await single({ v: new Double(1.5) });
      await c.updateOne({ _id: 1 } as Document, { $max: { v: dec('1.51') } });
      const doc = await raw(c);
      assert.ok(doc?.v instanceof Decimal128, `expected Decimal128, got ${bsonTypeOf(doc?.v)}`);
      assert.equal(doc.v.toString(), '1.51');
    });
  });
});

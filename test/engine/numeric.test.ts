/**
 * Every operator family with each numeric BSON type (int32, double, Long, Decimal128):
 * storage round trip, query comparison, $type/$mod, sort, update arithmetic and aggregation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Decimal128, Double, Int32, Long, type Document } from 'mongodb';
import { startHarness, type Harness } from './helpers.ts';

/** Five expressed in every numeric type, and a fractional 5.5 where the type allows it. */
const FIVE: Record<string, unknown> = {
  int: new Int32(5),
  double: new Double(5),
  long: Long.fromNumber(5),
  decimal: Decimal128.fromString('5.0'),
};
const TYPES = Object.keys(FIVE);
const typeName = (v: unknown): string => (v as { _bsontype?: string })?._bsontype ?? typeof v;
const RAW = { promoteValues: false } as const;

describe('numeric BSON types', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    const docs: Document[] = [];
    let id = 0;
    for (const t of TYPES) docs.push({ _id: id++, t, v: FIVE[t] });
    docs.push({ _id: id++, t: 'int', v: 3 }, { _id: id++, t: 'double', v: 7.5 }, { _id: id++, t: 'long', v: Long.fromString('9007199254740993') });
    docs.push({ _id: id++, t: 'decimal', v: Decimal128.fromString('5.01') }, { _id: id++, t: 'string', v: '5' });
    await h.db.collection('nums').insertMany(docs);
  });
  after(async () => h.close());

  const ids = async (filter: Document, sort: Document = { _id: 1 }): Promise<unknown[]> =>
    (await h.db.collection('nums').find(filter).sort(sort).toArray()).map((d) => d._id);

  test('each type is stored and returned as exactly that type', async () => {
    const docs = await h.db.collection('nums').find({ _id: { $lt: 4 } } as Document, RAW).sort({ _id: 1 }).toArray();
    assert.deepEqual(docs.map((d) => typeName(d.v)), ['Int32', 'Double', 'Long', 'Decimal128']);
    assert.equal(String(docs[3].v), '5.0');
    const big = await h.db.collection('nums').findOne({ _id: 6 } as Document);
    assert.equal(String(big?.v), '9007199254740993', 'a Long beyond 2^53 stays exact');
  });

  for (const q of TYPES) {
    test(`query operators with a ${q} operand compare by value across all numeric types`, async () => {
      const five = FIVE[q];
      assert.deepEqual(await ids({ v: five }), [0, 1, 2, 3]);
      assert.deepEqual(await ids({ v: { $eq: five } }), [0, 1, 2, 3]);
      assert.deepEqual(await ids({ v: { $ne: five } }), [4, 5, 6, 7, 8]);
      assert.deepEqual(await ids({ v: { $gt: five } }), [5, 6, 7]);
      assert.deepEqual(await ids({ v: { $gte: five } }), [0, 1, 2, 3, 5, 6, 7]);
      assert.deepEqual(await ids({ v: { $lt: five } }), [4]);
      assert.deepEqual(await ids({ v: { $lte: five } }), [0, 1, 2, 3, 4]);
      assert.deepEqual(await ids({ v: { $in: [five, 'x'] } }), [0, 1, 2, 3]);
      assert.deepEqual(await ids({ v: { $nin: [five] } }), [4, 5, 6, 7, 8]);
      assert.deepEqual(await ids({ $expr: { $eq: ['$v', five] } }), [0, 1, 2, 3]);
    });
  }

  test('$type tells the numeric types apart; "number" matches all of them', async () => {
    assert.deepEqual(await ids({ v: { $type: 'int' } }), [0, 4]);
    assert.deepEqual(await ids({ v: { $type: 'double' } }), [1, 5]);
    assert.deepEqual(await ids({ v: { $type: 'long' } }), [2, 6]);
    assert.deepEqual(await ids({ v: { $type: 'decimal' } }), [3, 7]);
    assert.deepEqual(await ids({ v: { $type: 'number' } }), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(await ids({ v: { $type: [16, 18] } }), [0, 2, 4, 6]);
  });

  test('$mod works on every numeric type', async () => {
    // The dividend is truncated toward zero: Decimal128('5.01') counts as 5.
    assert.deepEqual(await ids({ v: { $mod: [5, 0] } }), [0, 1, 2, 3, 7]);
    assert.deepEqual(await ids({ v: { $mod: [Long.fromNumber(2), 1] } }), [0, 1, 2, 3, 4, 5, 6, 7]);
  });

  test('sorting orders numbers by value regardless of type; strings come after numbers', async () => {
    const order = await ids({}, { v: 1, _id: 1 });
    assert.deepEqual(order, [4, 0, 1, 2, 3, 7, 5, 6, 8]);
  });

  describe('update arithmetic keeps MongoDB result types', () => {
    let n = 0;
    async function after1(v: unknown, update: Document): Promise<unknown> {
      const c = h.db.collection(`upd${++n}`);
      await c.insertOne({ _id: 1, v } as Document);
      await c.updateOne({ _id: 1 } as Document, update);
      return (await c.findOne({ _id: 1 } as Document, RAW))?.v;
    }
    const cases: Array<[string, unknown, Document, string, string]> = [
      ['int + int', 5, { $inc: { v: 2 } }, 'Int32', '7'],
      ['int + int overflowing int32 widens to Long', 2147483647, { $inc: { v: 1 } }, 'Long', '2147483648'],
      ['int + double', 5, { $inc: { v: 0.5 } }, 'Double', '5.5'],
      ['double + int stays double even when integral', new Double(5.5), { $inc: { v: new Double(0.5) } }, 'Double', '6'],
      ['Long + int stays Long', Long.fromNumber(5), { $inc: { v: 1 } }, 'Long', '6'],
      ['Long beyond 2^53 + 1 is exact', Long.fromString('9007199254740993'), { $inc: { v: 1 } }, 'Long', '9007199254740994'],
      ['Decimal128 + double', Decimal128.fromString('1.10'), { $inc: { v: 2 } }, 'Decimal128', '3.10'],
      ['Decimal128 * int', Decimal128.fromString('19.99'), { $mul: { v: 3 } }, 'Decimal128', '59.97'],
      ['Long * int', Long.fromNumber(6), { $mul: { v: 7 } }, 'Long', '42'],
      ['$min with a decimal', 10, { $min: { v: Decimal128.fromString('9.5') } }, 'Decimal128', '9.5'],
      ['$max with a Long', 10, { $max: { v: Long.fromNumber(11) } }, 'Long', '11'],
      ['$max keeps the larger existing value', Decimal128.fromString('12'), { $max: { v: 11 } }, 'Decimal128', '12'],
    ];
    for (const [name, start, update, type, value] of cases) {
      test(name, async () => {
        const v = await after1(start, update);
        assert.equal(typeName(v), type);
        assert.equal(String(v), value);
      });
    }
  });

  test('aggregation accumulators and arithmetic follow the widest type', async () => {
    const c = h.db.collection('money');
    await c.insertMany([
      { k: 'a', p: Decimal128.fromString('0.10') },
      { k: 'a', p: Decimal128.fromString('0.20') },
      { k: 'a', p: 1 },
      { k: 'b', p: 2147483647 },
      { k: 'b', p: 1 },
      { k: 'c', p: Long.fromNumber(4) },
      { k: 'c', p: 0.5 },
    ]);
    const rows = await c.aggregate([
      { $group: { _id: '$k', sum: { $sum: '$p' }, avg: { $avg: '$p' }, min: { $min: '$p' }, max: { $max: '$p' } } },
      { $sort: { _id: 1 } },
    ], RAW).toArray();
    assert.deepEqual(rows.map((r) => [typeName(r.sum), String(r.sum)]), [['Decimal128', '1.30'], ['Long', '2147483648'], ['Double', '4.5']]);
    assert.equal(String(rows[0].min), '0.10');
    assert.equal(typeName(rows[0].avg), 'Decimal128');
    const [x] = await c.aggregate([
      { $match: { k: 'a' } }, { $limit: 1 },
      { $project: { add: { $add: ['$p', 1] }, sub: { $subtract: ['$p', 1] }, mul: { $multiply: ['$p', 3] }, div: { $divide: ['$p', 4] }, gt: { $gt: ['$p', 0.05] } } },
    ], RAW).toArray();
    assert.deepEqual([x.add, x.sub, x.mul, x.div].map(String), ['1.10', '-0.90', '0.30', '0.025']);
    assert.equal(x.gt, true);
  });

  test('distinct and $group treat numerically equal values of different types as one', async () => {
    const values = await h.db.collection('nums').distinct('v', { _id: { $lt: 4 } } as Document);
    assert.equal(values.length, 1);
    const groups = await h.db.collection('nums').aggregate([{ $match: { _id: { $lt: 4 } } }, { $group: { _id: '$v', n: { $sum: 1 } } }]).toArray();
    assert.deepEqual(groups.map((g) => g.n), [4]);
  });
});

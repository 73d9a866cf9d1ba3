/**
 * Probes of commonly used aggregation expressions against the MongoDB 7.0
 * aggregation operator reference (date, conditional, array, string, type
 * conversion and object operators).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal128, Long, ObjectId, type Document } from 'mongodb';
import { openHarness, closeHarness, expectServerError, type Harness } from './harness.ts';

describe('probe: aggregation expressions', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness('probe_agg_expr');
    await h.db.collection('one').insertOne({ _id: 1 } as Document);
  });
  after(async () => {
    await closeHarness(h);
  });

  /** Evaluates expressions against one document {_id: 1, ...doc}. */
  async function evaluate(doc: Document, fields: Document): Promise<Document> {
    const [out] = await h.db
      .collection('one')
      .aggregate([{ $replaceWith: { $mergeObjects: ['$$ROOT', { $literal: doc }] } }, { $project: { _id: 0, ...fields } }])
      .toArray();
    return out;
  }

  const d = new Date('2024-03-10T15:04:05.678Z');

  // $dateToString format specifiers (%Y %m %d %H %M %S %L %j %w %u %U %G %V %Z %z %%) and timezone.
  it('$dateToString specifiers and timezones', async () => {
    const out = await evaluate({ d }, {
      a: { $dateToString: { date: '$d', format: '%Y-%m-%dT%H:%M:%S.%LZ' } },
      b: { $dateToString: { date: '$d', format: '%j %w %u %%' } },
      c: { $dateToString: { date: '$d', format: '%H:%M %z %Z', timezone: 'America/New_York' } },
      e: { $dateToString: { date: '$d', format: '%H:%M', timezone: '+05:30' } },
      f: { $dateToString: { date: '$missing', format: '%Y' } },
      g: { $dateToString: { date: '$missing', onNull: 'none' } },
      i: { $dateToString: { date: '$d', format: '%G-W%V-%u' } },
    });
    assert.deepEqual(out, {
      a: '2024-03-10T15:04:05.678Z',
      b: '070 1 7 %',
      c: '11:04 -0400 -240',
      e: '20:34',
      f: null,
      g: 'none',
      i: '2024-W10-7',
    });
  });

  // $dateFromString with format and timezone; onError and onNull.
  it('$dateFromString', async () => {
    const out = await evaluate({ s: '2024-03-10 08:00', bad: 'nope' }, {
      a: { $dateFromString: { dateString: '$s', timezone: 'Europe/Paris' } },
      b: { $dateFromString: { dateString: '10/03/2024', format: '%d/%m/%Y' } },
      c: { $dateFromString: { dateString: '$bad', onError: 'err' } },
      e: { $dateFromString: { dateString: '$missing', onNull: 'null!' } },
      f: { $dateFromString: { dateString: '2024-03-10T08:00:00Z' } },
    });
    assert.deepEqual(out, {
      a: new Date('2024-03-10T07:00:00Z'),
      b: new Date('2024-03-10T00:00:00Z'),
      c: 'err',
      e: 'null!',
      f: new Date('2024-03-10T08:00:00Z'),
    });
  });

  // $dateAdd / $dateSubtract / $dateDiff with units and a timezone.
  it('$dateAdd, $dateSubtract and $dateDiff', async () => {
    const out = await evaluate({ d, e: new Date('2024-05-01T00:00:00Z') }, {
      plusMonth: { $dateAdd: { startDate: '$d', unit: 'month', amount: 1 } },
      minusDay: { $dateSubtract: { startDate: '$d', unit: 'day', amount: 10 } },
      days: { $dateDiff: { startDate: '$d', endDate: '$e', unit: 'day' } },
      weeks: { $dateDiff: { startDate: '$d', endDate: '$e', unit: 'week' } },
      months: { $dateDiff: { startDate: '$d', endDate: '$e', unit: 'month' } },
      endOfJan: { $dateAdd: { startDate: new Date('2024-01-31T00:00:00Z'), unit: 'month', amount: 1 } },
    });
    assert.deepEqual(out, {
      plusMonth: new Date('2024-04-10T15:04:05.678Z'),
      minusDay: new Date('2024-02-29T15:04:05.678Z'),
      days: 52,
      weeks: 7,
      months: 2,
      endOfJan: new Date('2024-02-29T00:00:00Z'),
    });
  });

  // $dateToParts and $dateFromParts; $isoWeek, $isoWeekYear, $isoDayOfWeek; $week.
  it('$dateToParts, $dateFromParts and ISO week parts', async () => {
    const out = await evaluate({ d }, {
      parts: { $dateToParts: { date: '$d' } },
      back: { $dateFromParts: { year: 2024, month: 3, day: 10, hour: 15 } },
      overflow: { $dateFromParts: { year: 2024, month: 14, day: 1 } },
      iw: { $isoWeek: '$d' },
      iy: { $isoWeekYear: '$d' },
      idw: { $isoDayOfWeek: '$d' },
      w: { $week: '$d' },
    });
    assert.deepEqual(out, {
      parts: { year: 2024, month: 3, day: 10, hour: 15, minute: 4, second: 5, millisecond: 678 },
      back: new Date('2024-03-10T15:00:00Z'),
      overflow: new Date('2025-02-01T00:00:00Z'),
      iw: 10,
      iy: 2024,
      idw: 7,
      w: 10,
    });
  });

  // $switch with a default, and without a default when nothing matches (error 40066).
  it('$switch', async () => {
    const out = await evaluate({ n: 7 }, {
      s: { $switch: { branches: [{ case: { $lt: ['$n', 5] }, then: 'low' }, { case: { $lt: ['$n', 10] }, then: 'mid' }], default: 'high' } },
    });
    assert.deepEqual(out, { s: 'mid' });
    await expectServerError(evaluate({ n: 70 }, { s: { $switch: { branches: [{ case: { $lt: ['$n', 5] }, then: 'low' }] } } }), 40066);
  });

  // $cond array form, $ifNull with several arguments.
  it('$cond array form and $ifNull with several fallbacks', async () => {
    const out = await evaluate({ a: null }, {
      c: { $cond: [{ $gt: [2, 1] }, 'yes', 'no'] },
      i: { $ifNull: ['$a', '$missing', 'third'] },
    });
    assert.deepEqual(out, { c: 'yes', i: 'third' });
  });

  // $filter with as and limit, $map, $reduce, $let.
  it('$filter with limit, $map, $reduce and $let', async () => {
    const out = await evaluate({ xs: [1, 2, 3, 4, 5] }, {
      f: { $filter: { input: '$xs', as: 'x', cond: { $gt: ['$$x', 1] }, limit: 2 } },
      m: { $map: { input: '$xs', in: { $multiply: ['$$this', 10] } } },
      r: { $reduce: { input: '$xs', initialValue: { sum: 0, n: 0 }, in: { sum: { $add: ['$$value.sum', '$$this'] }, n: { $add: ['$$value.n', 1] } } } },
      l: { $let: { vars: { a: 2, b: { $size: '$xs' } }, in: { $multiply: ['$$a', '$$b'] } } },
      nullIn: { $map: { input: '$missing', in: 1 } },
    });
    assert.deepEqual(out, { f: [2, 3], m: [10, 20, 30, 40, 50], r: { sum: 15, n: 5 }, l: 10, nullIn: null });
  });

  // Array operators: $arrayElemAt negative, out of range (missing), $first/$last, $concatArrays,
  // $in, $indexOfArray, $slice, $reverseArray, $range, $zip, $isArray, $size errors.
  it('array operators', async () => {
    const out = await evaluate({ xs: ['a', 'b', 'c'] }, {
      at: { $arrayElemAt: ['$xs', -1] },
      out: { $arrayElemAt: ['$xs', 5] },
      first: { $first: '$xs' },
      last: { $last: '$xs' },
      cat: { $concatArrays: ['$xs', [1], []] },
      catNull: { $concatArrays: ['$xs', '$missing'] },
      inn: { $in: ['b', '$xs'] },
      idx: { $indexOfArray: ['$xs', 'c'] },
      idxFrom: { $indexOfArray: ['$xs', 'a', 1] },
      sl: { $slice: ['$xs', 1, 1] },
      rev: { $reverseArray: '$xs' },
      rng: { $range: [0, 10, 4] },
      zip: { $zip: { inputs: ['$xs', [1, 2]] } },
      isA: { $isArray: '$xs' },
    });
    assert.deepEqual(out, {
      at: 'c', first: 'a', last: 'c', cat: ['a', 'b', 'c', 1], catNull: null, inn: true, idx: 2, idxFrom: -1,
      sl: ['b'], rev: ['c', 'b', 'a'], rng: [0, 4, 8], zip: [['a', 1], ['b', 2]], isA: true,
    });
    await expectServerError(evaluate({}, { x: { $in: ['a', '$missing'] } }), 40081);
    await expectServerError(evaluate({ s: 'x' }, { x: { $size: '$s' } }), 17124);
  });

  // String operators.
  it('string operators', async () => {
    const out = await evaluate({ s: '  Héllo World  ', t: 'a,b,,c' }, {
      sub: { $substrCP: ['Héllo', 1, 3] },
      subB: { $substrBytes: ['abcdef', 2, 2] },
      up: { $toUpper: 'abc' },
      low: { $toLower: null },
      sp: { $split: ['$t', ','] },
      tr: { $trim: { input: '$s' } },
      ltr: { $ltrim: { input: 'xxaxx', chars: 'x' } },
      len: { $strLenCP: 'Héllo' },
      lenB: { $strLenBytes: 'Héllo' },
      idx: { $indexOfCP: ['Héllo', 'l'] },
      cmp: { $strcasecmp: ['abc', 'ABD'] },
      rep: { $replaceAll: { input: 'a-b-c', find: '-', replacement: '+' } },
      rep1: { $replaceOne: { input: 'a-b-c', find: '-', replacement: '+' } },
      cat: { $concat: ['a', null] },
      rm: { $regexMatch: { input: 'Hello', regex: '^h', options: 'i' } },
      rf: { $regexFind: { input: 'abc123', regex: '[0-9]+' } },
      rfa: { $size: { $regexFindAll: { input: 'a1b22', regex: '[0-9]+' } } },
    });
    assert.deepEqual(out, {
      sub: 'éll', subB: 'cd', up: 'ABC', low: '', sp: ['a', 'b', '', 'c'], tr: 'Héllo World', ltr: 'axx', len: 5, lenB: 6,
      idx: 2, cmp: -1, rep: 'a+b+c', rep1: 'a+b-c', cat: null, rm: true, rf: { match: '123', idx: 3, captures: [] }, rfa: 2,
    });
  });

  // Conversion: $toString, $toInt (truncates doubles; fails on '12.5'), $convert onError/onNull, $toBool, $toDate, $toObjectId, $toDecimal, $toLong, $type.
  it('type conversions', async () => {
    const oid = new ObjectId('65f000000000000000000000');
    const out = await evaluate({ oid }, {
      s1: { $toString: 12.5 },
      s2: { $toString: '$oid' },
      s3: { $toString: new Date('2024-01-01T00:00:00Z') },
      s4: { $toString: true },
      i1: { $toInt: 12.9 },
      i2: { $toInt: '42' },
      c1: { $convert: { input: '12.5', to: 'int', onError: 'bad' } },
      c2: { $convert: { input: '$missing', to: 'int', onNull: 0 } },
      c3: { $convert: { input: '7', to: 'double' } },
      c4: { $convert: { input: 5, to: 'string' } },
      b1: { $toBool: 0 },
      b2: { $toBool: 'false' },
      d1: { $toDate: '2024-01-01' },
      d2: { $toDate: '$oid' },
      o1: { $toObjectId: '65f000000000000000000000' },
      t1: { $type: '$missing' },
      t2: { $type: 1.5 },
      t3: { $type: [[]] },
      n: { $isNumber: '5' },
    });
    assert.deepEqual(out, {
      s1: '12.5', s2: '65f000000000000000000000', s3: '2024-01-01T00:00:00.000Z', s4: 'true', i1: 12, i2: 42,
      c1: 'bad', c2: 0, c3: 7, c4: '5', b1: false, b2: true, d1: new Date('2024-01-01T00:00:00Z'),
      d2: new Date(0x65f00000 * 1000), o1: oid, t1: 'missing', t2: 'double', t3: 'array', n: false,
    });
    await expectServerError(evaluate({}, { x: { $toInt: '12.5' } }), 241);
    await expectServerError(evaluate({}, { x: { $toInt: 'abc' } }), 241);
  });

  // $toLong / $toDecimal types.
  it('$toLong and $toDecimal give Long and Decimal128', async () => {
    const [out] = await h.db.collection('one').aggregate([{ $project: { _id: 0, l: { $toLong: '5' }, dd: { $toDecimal: '1.10' } } }], { promoteLongs: false }).toArray();
    assert.ok(out.l instanceof Long);
    assert.ok(out.dd instanceof Decimal128);
    assert.equal(out.dd.toString(), '1.10');
  });

  // Arithmetic: $round half to even with places, negative places, $trunc, $mod, $divide by 0 (2), $pow, $abs.
  it('$round, $trunc, $ceil, $floor, $divide by zero', async () => {
    const out = await evaluate({}, {
      r1: { $round: [2.5, 0] },
      r2: { $round: [3.5] },
      r3: { $round: [1234.5678, 2] },
      r4: { $round: [1234.5678, -2] },
      t1: { $trunc: [1.99, 1] },
      c: { $ceil: 1.2 },
      f: { $floor: -1.2 },
      m: { $mod: [-7, 3] },
      rn: { $round: [null, 1] },
    });
    assert.deepEqual(out, { r1: 2, r2: 4, r3: 1234.57, r4: 1200, t1: 1.9, c: 2, f: -2, m: -1, rn: null });
    await expectServerError(evaluate({}, { x: { $divide: [1, 0] } }), 2);
  });

  // Objects: $objectToArray, $arrayToObject (both forms), $mergeObjects with null, $getField, $setField.
  it('object operators', async () => {
    const out = await evaluate({ o: { a: 1, b: { c: 2 } } }, {
      o2a: { $objectToArray: '$o' },
      a2o: { $arrayToObject: [[['x', 1], ['y', 2]]] },
      a2o2: { $arrayToObject: { $literal: [{ k: 'p', v: 1 }, { k: 'p', v: 2 }] } },
      mo: { $mergeObjects: ['$o', null, { a: 9 }] },
      gf: { $getField: { field: 'a', input: '$o' } },
      sf: { $setField: { field: 'z', input: '$o', value: 0 } },
    });
    assert.deepEqual(out, {
      o2a: [{ k: 'a', v: 1 }, { k: 'b', v: { c: 2 } }],
      a2o: { x: 1, y: 2 },
      a2o2: { p: 2 },
      mo: { a: 9, b: { c: 2 } },
      gf: 1,
      sf: { a: 1, b: { c: 2 }, z: 0 },
    });
  });

  // Set operators.
  it('set operators', async () => {
    const out = await evaluate({}, {
      u: { $setUnion: [[1, 2], [2, 3]] },
      i: { $setIntersection: [[1, 2, 3], [2, 3, 4]] },
      d: { $setDifference: [[1, 2, 3], [2]] },
      e: { $setEquals: [[1, 2], [2, 1, 1]] },
      s: { $setIsSubset: [[1], [1, 2]] },
      any: { $anyElementTrue: [[0, false, 1]] },
      all: { $allElementsTrue: [[1, true, []]] },
    });
    assert.deepEqual({ ...out, u: [...out.u].sort(), i: [...out.i].sort() }, { u: [1, 2, 3], i: [2, 3], d: [1, 3], e: true, s: true, any: true, all: true });
  });

  // Comparisons across types in expressions use BSON order: null < number < string.
  it('expression comparisons use the BSON order across types', async () => {
    const out = await evaluate({}, {
      a: { $lt: [null, 0] },
      b: { $gt: ['a', 5] },
      c: { $cmp: [[1], 1] },
      e: { $eq: ['$missing', null] },
      f: { $max: [null, 1, 'x'] },
      g: { $min: ['$missing', 3] },
    });
    assert.deepEqual(out, { a: true, b: true, c: 1, e: false, f: 'x', g: 3 });
  });
});

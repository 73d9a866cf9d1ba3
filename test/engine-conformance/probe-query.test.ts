/**
 * Probes of query operators against the MongoDB 7.0 query-operator manual pages
 * ($elemMatch, $all, $size, $type, $exists, null semantics, $mod, $regex, $not,
 * $nor, dotted paths, type bracketing, bitwise operators).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Binary, BSONRegExp, Decimal128, Double, Long, MinKey, MaxKey, type Document, type Filter } from 'mongodb';
import { openHarness, closeHarness, expectServerError, type Harness } from './harness.ts';

type Loose = { _id?: number | string | Document; [key: string]: unknown };

describe('probe: query operators', () => {
  let h: Harness;
  let n = 0;
  before(async () => {
    h = await openHarness('probe_query');
  });
  after(async () => {
    await closeHarness(h);
  });

  /** Inserts docs with _id 1..n and returns the ids matching the filter, in _id order. */
  async function ids(docs: Document[], filter: Document): Promise<unknown[]> {
    const c = h.db.collection<Loose>(`q${n++}`);
    await c.insertMany(docs.map((d, i) => ({ _id: i + 1, ...d })));
    return (await c.find(filter as Filter<Loose>).sort({ _id: 1 }).toArray()).map((d) => d._id);
  }

  // $all with $elemMatch: every $elemMatch must be satisfied by some element.
  it('$all with $elemMatch clauses', async () => {
    const docs = [
      { q: [{ s: 'M', n: 45 }, { s: 'L', n: 100 }] },
      { q: [{ s: 'M', n: 10 }, { s: 'L', n: 100 }] },
      { q: [{ s: 'S', n: 45 }] },
    ];
    assert.deepEqual(await ids(docs, { q: { $all: [{ $elemMatch: { s: 'M', n: { $gt: 40 } } }, { $elemMatch: { s: 'L' } }] } }), [1]);
  });

  // $all with nested arrays: {a: {$all: [[1,2]]}} matches a = [1,2] and a containing [1,2].
  it('$all with an array element matches the array itself and arrays containing it', async () => {
    assert.deepEqual(await ids([{ a: [1, 2] }, { a: [[1, 2], 3] }, { a: [1, 2, 3] }], { a: { $all: [[1, 2]] } }), [1, 2]);
  });

  // $all: [] matches nothing.
  it('$all with an empty array matches nothing', async () => {
    assert.deepEqual(await ids([{ a: [] }, { a: [1] }], { a: { $all: [] } }), []);
  });

  // $size 0 matches empty arrays only; $size does not match non-arrays.
  it('$size 0 and on non-arrays', async () => {
    assert.deepEqual(await ids([{ a: [] }, { a: null }, {}, { a: [1] }, { a: 'x' }], { a: { $size: 0 } }), [1]);
  });

  // $size through a dotted path on an array of docs.
  it('$size on a dotted path fans out over array elements', async () => {
    assert.deepEqual(await ids([{ a: [{ b: [1, 2] }, { b: [1] }] }, { a: [{ b: [] }] }], { 'a.b': { $size: 1 } }), [1]);
  });

  // $type aliases: 'double', 'string', 'object', 'array', 'binData', 'objectId', 'bool', 'date', 'null', 'regex', 'int', 'long', 'decimal', 'minKey', 'maxKey'.
  it('$type aliases for many BSON types', async () => {
    const docs = [
      { v: 1.5 }, { v: 'x' }, { v: { a: 1 } }, { v: [] }, { v: new Binary(Buffer.from('a')) },
      { v: true }, { v: new Date(0) }, { v: null }, { v: /x/ }, { v: 1 }, { v: Long.fromNumber(2) },
      { v: Decimal128.fromString('1') }, { v: new MinKey() }, { v: new MaxKey() },
    ];
    assert.deepEqual(await ids(docs, { v: { $type: 'double' } }), [1]);
    assert.deepEqual(await ids(docs, { v: { $type: 'object' } }), [3]);
    assert.deepEqual(await ids(docs, { v: { $type: 'array' } }), [4]);
    assert.deepEqual(await ids(docs, { v: { $type: 'binData' } }), [5]);
    assert.deepEqual(await ids(docs, { v: { $type: 'bool' } }), [6]);
    assert.deepEqual(await ids(docs, { v: { $type: 'null' } }), [8]);
    assert.deepEqual(await ids(docs, { v: { $type: 'regex' } }), [9]);
    assert.deepEqual(await ids(docs, { v: { $type: 'minKey' } }), [13]);
    assert.deepEqual(await ids(docs, { v: { $type: ['int', 'long'] } }), [10, 11]);
    assert.deepEqual(await ids(docs, { v: { $type: -1 } }), [13]);
    assert.deepEqual(await ids(docs, { v: { $type: 127 } }), [14]);
    assert.deepEqual(await ids(docs, { v: { $type: 'number' } }), [1, 10, 11, 12]);
  });

  // A stored Double with an integral value is of type 'double'.
  it('$type double matches an integral Double', async () => {
    assert.deepEqual(await ids([{ v: new Double(5) }, { v: 5 }], { v: { $type: 'double' } }), [1]);
  });

  // $exists on array positions and nested fields in arrays.
  it('$exists with numeric positions and through arrays', async () => {
    const docs = [{ a: [1, 2] }, { a: [1] }, { a: [{ b: 1 }, {}] }, { a: [{}] }];
    assert.deepEqual(await ids(docs, { 'a.1': { $exists: true } }), [1, 3]);
    assert.deepEqual(await ids(docs, { 'a.b': { $exists: true } }), [3]);
    assert.deepEqual(await ids(docs, { 'a.b': { $exists: false } }), [1, 2, 4]);
  });

  // {f: null} matches arrays containing null.
  it('null equality through arrays', async () => {
    const docs = [{ a: [1, null] }, { a: [1] }, { a: [{ b: 1 }, { c: 1 }] }, { a: [{ b: 1 }] }, { a: [] }];
    assert.deepEqual(await ids(docs, { a: null }), [1]);
  });

  // {'a.b': null} matches a non-document a, a document without b, and arrays holding a document
  // whose b is null or missing; arrays holding no document at all (empty, scalars) do not match,
  // so they match {$ne: null} (MongoDB 7.0 null query semantics).
  it('dotted null equality through arrays', async () => {
    const docs = [
      { a: 4 }, {}, { a: {} }, { a: [{ b: 3 }, {}] }, { a: [{ b: null }] },
      { a: [] }, { a: [1, null] }, { a: [[]] }, { a: [{ b: 1 }] },
    ];
    assert.deepEqual(await ids(docs, { 'a.b': null }), [1, 2, 3, 4, 5]);
    assert.deepEqual(await ids(docs, { 'a.b': { $ne: null } }), [6, 7, 8, 9]);
    assert.deepEqual(await ids(docs, { 'a.b': { $in: [null, 75] } }), [1, 2, 3, 4, 5]);
    assert.deepEqual(await ids(docs, { 'a.b': { $exists: false } }), [1, 2, 3, 6, 7, 8]);
    // The same answers when an index on a.b serves the query.
    const c = h.db.collection<Loose>(`q${n++}`);
    await c.createIndex({ 'a.b': 1 });
    await c.insertMany(docs.map((d, i) => ({ _id: i + 1, ...d })));
    assert.deepEqual((await c.find({ 'a.b': null }).sort({ _id: 1 }).toArray()).map((d) => d._id), [1, 2, 3, 4, 5]);
  });

  // $ne: null / $exists interplay with arrays containing null.
  it('$ne null excludes arrays containing null', async () => {
    assert.deepEqual(await ids([{ a: [1, null] }, { a: [1] }, {}], { a: { $ne: null } }), [2]);
  });

  // $mod with decimals truncates; negative divisor; divisor 0 fails (2).
  it('$mod truncates fractional values and refuses divisor 0', async () => {
    assert.deepEqual(await ids([{ v: 5.5 }, { v: 6 }, { v: -5 }, { v: 'x' }], { v: { $mod: [5, 0] } }), [1, 3]);
    await expectServerError(h.db.collection('q_mod').find({ v: { $mod: [0, 1] } }).toArray(), 2);
    await expectServerError(h.db.collection('q_mod').find({ v: { $mod: [1, 2, 3] } }).toArray(), 2);
  });

  // $regex with $options and $in with regexes; a regex also matches string array elements.
  it('$regex with $options, regex in $in, array elements', async () => {
    const docs = [{ s: 'Apple' }, { s: ['x', 'apricot'] }, { s: 'banana' }, { s: 5 }];
    assert.deepEqual(await ids(docs, { s: { $regex: '^a', $options: 'i' } }), [1, 2]);
    assert.deepEqual(await ids(docs, { s: { $in: [/^b/, 'Apple'] } }), [1, 3]);
    assert.deepEqual(await ids(docs, { s: { $nin: [/^a/i] } }), [3, 4]);
    assert.deepEqual(await ids(docs, { s: new BSONRegExp('^A', '') }), [1]);
  });

  // $regex: an option in both regex and $options fails (51075).
  it('$options given with a regex that has its own options fails with 51075', async () => {
    await expectServerError(h.db.collection('q_re').find({ s: { $regex: /a/i, $options: 'm' } }).toArray(), 51075);
  });

  // $not with a regex object and with an operator document; $not with a non-document fails (2).
  it('$not forms', async () => {
    const docs = [{ s: 'abc' }, { s: 'xyz' }, {}];
    assert.deepEqual(await ids(docs, { s: { $not: /^a/ } }), [2, 3]);
    assert.deepEqual(await ids(docs, { s: { $not: { $regex: '^x' } } }), [1, 3]);
    await expectServerError(h.db.collection('q_not').find({ s: { $not: 5 } }).toArray(), 2);
    await expectServerError(h.db.collection('q_not').find({ s: { $not: {} } }).toArray(), 2);
  });

  // $nor with a nested $or and $elemMatch.
  it('$nor with nested logical operators', async () => {
    const docs = [{ a: 1, b: 1 }, { a: 2 }, { b: 2 }];
    assert.deepEqual(await ids(docs, { $nor: [{ $or: [{ a: 1 }, { b: 2 }] }] }), [2]);
  });

  // Empty $and/$or/$nor arrays fail with 2.
  it('$or with an empty array fails with 2', async () => {
    await expectServerError(h.db.collection('q_or').find({ $or: [] }).toArray(), 2);
    await expectServerError(h.db.collection('q_or').find({ $nor: [] }).toArray(), 2);
  });

  // Numeric path components address arrays or fields named by digits.
  it('numeric path components on arrays and on documents with numeric keys', async () => {
    const docs = [{ a: [{ b: 5 }, { b: 6 }] }, { a: { 0: { b: 5 } } }, { a: [[{ b: 5 }]] }];
    // a.0 of doc 3 is an array, whose documents the next component then reaches.
    assert.deepEqual(await ids(docs, { 'a.0.b': 5 }), [1, 2, 3]);
    assert.deepEqual(await ids(docs, { 'a.1.b': 6 }), [1]);
  });

  // Comparison across types is bracketed: {$gt: 1} does not match strings; {$lt: 'a'} no numbers.
  it('type bracketing of range operators', async () => {
    const docs = [{ v: 5 }, { v: 'z' }, { v: new Date(5) }, { v: null }, { v: true }, { v: [2, 'b'] }];
    assert.deepEqual(await ids(docs, { v: { $gt: 1 } }), [1, 6]);
    assert.deepEqual(await ids(docs, { v: { $gte: 'a' } }), [2, 6]);
    assert.deepEqual(await ids(docs, { v: { $gte: null } }), [4]);
    assert.deepEqual(await ids(docs, { v: { $lte: new Date(10) } }), [3]);
    assert.deepEqual(await ids(docs, { v: { $gt: new MinKey() } }), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(await ids([{ v: 1 }, {}, { v: new MaxKey() }], { v: { $lt: new MaxKey() } }), [1, 2]);
  });

  // $in with [] matches nothing; $nin with [] matches everything.
  it('$in [] and $nin []', async () => {
    const docs = [{ a: 1 }, {}];
    assert.deepEqual(await ids(docs, { a: { $in: [] } }), []);
    assert.deepEqual(await ids(docs, { a: { $nin: [] } }), [1, 2]);
  });

  // $elemMatch on scalars with operators; $elemMatch with $not inside.
  it('$elemMatch on scalar arrays', async () => {
    const docs = [{ r: [82, 85, 88] }, { r: [75, 88, 89] }, { r: 85 }];
    assert.deepEqual(await ids(docs, { r: { $elemMatch: { $gte: 80, $lt: 85 } } }), [1]);
    assert.deepEqual(await ids(docs, { r: { $elemMatch: { $not: { $gte: 80 } } } }), [2]);
  });

  // $elemMatch with $and/$or of element fields.
  it('$elemMatch with logical operators inside', async () => {
    const docs = [{ a: [{ x: 1, y: 2 }] }, { a: [{ x: 1 }, { y: 2 }] }];
    assert.deepEqual(await ids(docs, { a: { $elemMatch: { $or: [{ x: 2 }, { y: 2 }], x: 1 } } }), [1]);
  });

  // Equality to a document inside an array of documents.
  it('document equality matches array elements', async () => {
    assert.deepEqual(await ids([{ a: [{ x: 1 }, { x: 2, y: 1 }] }, { a: { x: 1 } }], { a: { x: 1 } }), [1, 2]);
  });

  // $bitsAllSet / $bitsAnySet / $bitsAllClear / $bitsAnyClear with positions and masks.
  it('bitwise operators', async () => {
    const docs = [{ v: 54 }, { v: 20 }, { v: 20.0 }, { v: 'x' }, { v: 102 }];
    assert.deepEqual(await ids(docs, { v: { $bitsAllSet: [1, 5] } }), [1, 5]);
    assert.deepEqual(await ids(docs, { v: { $bitsAllSet: 35 } }), []);
    assert.deepEqual(await ids(docs, { v: { $bitsAnySet: [1, 5] } }), [1, 5]);
    assert.deepEqual(await ids(docs, { v: { $bitsAllClear: [1, 5] } }), [2, 3]);
    assert.deepEqual(await ids(docs, { v: { $bitsAnyClear: 35 } }), [1, 2, 3, 5]);
  });

  // $eq with a regex value matches a stored regex exactly (not as a pattern).
  it('$eq with a regex matches the stored regex only', async () => {
    assert.deepEqual(await ids([{ s: /a/ }, { s: 'a' }], { s: { $eq: /a/ } }), [1]);
  });

  // $expr with $in and variables on the document.
  it('$expr with field comparisons and $$ROOT', async () => {
    const docs = [{ a: 1, b: [1, 2] }, { a: 3, b: [1] }];
    assert.deepEqual(await ids(docs, { $expr: { $in: ['$a', '$b'] } }), [1]);
    assert.deepEqual(await ids(docs, { $expr: { $eq: [{ $size: '$$ROOT.b' }, 1] } }), [2]);
  });

  // $comment is accepted as a top-level operator and ignored.
  it('$comment is accepted', async () => {
    assert.deepEqual(await ids([{ a: 1 }], { a: 1, $comment: 'hi' }), [1]);
  });

  // A query on a field name starting with $ that is not an operator fails (2).
  it('an unknown operator nested in a field fails with 2', async () => {
    await expectServerError(h.db.collection('q_unk').find({ a: { $foo: 1 } }).toArray(), 2);
  });

  // Sort with $natural and sort by a missing field (missing sorts as null, first).
  it('sort puts missing and null first ascending', async () => {
    const c = h.db.collection<Loose>(`q${n++}`);
    await c.insertMany([{ _id: 1, v: 2 }, { _id: 2 }, { _id: 3, v: null }, { _id: 4, v: 1 }]);
    const got = (await c.find().sort({ v: 1, _id: 1 }).toArray()).map((d) => d._id);
    assert.deepEqual(got, [2, 3, 4, 1]);
    const natural = (await c.find().sort({ $natural: -1 }).toArray()).map((d) => d._id);
    assert.deepEqual(natural, [4, 3, 2, 1]);
  });
});

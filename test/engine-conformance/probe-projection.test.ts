/**
 * Probes of find projections against the MongoDB 7.0 "Project Fields to Return
 * from Query" page and the $, $slice and $elemMatch projection operator pages.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Document } from 'mongodb';
import { openHarness, closeHarness, expectServerError, type Harness } from './harness.ts';

type Loose = { _id?: number | string | Document; [key: string]: unknown };

describe('probe: projection', () => {
  let h: Harness;
  let n = 0;
  before(async () => {
    h = await openHarness('probe_projection');
  });
  after(async () => {
    await closeHarness(h);
  });

  async function project(doc: Document, projection: Document, filter: Document = {}): Promise<Document | null> {
    const c = h.db.collection<Loose>(`p${n++}`);
    await c.insertOne({ _id: 1, ...doc });
    return c.findOne(filter, { projection });
  }

  async function refuse(projection: Document, code: number, filter: Document = {}): Promise<void> {
    const c = h.db.collection<Loose>(`p${n++}`);
    await c.insertOne({ _id: 1, a: [1] });
    await expectServerError(c.find(filter, { projection }).toArray(), code);
  }

  // Dotted inclusion into an array of documents keeps the array shape with only that field.
  it('dotted inclusion through an array of documents', async () => {
    const doc = await project({ a: [{ b: 1, c: 2 }, { c: 3 }, 5, [{ b: 4 }]], d: 1 }, { 'a.b': 1, _id: 0 });
    assert.deepEqual(doc, { a: [{ b: 1 }, {}, [{ b: 4 }]] });
  });

  // Dotted exclusion through an array of documents.
  it('dotted exclusion through an array of documents', async () => {
    const doc = await project({ a: [{ b: 1, c: 2 }, 5] }, { 'a.b': 0 });
    assert.deepEqual(doc, { _id: 1, a: [{ c: 2 }, 5] });
  });

  // Path collision: {a: 1, 'a.b': 1} fails with 31249.
  it('a path collision fails with 31249', async () => {
    await refuse({ a: 1, 'a.b': 1 }, 31249);
  });

  // Aggregation expressions in find projections (4.4+): computed fields and $literal.
  it('expressions in a find projection', async () => {
    const doc = await project({ a: 2, b: 3, s: 'x' }, { sum: { $add: ['$a', '$b'] }, lit: { $literal: 1 }, s: 1, _id: 0 });
    assert.deepEqual(doc, { s: 'x', sum: 5, lit: 1 });
  });

  // "Cannot use expression other than $meta in exclusion projection" (31252); a literal: 31310.
  it('an expression in an exclusion projection fails with 31252', async () => {
    await refuse({ a: 0, b: { $add: [1, 2] } }, 31252);
    await refuse({ a: 0, b: 'text' }, 31310);
    await refuse({ b: { $add: [1, 2] }, a: 0 }, 31254);
  });

  // _id: 0 alone returns every field but _id; { _id: 1 } returns only _id.
  it('_id-only projections', async () => {
    assert.deepEqual(await project({ a: 1 }, { _id: 0 }), { a: 1 });
    assert.deepEqual(await project({ a: 1 }, { _id: 1 }), { _id: 1 });
  });

  // Inclusion with a truthy non-1 number/true and a string path ('$a' means expression).
  it('truthy values mean inclusion; a "$field" string is a computed field', async () => {
    assert.deepEqual(await project({ a: 1, b: 2, c: 3 }, { a: true, b: 5, _id: 0 }), { a: 1, b: 2 });
    assert.deepEqual(await project({ a: 1, b: 2 }, { x: '$b', _id: 0 }), { x: 2 });
  });

  // $slice with a negative count and [skip, n] with negative skip.
  it('$slice negative skip', async () => {
    assert.deepEqual(await project({ a: [1, 2, 3, 4, 5] }, { a: { $slice: [-3, 2] } }), { _id: 1, a: [3, 4] });
    assert.deepEqual(await project({ a: [1, 2, 3] }, { a: { $slice: -5 } }), { _id: 1, a: [1, 2, 3] });
    assert.deepEqual(await project({ a: 'str' }, { a: { $slice: 1 } }), { _id: 1, a: 'str' });
  });

  // $slice on a nested path in an array of documents.
  it('$slice on an embedded array', async () => {
    assert.deepEqual(await project({ o: { a: [1, 2, 3] }, b: 1 }, { 'o.a': { $slice: 1 } }), { _id: 1, o: { a: [1] }, b: 1 });
  });

  // $elemMatch projection combined with an inclusion projection.
  it('$elemMatch projection with other included fields', async () => {
    const doc = await project({ s: [{ k: 1, v: 'a' }, { k: 2, v: 'b' }], t: 1, u: 2 }, { t: 1, s: { $elemMatch: { k: 2 } } });
    assert.deepEqual(doc, { _id: 1, t: 1, s: [{ k: 2, v: 'b' }] });
  });

  // Positional $ projection on a dotted path keeps the rest of the projection.
  it('positional $ with an embedded field condition', async () => {
    const doc = await project({ g: [{ k: 'a', v: 1 }, { k: 'b', v: 2 }], x: 1 }, { 'g.$': 1 }, { 'g.k': 'b' });
    assert.deepEqual(doc, { _id: 1, g: [{ k: 'b', v: 2 }] });
  });

  // The positional $ projection uses array conditions under $and too.
  it('positional $ with the array condition inside $and', async () => {
    const doc = await project({ g: [{ k: 'a' }, { k: 'b' }] }, { 'g.$': 1 }, { $and: [{ _id: 1 }, { 'g.k': 'b' }] });
    assert.deepEqual(doc, { _id: 1, g: [{ k: 'b' }] });
  });

  // Positional $ whose array the query does not mention fails (31277, projection parser).
  it('positional $ without a query on the array fails with 31277', async () => {
    await refuse({ 'a.$': 1 }, 31277);
  });

  // $elemMatch and $slice do not decide inclusion/exclusion: with an exclusion every other field stays.
  it('$elemMatch with an exclusion keeps the other fields; $slice with $elemMatch is an exclusion', async () => {
    const doc = await project({ s: [{ k: 1 }, { k: 2 }], t: 1, u: 2 }, { u: 0, s: { $elemMatch: { k: 2 } } });
    assert.deepEqual(doc, { _id: 1, s: [{ k: 2 }], t: 1 });
    const both = await project({ s: [{ k: 1 }, { k: 2 }], r: [1, 2, 3], t: 1 }, { r: { $slice: 1 }, s: { $elemMatch: { k: 1 } } });
    assert.deepEqual(both, { _id: 1, s: [{ k: 1 }], r: [1], t: 1 });
  });

  it('an empty projection returns the whole document', async () => {
    assert.deepEqual(await project({ a: 1, b: { c: 2 } }, {}), { _id: 1, a: 1, b: { c: 2 } });
  });

  // Nested document projection syntax {a: {b: 1}} is the same as {'a.b': 1}.
  it('nested projection documents', async () => {
    assert.deepEqual(await project({ a: { b: 1, c: 2 }, d: 3 }, { a: { b: 1 }, _id: 0 }), { a: { b: 1 } });
    assert.deepEqual(await project({ a: { b: 1, c: 2 }, d: 3 }, { a: { c: 0 } }), { _id: 1, a: { b: 1 }, d: 3 });
  });

  // An object whose only key is an unknown $-name is "Unknown expression" (31325).
  it('an unknown projection operator fails with 31325', async () => {
    const c = h.db.collection<Loose>(`p${n++}`);
    await c.insertOne({ _id: 1, a: 1 });
    await expectServerError(c.find({}, { projection: { a: { $foo: 1 } } }).toArray(), 31325);
  });

  // $$ROOT / $$CURRENT in find projections.
  it('$$ROOT in a find projection', async () => {
    const doc = await project({ a: 1 }, { _id: 0, whole: '$$ROOT' });
    assert.deepEqual(doc, { whole: { _id: 1, a: 1 } });
  });

  // Projection applies to findOneAndUpdate too: positional $ refused? No: expressions allowed (4.4+).
  it('findOneAndUpdate projection with an expression', async () => {
    const c = h.db.collection<Loose>(`p${n++}`);
    await c.insertOne({ _id: 1, a: 2 });
    const doc = await c.findOneAndUpdate({ _id: 1 }, { $inc: { a: 1 } } as Document, { projection: { twice: { $multiply: ['$a', 2] } }, returnDocument: 'after' });
    assert.deepEqual(doc, { _id: 1, twice: 6 });
  });
});

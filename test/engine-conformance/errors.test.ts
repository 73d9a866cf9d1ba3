/**
 * Error codes and shapes for malformed requests, as MongoDB 7.0 answers:
 * wrong field types (14), unknown or missing fields (40415/40414), bad
 * operators (2 BadValue), invalid regexes, mixed projections, aggregate
 * without a cursor (9). Every one surfaces as a MongoServerError with a
 * numeric code and a codeName.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Document } from 'mongodb';
import { openHarness, closeHarness, expectServerError, type Harness } from './harness.ts';

describe('engine conformance: errors', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness('conf_errors');
    await h.db.collection('c').insertMany([{ _id: 1, a: 1, s: 'x' }, { _id: 2, a: 2, s: 'y' }] as Document[]);
  });
  after(async () => {
    await closeHarness(h);
  });

  const find = (filter: Document, projection?: Document) => h.db.collection('c').find(filter, projection ? { projection } : {}).toArray();

  describe('command shape', () => {
    it('find with a non-numeric limit fails with 14 TypeMismatch', async () => {
      await expectServerError(h.db.command({ find: 'c', limit: 'x' }), 14, 'TypeMismatch');
    });
    it('find with a non-document filter fails with 14 TypeMismatch', async () => {
      await expectServerError(h.db.command({ find: 'c', filter: 5 }), 14, 'TypeMismatch');
    });
    it('find with an unknown field fails with 40415', async () => {
      await expectServerError(h.db.command({ find: 'c', notAnOption: 1 }), 40415);
    });
    it('insert without documents fails with 40414 (required field missing)', async () => {
      await expectServerError(h.db.command({ insert: 'c' }), 40414);
    });
    it('insert with documents that is not an array fails with 14', async () => {
      await expectServerError(h.db.command({ insert: 'c', documents: { _id: 3 } }), 14, 'TypeMismatch');
    });
    it('aggregate without the cursor option fails with 9 FailedToParse', async () => {
      await expectServerError(h.db.command({ aggregate: 'c', pipeline: [] }), 9, 'FailedToParse');
    });
    it('aggregate with a pipeline that is not an array fails with 14', async () => {
      await expectServerError(h.db.command({ aggregate: 'c', pipeline: { $match: {} }, cursor: {} }), 14, 'TypeMismatch');
    });
  });

  describe('query operators', () => {
    it('an unknown query operator fails with 2 BadValue', async () => {
      const err = await expectServerError(find({ a: { $notAnOp: 1 } }), 2, 'BadValue');
      assert.equal(err.message, 'unknown operator: $notAnOp');
    });
    it('an unknown top-level operator fails with 2 BadValue', async () => {
      const err = await expectServerError(find({ $notAnOp: [{ a: 1 }] }), 2, 'BadValue');
      assert.match(err.message, /^unknown top level operator: \$notAnOp/);
    });
    it('$and with a non-array fails with 2', async () => {
      await expectServerError(find({ $and: { a: 1 } }), 2, 'BadValue');
    });
    it('$in with a non-array fails with 2', async () => {
      const err = await expectServerError(find({ a: { $in: 1 } }), 2, 'BadValue');
      assert.equal(err.message, '$in needs an array');
    });
    it('$size with a non-number fails with 2', async () => {
      await expectServerError(find({ a: { $size: 'two' } }), 2, 'BadValue');
    });
    it('$mod with too few arguments fails with 2', async () => {
      await expectServerError(find({ a: { $mod: [4] } }), 2, 'BadValue');
    });
    it('$type with an unknown alias fails with 2', async () => {
      const err = await expectServerError(find({ a: { $type: 'notAType' } }), 2, 'BadValue');
      assert.equal(err.message, 'Unknown type name alias: notAType');
    });
    it('$regex with a number fails with 2', async () => {
      await expectServerError(find({ s: { $regex: 5 } }), 2, 'BadValue');
    });
    it('an invalid regular expression fails with 51091', async () => {
      await expectServerError(find({ s: { $regex: '(' } }), 51091);
    });
  });

  describe('projection', () => {
    it('mixing inclusion and exclusion fails with 31254', async () => {
      await expectServerError(find({}, { a: 1, s: 0 }), 31254);
    });
    it('mixing exclusion and inclusion fails with 31253', async () => {
      await expectServerError(find({}, { a: 0, s: 1 }), 31253);
    });
  });

  describe('error shape', () => {
    it('command errors carry ok 0, a numeric code, a codeName and errmsg', async () => {
      const err = await expectServerError(h.db.command({ notACommand: 1 }), 59);
      assert.equal(err.errorResponse.ok, 0);
      assert.equal(err.errorResponse.code, 59);
      assert.equal(err.errorResponse.codeName, 'CommandNotFound');
      assert.equal(typeof err.errorResponse.errmsg, 'string');
    });
    it('a failed query leaves the collection intact', async () => {
      await expectServerError(find({ a: { $notAnOp: 1 } }), 2);
      assert.equal(await h.db.collection('c').countDocuments(), 2);
    });
  });
});

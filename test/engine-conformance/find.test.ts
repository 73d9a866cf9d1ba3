/**
 * Reads through the driver: find with filter, sort, skip, limit, batchSize
 * and every projection form (inclusion, exclusion, _id: 0, nested paths,
 * $slice, $elemMatch, positional $), plus countDocuments,
 * estimatedDocumentCount and distinct, as MongoDB 7.0 answers them.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Double, Long, type Document } from 'mongodb';
import { openHarness, closeHarness, idsOf, type Harness } from './harness.ts';

const PEOPLE: Document[] = [
  { _id: 1, name: 'ann', age: 31, city: 'oslo', tags: ['a', 'b'], addr: { zip: '0150', geo: { lat: 59 } }, scores: [70, 85, 92] },
  { _id: 2, name: 'bob', age: 25, city: 'rome', tags: ['b'], addr: { zip: '00100', geo: { lat: 41 } }, scores: [60, 65] },
  { _id: 3, name: 'cid', age: 35, city: 'oslo', tags: [], addr: { zip: '0151', geo: { lat: 60 } }, scores: [88] },
  { _id: 4, name: 'dee', age: 28, city: 'lima', tags: ['c', 'a'], addr: { zip: '15001', geo: { lat: -12 } }, scores: [95, 40, 81] },
  { _id: 5, name: 'eve', age: 25, city: 'rome', addr: { zip: '00118' }, scores: [] },
];

describe('engine conformance: find, projection, counting', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness('conf_find');
    await h.db.collection('people').insertMany(PEOPLE.map((doc) => ({ ...doc })));
  });
  after(async () => {
    await closeHarness(h);
  });

  describe('find', () => {
    it('filters and sorts descending', async () => {
      const docs = await h.db.collection('people').find({ city: 'oslo' }).sort({ age: -1 }).toArray();
      assert.deepEqual(idsOf(docs), [3, 1]);
    });

    it('sorts on two keys with mixed directions', async () => {
      const docs = await h.db.collection('people').find().sort({ age: 1, name: -1 }).toArray();
      assert.deepEqual(idsOf(docs), [5, 2, 4, 1, 3]);
    });

    it('applies skip and limit after the sort', async () => {
      const docs = await h.db.collection('people').find().sort({ _id: 1 }).skip(1).limit(2).toArray();
      assert.deepEqual(idsOf(docs), [2, 3]);
    });

    it('sorts on a dotted path', async () => {
      const docs = await h.db.collection('people').find({ 'addr.geo.lat': { $exists: true } }).sort({ 'addr.geo.lat': 1 }).toArray();
      assert.deepEqual(idsOf(docs), [4, 2, 1, 3]);
    });

    it('an inclusion projection keeps _id by default', async () => {
      const doc = await h.db.collection('people').findOne({ _id: 1 } as Document, { projection: { name: 1, age: 1 } });
      assert.deepEqual(doc, { _id: 1, name: 'ann', age: 31 });
    });

    it('an inclusion projection with _id: 0 drops _id', async () => {
      const docs = await h.db.collection('people').find({ city: 'rome' }, { projection: { name: 1, _id: 0 } }).sort({ name: 1 }).toArray();
      assert.deepEqual(docs, [{ name: 'bob' }, { name: 'eve' }]);
    });

    it('an exclusion projection returns every other field', async () => {
      const doc = await h.db.collection('people').findOne({ _id: 2 } as Document, { projection: { tags: 0, addr: 0, scores: 0 } });
      assert.deepEqual(doc, { _id: 2, name: 'bob', age: 25, city: 'rome' });
    });

    it('a nested inclusion path keeps the enclosing shape, and an empty object where the leaf is missing', async () => {
      const docs = await h.db.collection('people').find({}, { projection: { 'addr.geo.lat': 1, _id: 0 } }).sort({ _id: 1 }).toArray();
      assert.deepEqual(docs, [
        { addr: { geo: { lat: 59 } } },
        { addr: { geo: { lat: 41 } } },
        { addr: { geo: { lat: 60 } } },
        { addr: { geo: { lat: -12 } } },
        { addr: {} },
      ]);
    });

    it('a nested exclusion path removes only that subfield', async () => {
      const doc = await h.db.collection('people').findOne({ _id: 1 } as Document, { projection: { 'addr.geo': 0, scores: 0, tags: 0 } });
      assert.deepEqual(doc, { _id: 1, name: 'ann', age: 31, city: 'oslo', addr: { zip: '0150' } });
    });

    it('$slice projection: first n, last n, and [skip, n]; alone it keeps all other fields', async () => {
      const c = h.db.collection('people');
      assert.deepEqual(await c.findOne({ _id: 1 } as Document, { projection: { scores: { $slice: 2 } } }), { ...PEOPLE[0], scores: [70, 85] });
      assert.deepEqual((await c.findOne({ _id: 1 } as Document, { projection: { scores: { $slice: -1 } } }))?.scores, [92]);
      assert.deepEqual((await c.findOne({ _id: 1 } as Document, { projection: { scores: { $slice: [1, 1] } } }))?.scores, [85]);
    });

    it('$slice combined with an inclusion projection', async () => {
      const doc = await h.db.collection('people').findOne({ _id: 4 } as Document, { projection: { name: 1, scores: { $slice: 1 } } });
      assert.deepEqual(doc, { _id: 4, name: 'dee', scores: [95] });
    });

    it('$elemMatch projection returns only _id and the first matching element, omitting the field when none match', async () => {
      const docs = await h.db.collection('people').find({}, { projection: { scores: { $elemMatch: { $gte: 80 } } } }).sort({ _id: 1 }).toArray();
      assert.deepEqual(docs, [{ _id: 1, scores: [85] }, { _id: 2 }, { _id: 3, scores: [88] }, { _id: 4, scores: [95] }, { _id: 5 }]);
    });

    it('the positional $ projection returns the element matched by the query', async () => {
      const docs = await h.db.collection('people').find({ scores: { $gte: 90 } }, { projection: { 'scores.$': 1 } }).sort({ _id: 1 }).toArray();
      assert.deepEqual(docs, [{ _id: 1, scores: [92] }, { _id: 4, scores: [95] }]);
    });

    it('batchSize smaller than the result still yields every document', async () => {
      const docs = await h.db.collection('people').find().sort({ _id: 1 }).batchSize(2).toArray();
      assert.deepEqual(idsOf(docs), [1, 2, 3, 4, 5]);
    });

    it('a find on a collection that does not exist returns nothing', async () => {
      assert.deepEqual(await h.db.collection('never_created').find({}).toArray(), []);
    });
  });

  describe('counting and distinct', () => {
    it('countDocuments honours filter, skip and limit', async () => {
      const c = h.db.collection('people');
      assert.equal(await c.countDocuments(), 5);
      assert.equal(await c.countDocuments({ age: { $lt: 30 } }), 3);
      assert.equal(await c.countDocuments({}, { skip: 1, limit: 2 }), 2);
      assert.equal(await c.countDocuments({}, { skip: 4 }), 1);
      assert.equal(await h.db.collection('never_created').countDocuments(), 0);
    });

    it('estimatedDocumentCount answers the collection size', async () => {
      assert.equal(await h.db.collection('people').estimatedDocumentCount(), 5);
    });

    it('distinct flattens arrays and deduplicates', async () => {
      const values = await h.db.collection('people').distinct('tags');
      assert.deepEqual([...values].sort(), ['a', 'b', 'c']);
    });

    it('distinct with a filter and on a dotted path', async () => {
      const cities = await h.db.collection('people').distinct('city', { age: { $gte: 28 } });
      assert.deepEqual([...cities].sort(), ['lima', 'oslo']);
      const lats = await h.db.collection('people').distinct('addr.geo.lat');
      assert.deepEqual([...lats].sort((a, b) => a - b), [-12, 41, 59, 60]);
    });

    it('distinct treats numerically equal values of different types as one', async () => {
      const c = h.db.collection('distinct_nums');
      await c.insertMany([{ v: 1 }, { v: new Double(1) }, { v: Long.fromNumber(1) }, { v: 2 }, { v: [2, 3] }]);
      const values = await c.distinct('v');
      assert.deepEqual([...values].sort((a, b) => a - b), [1, 2, 3]);
    });
  });
});

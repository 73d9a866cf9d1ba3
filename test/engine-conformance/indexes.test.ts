/**
 * Indexes through the driver: create/list/drop, unique enforcement with
 * MongoDB's E11000 shape (single, compound, multikey, sparse, partial),
 * failure on pre-existing duplicates, index option conflicts, and TTL expiry.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Document } from 'mongodb';
import { openHarness, closeHarness, expectServerError, idsOf, type Harness } from './harness.ts';

const DB = 'conf_indexes';

describe('engine conformance: indexes', () => {
  let h: Harness;
  before(async () => {
    h = await openHarness(DB);
  });
  after(async () => {
    await closeHarness(h);
  });

  async function indexNames(collection: string): Promise<string[]> {
    const indexes = await h.db.collection(collection).listIndexes().toArray();
    return indexes.map((ix) => String(ix.name)).sort();
  }

  describe('management', () => {
    it('createIndex returns the generated name; listIndexes always lists _id_', async () => {
      const c = h.db.collection('mgmt');
      await c.insertOne({ a: 1, b: 2 });
      assert.equal(await c.createIndex({ a: 1 }), 'a_1');
      assert.equal(await c.createIndex({ a: 1, b: -1 }), 'a_1_b_-1');
      assert.equal(await c.createIndex({ b: 1 }, { name: 'by_b', unique: true }), 'by_b');
      const indexes = await c.listIndexes().toArray();
      const byName = new Map(indexes.map((ix) => [ix.name, ix]));
      assert.deepEqual([...byName.keys()].sort(), ['_id_', 'a_1', 'a_1_b_-1', 'by_b']);
      assert.deepEqual(byName.get('_id_')?.key, { _id: 1 });
      assert.equal(byName.get('_id_')?.v, 2);
      assert.deepEqual(byName.get('a_1_b_-1')?.key, { a: 1, b: -1 });
      assert.equal(byName.get('by_b')?.unique, true);
      assert.equal(byName.get('a_1')?.unique, undefined);
    });

    it('creating an identical index again is a no-op', async () => {
      const c = h.db.collection('mgmt');
      assert.equal(await c.createIndex({ a: 1 }), 'a_1');
      assert.deepEqual(await indexNames('mgmt'), ['_id_', 'a_1', 'a_1_b_-1', 'by_b']);
    });

    it('the same key under another name fails with 85 IndexOptionsConflict', async () => {
      await expectServerError(h.db.collection('mgmt').createIndex({ a: 1 }, { name: 'other_name' }), 85, 'IndexOptionsConflict');
    });

    it('the same name with another key fails with 86 IndexKeySpecsConflict', async () => {
      await expectServerError(h.db.collection('mgmt').createIndex({ z: 1 }, { name: 'a_1' }), 86, 'IndexKeySpecsConflict');
    });

    it('dropIndex by name and by key spec', async () => {
      const c = h.db.collection('mgmt');
      await c.dropIndex('a_1');
      assert.deepEqual(await indexNames('mgmt'), ['_id_', 'a_1_b_-1', 'by_b']);
      await c.dropIndex({ a: 1, b: -1 } as unknown as string);
      assert.deepEqual(await indexNames('mgmt'), ['_id_', 'by_b']);
    });

    it('dropping a missing index fails with 27 IndexNotFound', async () => {
      await expectServerError(h.db.collection('mgmt').dropIndex('nope_1'), 27, 'IndexNotFound');
    });

    it('dropping _id_ fails with 72 InvalidOptions', async () => {
      await expectServerError(h.db.collection('mgmt').dropIndex('_id_'), 72, 'InvalidOptions');
    });

    it('dropIndexes() removes every index but _id_', async () => {
      const c = h.db.collection('mgmt');
      await c.createIndex({ q: 1 });
      await c.dropIndexes();
      assert.deepEqual(await indexNames('mgmt'), ['_id_']);
    });

    it('createIndexes on a new collection creates it and reports index counts', async () => {
      const res = await h.db.command({ createIndexes: 'fresh_ix', indexes: [{ key: { x: 1 }, name: 'x_1' }] });
      assert.equal(res.ok, 1);
      assert.equal(res.numIndexesBefore, 1);
      assert.equal(res.numIndexesAfter, 2);
      assert.equal(res.createdCollectionAutomatically, true);
      const collections = await h.db.listCollections({ name: 'fresh_ix' }).toArray();
      assert.equal(collections.length, 1);
    });

    it('listIndexes on a missing collection fails with 26 NamespaceNotFound', async () => {
      await expectServerError(h.db.collection('no_such_coll').listIndexes().toArray(), 26, 'NamespaceNotFound');
    });
  });

  describe('unique enforcement', () => {
    it('a unique index rejects a duplicate insert with the E11000 message, keyPattern and keyValue', async () => {
      const c = h.db.collection('users');
      await c.createIndex({ email: 1 }, { unique: true });
      await c.insertOne({ _id: 1, email: 'a@x.io' } as Document);
      const err = await expectServerError(c.insertOne({ _id: 2, email: 'a@x.io' } as Document), 11000);
      assert.equal(err.message, `E11000 duplicate key error collection: ${DB}.users index: email_1 dup key: { email: "a@x.io" }`);
      assert.deepEqual(err.keyPattern, { email: 1 });
      assert.deepEqual(err.keyValue, { email: 'a@x.io' });
      assert.equal(await c.countDocuments(), 1);
    });

    it('an update that would create a duplicate fails with 11000 and leaves the document unchanged', async () => {
      const c = h.db.collection('users');
      await c.insertOne({ _id: 3, email: 'b@x.io' } as Document);
      await expectServerError(c.updateOne({ _id: 3 } as Document, { $set: { email: 'a@x.io' } }), 11000);
      assert.deepEqual(await c.findOne({ _id: 3 } as Document), { _id: 3, email: 'b@x.io' });
    });

    it('an upsert that would create a duplicate fails with 11000', async () => {
      const c = h.db.collection('users');
      await expectServerError(c.updateOne({ _id: 99 } as Document, { $set: { email: 'b@x.io' } }, { upsert: true }), 11000);
      assert.equal(await c.countDocuments({ _id: 99 } as Document), 0);
    });

    it('documents missing the field collide on null in a non-sparse unique index', async () => {
      const c = h.db.collection('users');
      await c.insertOne({ _id: 10 } as Document);
      const err = await expectServerError(c.insertOne({ _id: 11 } as Document), 11000);
      assert.deepEqual(err.keyValue, { email: null });
      assert.equal(err.message, `E11000 duplicate key error collection: ${DB}.users index: email_1 dup key: { email: null }`);
    });

    it('a compound unique index rejects only a repeated combination', async () => {
      const c = h.db.collection('pairs');
      await c.createIndex({ a: 1, b: 1 }, { unique: true });
      await c.insertMany([{ a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 2, b: 'x' }]);
      const err = await expectServerError(c.insertOne({ a: 1, b: 'x' }), 11000);
      assert.equal(err.message, `E11000 duplicate key error collection: ${DB}.pairs index: a_1_b_1 dup key: { a: 1, b: "x" }`);
      assert.deepEqual(err.keyPattern, { a: 1, b: 1 });
      assert.deepEqual(err.keyValue, { a: 1, b: 'x' });
      assert.equal(await c.countDocuments(), 3);
    });

    it('a unique index on an array field is enforced across documents, not within one', async () => {
      const c = h.db.collection('multikey');
      await c.createIndex({ tags: 1 }, { unique: true });
      await c.insertOne({ _id: 1, tags: ['a', 'b', 'a'] } as Document);
      await expectServerError(c.insertOne({ _id: 2, tags: ['c', 'b'] } as Document), 11000);
      await c.insertOne({ _id: 3, tags: ['c', 'd'] } as Document);
      assert.deepEqual(idsOf(await c.find().sort({ _id: 1 }).toArray()), [1, 3]);
    });

    it('a sparse unique index ignores documents without the field', async () => {
      const c = h.db.collection('sparse');
      await c.createIndex({ code: 1 }, { unique: true, sparse: true });
      await c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3, code: 'A' }] as Document[]);
      await expectServerError(c.insertOne({ _id: 4, code: 'A' } as Document), 11000);
      assert.equal(await c.countDocuments(), 3);
    });

    it('a partial unique index only constrains documents matching its filter', async () => {
      const c = h.db.collection('partial');
      await c.createIndex({ username: 1 }, { unique: true, partialFilterExpression: { active: { $eq: true } } });
      await c.insertMany([
        { _id: 1, username: 'sam', active: false },
        { _id: 2, username: 'sam', active: false },
        { _id: 3, username: 'sam', active: true },
      ] as Document[]);
      await expectServerError(c.insertOne({ _id: 4, username: 'sam', active: true } as Document), 11000);
      const [ix] = (await c.listIndexes().toArray()).filter((i) => i.name === 'username_1');
      assert.deepEqual(ix.partialFilterExpression, { active: { $eq: true } });
      assert.equal(await c.countDocuments(), 3);
    });

    it('an unordered insertMany under a unique index inserts the rest and reports each duplicate', async () => {
      const c = h.db.collection('users_bulk');
      await c.createIndex({ email: 1 }, { unique: true });
      const res = await h.db.command({
        insert: 'users_bulk',
        documents: [{ email: 'p' }, { email: 'q' }, { email: 'p' }, { email: 'r' }, { email: 'q' }],
        ordered: false,
      });
      assert.equal(res.n, 3);
      assert.deepEqual(res.writeErrors.map((e: Document) => [e.index, e.code]), [[2, 11000], [4, 11000]]);
      assert.deepEqual(res.writeErrors[1].keyValue, { email: 'q' });
    });

    it('building a unique index over existing duplicates fails with 11000 and creates no index', async () => {
      const c = h.db.collection('dups');
      await c.insertMany([{ k: 1 }, { k: 2 }, { k: 1 }]);
      await expectServerError(c.createIndex({ k: 1 }, { unique: true }), 11000);
      assert.deepEqual(await indexNames('dups'), ['_id_']);
      assert.equal(await c.countDocuments(), 3);
    });
  });

  describe('TTL', () => {
    it('listIndexes shows expireAfterSeconds', async () => {
      const c = h.db.collection('ttl_shape');
      await c.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
      const [ix] = (await c.listIndexes().toArray()).filter((i) => i.name === 'at_1');
      assert.equal(ix.expireAfterSeconds, 3600);
    });

    it('expired documents are removed in the background; future, missing and non-date values stay', { timeout: 90_000 }, async () => {
      const c = h.db.collection('ttl');
      await c.createIndex({ at: 1 }, { expireAfterSeconds: 0 });
      await c.insertMany([
        { _id: 'old', at: new Date(Date.now() - 3_600_000) },
        { _id: 'oldArray', at: [new Date(Date.now() + 3_600_000), new Date(Date.now() - 3_600_000)] },
        { _id: 'future', at: new Date(Date.now() + 3_600_000) },
        { _id: 'none' },
        { _id: 'text', at: '2000-01-01' },
      ] as Document[]);
      const deadline = Date.now() + 75_000;
      while (Date.now() < deadline && (await c.countDocuments({ _id: { $in: ['old', 'oldArray'] } } as Document)) > 0) {
        await sleep(500);
      }
      assert.deepEqual(idsOf(await c.find().sort({ _id: 1 }).toArray()), ['future', 'none', 'text']);
    });
  });
});

/**
 * Cursors over many batches: find/aggregate with batchSize 100 over 1,050
 * documents (observed through command monitoring), limit across batches,
 * killCursors, and getMore on a killed or unknown cursor (43 CursorNotFound).
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Long, type CommandStartedEvent, type CommandSucceededEvent, type Document } from 'mongodb';
import { openHarness, closeHarness, expectServerError, idsOf, type Harness } from './harness.ts';

const TOTAL = 1050;
const DB = 'conf_cursors';

describe('engine conformance: cursors', () => {
  let h: Harness;
  let started: CommandStartedEvent[] = [];
  let succeeded: CommandSucceededEvent[] = [];

  before(async () => {
    h = await openHarness(DB, { monitorCommands: true });
    h.client.on('commandStarted', (event) => started.push(event));
    h.client.on('commandSucceeded', (event) => succeeded.push(event));
    const docs = Array.from({ length: TOTAL }, (_, i) => ({ _id: i, v: i % 7 }));
    await h.db.collection<{ _id: number; v: number }>('big').insertMany(docs);
  });
  after(async () => {
    await closeHarness(h);
  });

  function resetEvents(): void {
    started = [];
    succeeded = [];
  }
  const startedNamed = (name: string) => started.filter((e) => e.commandName === name);
  /** Replies of the successful commands with this name, in order. */
  const succeededNamed = (name: string): Document[] => succeeded.filter((e) => e.commandName === name).map((e) => e.reply as Document);

  it('find with batchSize 100 returns all 1,050 documents in order over 10 getMores', async () => {
    resetEvents();
    const docs = await h.db.collection('big').find({}).sort({ _id: 1 }).batchSize(100).toArray();
    assert.equal(docs.length, TOTAL);
    assert.deepEqual(idsOf(docs), Array.from({ length: TOTAL }, (_, i) => i));
    const [find] = succeededNamed('find');
    assert.equal(find.cursor.firstBatch.length, 100);
    assert.equal(find.cursor.ns, `${DB}.big`);
    const getMores = succeededNamed('getMore');
    assert.equal(getMores.length, 10);
    assert.deepEqual(getMores.map((e) => e.cursor.nextBatch.length), [100, 100, 100, 100, 100, 100, 100, 100, 100, 50]);
    assert.equal(Number(getMores[9].cursor.id), 0, 'the last batch closes the cursor');
    assert.equal(startedNamed('killCursors').length, 0, 'an exhausted cursor needs no killCursors');
  });

  it('a filtered, sorted find with skip keeps its order across batches', async () => {
    const docs = await h.db.collection('big').find({ v: 3 }).sort({ _id: -1 }).skip(5).batchSize(20).toArray();
    const expected = Array.from({ length: TOTAL }, (_, i) => i).filter((i) => i % 7 === 3).reverse().slice(5);
    assert.equal(expected.length, 145);
    assert.deepEqual(idsOf(docs), expected);
  });

  it('aggregate with batchSize 100 streams all documents over getMores', async () => {
    resetEvents();
    const docs = await h.db.collection('big').aggregate([{ $match: {} }, { $sort: { _id: 1 } }], { batchSize: 100 }).toArray();
    assert.equal(docs.length, TOTAL);
    assert.equal(docs[TOTAL - 1]._id, TOTAL - 1);
    assert.equal(succeededNamed('aggregate')[0].cursor.firstBatch.length, 100);
    assert.equal(succeededNamed('getMore').length, 10);
  });

  it('limit is honoured across batches', async () => {
    resetEvents();
    const docs = await h.db.collection('big').find({}).sort({ _id: 1 }).limit(250).batchSize(100).toArray();
    assert.deepEqual(idsOf(docs), Array.from({ length: 250 }, (_, i) => i));
    assert.equal(succeededNamed('getMore').length, 2);
  });

  it('cursor.close() sends killCursors for the open cursor, and the server reports it killed', async () => {
    resetEvents();
    const cursor = h.db.collection('big').find({}).sort({ _id: 1 }).batchSize(10);
    const first = await cursor.next();
    assert.equal(first?._id, 0);
    await cursor.close();
    const [find] = succeededNamed('find');
    const cursorId = String(find.cursor.id);
    assert.notEqual(cursorId, '0');
    const [kill] = succeededNamed('killCursors');
    assert.ok(kill, 'killCursors was sent');
    assert.deepEqual(kill.cursorsKilled.map(String), [cursorId]);
  });

  it('getMore on a killed cursor fails with 43 CursorNotFound', async () => {
    const res = await h.db.command({ find: 'big', filter: {}, batchSize: 5 }, { promoteLongs: false });
    const id = res.cursor.id as Long;
    assert.ok(id instanceof Long, 'the cursor id is a BSON long');
    assert.notEqual(id.toString(), '0');
    const killed = await h.db.command({ killCursors: 'big', cursors: [id] }, { promoteLongs: false });
    assert.deepEqual(killed.cursorsKilled.map(String), [id.toString()]);
    assert.deepEqual(killed.cursorsNotFound, []);
    await expectServerError(h.db.command({ getMore: id, collection: 'big' }), 43, 'CursorNotFound');
  });

  it('getMore on an id that never existed fails with 43', async () => {
    await expectServerError(h.db.command({ getMore: Long.fromString('123456789012'), collection: 'big' }), 43, 'CursorNotFound');
  });

  it('killCursors on an unknown id reports it in cursorsNotFound', async () => {
    const unknown = Long.fromString('987654321');
    const res = await h.db.command({ killCursors: 'big', cursors: [unknown] }, { promoteLongs: false });
    assert.equal(res.ok, 1);
    assert.deepEqual(res.cursorsKilled, []);
    assert.deepEqual(res.cursorsNotFound.map(String), ['987654321']);
  });

  it('the find and getMore commands: batchSize 0 opens a cursor without documents; getMore continues it', async () => {
    const res = await h.db.command({ find: 'big', filter: { v: 0 }, sort: { _id: 1 }, batchSize: 0 }, { promoteLongs: false });
    assert.deepEqual(res.cursor.firstBatch, []);
    assert.notEqual(String(res.cursor.id), '0');
    const more = await h.db.command({ getMore: res.cursor.id, collection: 'big', batchSize: 3 }, { promoteLongs: false });
    assert.deepEqual(idsOf(more.cursor.nextBatch as Document[]), [0, 7, 14]);
    assert.equal(more.cursor.ns, `${DB}.big`);
    await h.db.command({ killCursors: 'big', cursors: [res.cursor.id] });
  });

  it('singleBatch returns one batch and a closed cursor (id 0)', async () => {
    const res = await h.db.command({ find: 'big', filter: {}, sort: { _id: 1 }, batchSize: 5, singleBatch: true });
    assert.equal(res.cursor.firstBatch.length, 5);
    assert.equal(Number(res.cursor.id), 0);
  });

  it('a result that fits in the first batch returns cursor id 0', async () => {
    const res = await h.db.command({ find: 'big', filter: { _id: { $lt: 3 } } });
    assert.equal(res.cursor.firstBatch.length, 3);
    assert.equal(Number(res.cursor.id), 0);
  });

  it('the find command default first batch is 101 documents', async () => {
    const res = await h.db.command({ find: 'big', filter: {} }, { promoteLongs: false });
    assert.equal(res.cursor.firstBatch.length, 101);
    assert.notEqual(String(res.cursor.id), '0');
    await h.db.command({ killCursors: 'big', cursors: [res.cursor.id] });
  });
});

/**
 * Durability and the folder lock across processes: acknowledged writes survive kill -9,
 * a multi-document write is all-or-nothing, and the lock dies with the process.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { MongoClient, MongoServerError, type Document } from 'mongodb';
import { startEmbeddedMongo } from '../../plugins/embedded-mongo/index.ts';
import { tempDir } from './helpers.ts';

const CHILD = fileURLToPath(new URL('./fixtures/engine-child.ts', import.meta.url));

async function spawnEngine(dataDir: string): Promise<{ child: ChildProcess; uri: string; exited: Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    void exited.then(() => reject(new Error(`engine child exited early: ${out}`)));
  });
  return { child, uri, exited };
}

describe('kill -9 and restart', () => {
  test('every acknowledged write is present after kill -9; an insertMany is all-or-nothing', async () => {
    const dataDir = tempDir();
    const { child, uri, exited } = await spawnEngine(dataDir);
    const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
    try {
      const c = client.db('crash').collection('items');
      const N = 150;
      for (let i = 0; i < N; i++) await c.insertOne({ _id: i, v: i } as Document);
      for (let i = 0; i < N; i += 3) await c.updateOne({ _id: i } as Document, { $set: { updated: true } });
      await c.deleteMany({ _id: { $gte: 140 } } as Document);
      await c.insertMany(Array.from({ length: 1000 }, (_, i) => ({ _id: `batch-${i}`, batch: 'acked' })) as Document[]);
      await c.createIndex({ v: 1 });
      // An insertMany in flight when the process dies: it must be absent or complete, never partial.
      const inflight = c.insertMany(Array.from({ length: 1000 }, (_, i) => ({ _id: `fly-${i}`, batch: 'inflight' })) as Document[]);
      inflight.catch(() => {});
      await new Promise((r) => setTimeout(r, 5));
    } finally {
      child.kill('SIGKILL');
      await exited;
      await client.close(true).catch(() => {});
    }
    const engine = await startEmbeddedMongo({ dataDir });
    const again = await MongoClient.connect(engine.uri);
    try {
      const c = again.db('crash').collection('items');
      assert.equal(await c.countDocuments({ _id: { $lt: 140 } } as Document), 140);
      assert.equal(await c.countDocuments({ _id: { $gte: 140, $lt: 150 } } as Document), 0);
      assert.equal(await c.countDocuments({ updated: true }), Math.ceil(140 / 3));
      assert.equal(await c.countDocuments({ batch: 'acked' }), 1000);
      const inflight = await c.countDocuments({ batch: 'inflight' });
      assert.ok(inflight === 0 || inflight === 1000, `in-flight batch half-applied: ${inflight}`);
      assert.deepEqual((await c.indexes()).map((i) => i.name), ['_id_', 'v_1']);
    } finally {
      await again.close();
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a second process on the same folder is refused; the lock is released when the holder is killed', async () => {
    const dataDir = tempDir();
    const { child, exited } = await spawnEngine(dataDir);
    try {
      await assert.rejects(startEmbeddedMongo({ dataDir }), (err: Error) => {
        assert.match(err.message, /already in use/);
        assert.ok(err.message.includes(dataDir));
        return true;
      });
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const engine = await startEmbeddedMongo({ dataDir });
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a write whose SQLite transaction fails leaves neither memory nor disk changed', async () => {
    const dataDir = tempDir();
    let engine = await startEmbeddedMongo({ dataDir });
    let client = await MongoClient.connect(engine.uri);
    await client.db('tx').collection('c').insertOne({ _id: 'before' } as Document);
    await client.close();
    await engine.close();
    // A real storage failure in the middle of a batch: SQLite refuses one row.
    const db = new Database(`${dataDir}/engine.sqlite3`);
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON documents WHEN NEW.key = 's"poison"' BEGIN SELECT RAISE(ABORT, 'simulated storage failure'); END`);
    db.close();
    engine = await startEmbeddedMongo({ dataDir });
    client = await MongoClient.connect(engine.uri);
    const c = client.db('tx').collection('c');
    const err = await c.insertMany([{ _id: 'a' }, { _id: 'poison' }, { _id: 'b' }] as Document[]).catch((e: unknown) => e);
    assert.ok(err instanceof MongoServerError, String(err));
    assert.deepEqual((await c.find().toArray()).map((d) => d._id), ['before'], 'memory rolled back with the transaction');
    await client.close();
    await engine.close();
    engine = await startEmbeddedMongo({ dataDir });
    client = await MongoClient.connect(engine.uri);
    assert.deepEqual((await client.db('tx').collection('c').find().toArray()).map((d) => d._id), ['before'], 'nothing persisted');
    await client.close();
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});

/**
 * `npm run db:backup`: a backup taken by the CLI (a separate process) while writers keep writing
 * restores to a consistent state, and every refusal leaves files and data as they were.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../plugins/embedded-mongo/index.ts';
import { makeTempDir, startTestEngine, type TestEngine } from '../support/engine.ts';
import { REPO_ROOT } from '../support/process.ts';

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function backupCli(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'plugins/embedded-mongo/backup-cli.ts', ...args], { cwd: REPO_ROOT },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
  });
}

/** Opens an engine on a folder, hands a connected client to fn, then closes both. */
async function withEngineOn<T>(dataDir: string, fn: (client: MongoClient) => Promise<T>): Promise<T> {
  const engine = await startEmbeddedMongo({ dataDir, port: 0 });
  const client = await new MongoClient(engine.uri).connect();
  try {
    return await fn(client);
  } finally {
    await client.close();
    await engine.close();
  }
}

const BATCH = 100;
const ACCOUNTS = 10;
const ACCOUNT_TOTAL = 1000;

describe('db:backup taken under concurrent writes', () => {
  let engine: TestEngine;
  let client: MongoClient;
  const scratch: string[] = [];
  before(async () => {
    engine = await startTestEngine();
    client = await new MongoClient(engine.uri).connect();
  });
  after(async () => {
    await client.close();
    await engine.dispose();
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  it('restores to a state where every insertMany batch is whole, every per-document invariant holds and every write acknowledged before the backup is present', async () => {
    const db = client.db('shop');
    const ledger = db.collection('ledger');
    const accounts = db.collection('accounts');
    await accounts.insertMany(Array.from({ length: ACCOUNTS }, (_, i) => ({ _id: i, a: ACCOUNT_TOTAL / 2, b: ACCOUNT_TOTAL / 2 }) as never));
    // Some bulk first, so that the copy itself takes a moment while the writers run.
    await ledger.insertMany(Array.from({ length: 20000 }, (_, i) => ({ writer: 'seed', batch: Math.floor(i / BATCH), seq: i % BATCH, pad: 'x'.repeat(200) })));

    let isStopping = false;
    const acked = { w1: 0, w2: 0 };
    const started = { w1: 0, w2: 0 };
    let transfers = 0;
    const batchWriter = async (writer: 'w1' | 'w2'): Promise<void> => {
      for (let batch = 0; !isStopping; batch++) {
        started[writer] = batch + 1;
        await ledger.insertMany(Array.from({ length: BATCH }, (_, seq) => ({ writer, batch, seq, pad: 'y'.repeat(100) })));
        acked[writer] = batch + 1;
      }
    };
    // Transfers within ONE document keep a + b constant (single-document updates are atomic).
    const transferWriter = async (): Promise<void> => {
      while (!isStopping) {
        const amount = 1 + Math.floor(Math.random() * 50);
        await accounts.updateOne({ _id: Math.floor(Math.random() * ACCOUNTS) as never }, { $inc: { a: -amount, b: amount } });
        transfers++;
      }
    };
    const writers = [batchWriter('w1'), batchWriter('w2'), transferWriter()];
    const waitUntil = async (cond: () => boolean): Promise<void> => {
      while (!cond()) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    await waitUntil(() => acked.w1 >= 10 && acked.w2 >= 10);

    const ackedBeforeBackup = { ...acked };
    const out = path.join(makeTempDir('relata-backup-'), 'snapshot.sqlite3');
    scratch.push(path.dirname(out));
    const backup = await backupCli(['--dbpath', engine.dataDir, '--out', out]);
    const startedAfterBackup = { ...started };
    const transfersDuringBackup = transfers;
    isStopping = true;
    await Promise.all(writers);

    assert.equal(backup.code, 0, backup.stderr);
    assert.match(backup.stdout, /backup written to .*snapshot\.sqlite3/);
    assert.ok(acked.w1 > ackedBeforeBackup.w1 && acked.w2 > ackedBeforeBackup.w2, 'writers kept writing while the backup ran');
    assert.ok(transfersDuringBackup > 0, 'transfers ran before the backup finished');
    assert.deepEqual(readdirSync(path.dirname(out)), ['snapshot.sqlite3'], 'the backup is one self-contained file');

    const restored = makeTempDir('relata-restored-');
    scratch.push(restored);
    const restore = await backupCli(['--restore', out, '--dbpath', restored]);
    assert.equal(restore.code, 0, restore.stderr);

    await withEngineOn(restored, async (rc) => {
      const rdb = rc.db('shop');
      const batches = await rdb.collection('ledger')
        .aggregate<{ _id: { writer: string; batch: number }; n: number; seqs: number[] }>([
          { $group: { _id: { writer: '$writer', batch: '$batch' }, n: { $sum: 1 }, seqs: { $addToSet: '$seq' } } },
        ])
        .toArray();
      for (const b of batches) {
        assert.equal(b.n, BATCH, `batch ${JSON.stringify(b._id)} is whole`);
        assert.equal(new Set(b.seqs).size, BATCH);
      }
      const batchIds = (writer: string): number[] => batches.filter((b) => b._id.writer === writer).map((b) => b._id.batch).sort((x, y) => x - y);
      assert.equal(batchIds('seed').length, 200);
      for (const writer of ['w1', 'w2'] as const) {
        const ids = batchIds(writer);
        // One sequential writer per id: the backup holds a prefix of its batches, at least the
        // acknowledged ones and at most the ones begun before the backup finished.
        assert.deepEqual(ids, ids.map((_, i) => i), `${writer}'s batches form a prefix`);
        assert.ok(ids.length >= ackedBeforeBackup[writer], `${writer}: ${ids.length} batches ≥ ${ackedBeforeBackup[writer]} acknowledged before the backup`);
        assert.ok(ids.length <= startedAfterBackup[writer], `${writer}: ${ids.length} batches ≤ ${startedAfterBackup[writer]} begun`);
      }
      const restoredAccounts = await rdb.collection('accounts').find().toArray();
      assert.equal(restoredAccounts.length, ACCOUNTS);
      for (const acc of restoredAccounts) assert.equal(acc.a + acc.b, ACCOUNT_TOTAL, `account ${acc._id} kept a + b`);
      assert.ok(restoredAccounts.some((acc) => acc.a !== ACCOUNT_TOTAL / 2), 'transfers before the backup are in it');
    });
  });
});

describe('db:backup and restore refusals', () => {
  let engine: TestEngine;
  let client: MongoClient;
  let work: string;
  let snapshot: string;
  before(async () => {
    engine = await startTestEngine();
    client = await new MongoClient(engine.uri).connect();
    await client.db('crm').collection('people').insertMany([{ name: 'Ada' }, { name: 'Grace' }]);
    work = makeTempDir('relata-backup-refusals-');
    snapshot = path.join(work, 'snapshot.sqlite3');
    const made = await backupCli(['--dbpath', engine.dataDir, '--out', snapshot]);
    assert.equal(made.code, 0, made.stderr);
  });
  after(async () => {
    await client.close();
    await engine.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('refuses bad arguments with exit code 2 and the usage text', async () => {
    const [noOut, unknown, both] = await Promise.all([
      backupCli(['--dbpath', engine.dataDir]),
      backupCli(['--dbpath', engine.dataDir, '--out', path.join(work, 'x'), '--frobnicate']),
      backupCli(['--dbpath', engine.dataDir, '--out', path.join(work, 'y'), '--restore', snapshot]),
    ]);
    assert.equal(noOut.code, 2);
    assert.match(noOut.stderr, /--out is required/);
    assert.match(noOut.stderr, /usage:/);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /frobnicate/);
    assert.equal(both.code, 2);
    assert.ok(!existsSync(path.join(work, 'x')) && !existsSync(path.join(work, 'y')), 'no backup file was written');
  });

  it('refuses a folder without engine data and writes no file', async () => {
    const empty = makeTempDir('relata-empty-');
    try {
      const res = await backupCli(['--dbpath', empty, '--out', path.join(work, 'none.sqlite3')]);
      assert.equal(res.code, 1);
      assert.match(res.stderr, /no embedded-engine data in/);
      assert.ok(!existsSync(path.join(work, 'none.sqlite3')), 'no backup file was written');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('refuses to overwrite an existing file unless --force is given', async () => {
    const file = path.join(work, 'existing.sqlite3');
    writeFileSync(file, 'keep me');
    const refused = await backupCli(['--dbpath', engine.dataDir, '--out', file]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /already exists.*--force/);
    assert.equal(readFileSync(file, 'utf8'), 'keep me');
    const forced = await backupCli(['--dbpath', engine.dataDir, '--out', file, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(readFileSync(file).subarray(0, 15).toString(), 'SQLite format 3');
  });

  it('refuses to restore into a folder an engine is running on, and the engine keeps its data', async () => {
    const res = await backupCli(['--restore', snapshot, '--dbpath', engine.dataDir, '--force']);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /an engine is running on it/);
    assert.equal(await client.db('crm').collection('people').countDocuments(), 2);
  });

  it('refuses to replace existing data without --force; with --force it keeps the old data aside', async () => {
    const dir = path.join(work, 'restore-target');
    assert.equal((await backupCli(['--restore', snapshot, '--dbpath', dir])).code, 0);
    await withEngineOn(dir, async (c) => {
      await c.db('crm').collection('people').insertOne({ name: 'only in the old data' });
    });
    const refused = await backupCli(['--restore', snapshot, '--dbpath', dir]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /already holds engine data.*--force/);
    assert.equal(await withEngineOn(dir, (c) => c.db('crm').collection('people').countDocuments()), 3);

    const forced = await backupCli(['--restore', snapshot, '--dbpath', dir, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /previous data kept as .*pre-restore/);
    assert.equal(await withEngineOn(dir, (c) => c.db('crm').collection('people').countDocuments()), 2);
    assert.ok(readdirSync(dir).some((name) => name.startsWith('engine.sqlite3.pre-restore-')), 'the replaced data is kept aside');
  });

  it('refuses to restore a file that is not a backup and leaves the folder without engine data', async () => {
    const bogus = path.join(work, 'bogus.sqlite3');
    writeFileSync(bogus, 'this is not a database, just text long enough to be read '.repeat(20));
    const dir = path.join(work, 'bogus-target');
    const res = await backupCli(['--restore', bogus, '--dbpath', dir]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /not a database|not embedded-engine data/);
    assert.ok(!existsSync(path.join(dir, 'engine.sqlite3')), 'no engine file was created');
    assert.deepEqual(readdirSync(dir).filter((name) => name.startsWith('engine.sqlite3')), []);
  });
});

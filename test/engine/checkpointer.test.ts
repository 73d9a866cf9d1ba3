/**
 * The background checkpointer (storage/checkpointer.ts) really copies the WAL into the
 * database file from its own thread, while the writer's connection stays usable.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { BackgroundCheckpointer, type CheckpointResult } from '../../plugins/embedded-mongo/storage/checkpointer.ts';
import { tempDir } from './helpers.ts';

test('a requested checkpoint runs on the worker thread and copies every committed frame', async () => {
  const dir = tempDir();
  const file = join(dir, 'engine.sqlite3');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0'); // only the background thread checkpoints
  db.exec('CREATE TABLE t (v BLOB)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < 2000; i += 1) insert.run(Buffer.alloc(1000, i & 255));
  })();
  const results: CheckpointResult[] = [];
  const done = new Promise<void>((resolve) => {
    const checkpointer = new BackgroundCheckpointer(file, (result) => {
      results.push(result);
      checkpointer.close();
      resolve();
    });
    checkpointer.request();
  });
  await done;
  const [result] = results;
  assert.ok(result && !('error' in result), JSON.stringify(result));
  assert.ok(result.log > 400, `the WAL held the writes (${result.log} frames)`);
  assert.equal(result.checkpointed, result.log, 'every frame was copied into the database file');
  assert.equal((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 2000);
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

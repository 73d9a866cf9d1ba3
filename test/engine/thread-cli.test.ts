/** The engine in a worker thread and as the foreground CLI (`npm run db`). */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../plugins/embedded-mongo/index.ts';
import { startEmbeddedMongoInWorker } from '../../plugins/embedded-mongo/thread.ts';
import { tempDir } from './helpers.ts';

const CLI = fileURLToPath(new URL('../../plugins/embedded-mongo/cli.ts', import.meta.url));

describe('worker thread and CLI', () => {
  test('startEmbeddedMongoInWorker serves the driver, persists, and releases the folder on close', async () => {
    const dataDir = tempDir();
    const engine = await startEmbeddedMongoInWorker({ dataDir });
    assert.match(engine.uri, /^mongodb:\/\/127\.0\.0\.1:\d+$/);
    const client = await MongoClient.connect(engine.uri);
    await client.db('w').collection('c').insertOne({ from: 'worker' });
    await client.close();
    await engine.close();
    const again = await startEmbeddedMongo({ dataDir });
    const c2 = await MongoClient.connect(again.uri);
    assert.equal((await c2.db('w').collection('c').findOne({}))?.from, 'worker');
    await c2.close();
    await again.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a worker on a folder that is already in use fails with the lock message', async () => {
    const dataDir = tempDir();
    const holder = await startEmbeddedMongo({ dataDir });
    try {
      await assert.rejects(startEmbeddedMongoInWorker({ dataDir }), /already in use/);
    } finally {
      await holder.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('the CLI prints its URI, serves clients, and exits cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0', '--dbpath', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const uri = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /(mongodb:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]);
      });
      void exitCode.then(() => reject(new Error(`CLI exited early: ${out}`)));
    });
    const client = await MongoClient.connect(uri);
    assert.equal((await client.db('x').command({ ping: 1 })).ok, 1);
    await client.close();
    child.kill('SIGTERM');
    assert.equal(await exitCode, 0);
    rmSync(dataDir, { recursive: true, force: true });
  });
});

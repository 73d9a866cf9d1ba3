import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startHttpServer } from '../../core/http/server.ts';
import { makeTempDir, startTestEngine, type TestEngine } from '../support/engine.ts';
import { createTestPlatform, type TestPlatform } from '../support/platform.ts';
import { spawnScript } from '../support/process.ts';

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('graceful shutdown of the HTTP server', () => {
  let engine: TestEngine;
  let platform: TestPlatform;
  before(async () => {
    engine = await startTestEngine();
    platform = await createTestPlatform({ uri: engine.uri });
    platform.app.get('/slow', async (c) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return c.json({ finished: true });
    });
  });
  after(async () => {
    await platform.close();
    await engine.dispose();
  });

  it('stops accepting new connections but finishes the request in flight', async () => {
    const server = await startHttpServer({ app: platform.app, port: 0, host: '127.0.0.1' });
    const inFlight = fetch(`http://127.0.0.1:${server.port}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = server.close(5000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await canConnect(server.port), false, 'no new connections while closing');
    const response = await inFlight;
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { finished: true });
    await closing;
  });
});

describe('the platform process (npm start)', () => {
  it('serves /health, then on SIGTERM finishes, closes the database and exits 0', async () => {
    const dataDir = makeTempDir('relata-main-');
    try {
      const run = spawnScript('main.ts', { PORT: '0', HOST: '127.0.0.1', RELATA_DATA_DIR: dataDir });
      const line = await run.waitForLine(/Relata listening/, 30000);
      const port = Number(/"port":(\d+)/.exec(line)?.[1]);
      assert.ok(port > 0);
      let health = 0;
      for (let attempt = 0; attempt < 50 && health !== 200; attempt += 1) {
        health = (await fetch(`http://127.0.0.1:${port}/health`)).status;
        if (health !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      assert.equal(health, 200);
      run.child.kill('SIGTERM');
      const { code } = await run.exited;
      assert.equal(code, 0, `${run.stdout.join('\n')} ${run.stderr.join('\n')}`);
      assert.ok(run.stdout.some((l) => l.includes('shutdown complete')));

      // The engine released its data folder: a second start on it works.
      const again = spawnScript('main.ts', { PORT: '0', HOST: '127.0.0.1', RELATA_DATA_DIR: dataDir });
      await again.waitForLine(/Relata listening/, 30000);
      again.child.kill('SIGINT');
      const second = await again.exited;
      assert.equal(second.code, 0, `${JSON.stringify(second)} ${again.stdout.join('\n')} ${again.stderr.join('\n')}`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('stops at start-up with a one-line message naming a bad variable', async () => {
    const run = spawnScript('main.ts', { PORT: 'eighty' });
    const { code } = await run.exited;
    assert.equal(code, 78);
    assert.deepEqual(run.stderr, ['Invalid configuration: PORT must be an integer between 0 and 65535, got "eighty"']);
  });
});

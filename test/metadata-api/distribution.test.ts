import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, uniqueDbName, type TestApi } from '../support/api.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { spawnScript, type RunningProcess } from '../support/process.ts';

describe('metadata distribution across processes', () => {
  let engine: TestEngine;
  let api: TestApi;
  let second: RunningProcess;
  let port: number;
  const dbName = uniqueDbName();

  before(async () => {
    engine = await startTestEngine();
    api = await startTestApi({ engine, dbName });
    await api.request('POST', '/api/v1/meta/entities', {
      name: 'account',
      label: { en: 'Account' },
      fields: [{ name: 'title', type: 'text', label: { en: 'Title' } }],
    });
    second = spawnScript('main.ts', { PORT: '0', HOST: '127.0.0.1', MONGODB_URI: engine.uri, RELATA_DB_NAME: dbName, RELATA_WORKERS: 'false' });
    const line = await second.waitForLine(/Relata listening/, 30000);
    port = Number(/"port":(\d+)/.exec(line)?.[1]);
  });
  after(async () => {
    second.child.kill('SIGTERM');
    await second.exited;
    await api.close();
    await engine.dispose();
  });

  it('a second server process on the same database sees a new field within 2 s', async () => {
    const seen = async () => {
      const response = await fetch(`http://127.0.0.1:${port}/api/v1/meta/entities/account`, { headers: { authorization: `Bearer ${api.token}` } });
      const body = (await response.json()) as { fields: Array<{ name: string }> };
      return body.fields.some((field) => field.name === 'headcount');
    };
    assert.equal(await seen(), false);
    const added = await api.request('POST', '/api/v1/meta/entities/account/fields', { name: 'headcount', type: 'integer', label: { en: 'Headcount' } });
    assert.equal(added.status, 201);
    const started = Date.now();
    while (!(await seen())) {
      assert.ok(Date.now() - started < 2000, 'not seen within 2 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // And it accepts records using the field.
    const created = await fetch(`http://127.0.0.1:${port}/api/v1/data/account`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token}` },
      body: JSON.stringify({ title: 'Acme', headcount: 250 }),
    });
    assert.equal(created.status, 201);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectDatabase, type Database } from '../../core/db/connection.ts';
import { createMetrics } from '../../core/observability/metrics.ts';
import { createPlatform, type Platform } from '../../core/platform.ts';
import { TEST_PASSWORD_COST, uniqueDbName } from '../support/api.ts';
import { makeTempDir, startTestEngine, type TestEngine } from '../support/engine.ts';
import { createCapturingLogger } from '../support/platform.ts';

describe('the first administrator', () => {
  let engine: TestEngine;
  let database: Database;
  const platforms: Platform[] = [];
  const dbName = uniqueDbName();
  before(async () => {
    engine = await startTestEngine();
    database = await connectDatabase({ uri: engine.uri, dbName });
  });
  after(async () => {
    for (const platform of platforms) await platform.close();
    await database.close();
    await engine.dispose();
  });

  async function start(auth: { adminEmail?: string; adminPassword?: string }) {
    const printed: string[] = [];
    const { logger, lines } = createCapturingLogger();
    const platform = await createPlatform({
      database,
      logger,
      metrics: createMetrics(),
      appsDir: makeTempDir('relata-apps-'),
      auth: { ...auth, passwordCost: TEST_PASSWORD_COST, print: (text) => printed.push(text) },
    });
    platforms.push(platform);
    return { platform, printed, lines };
  }

  it('is created on an empty database with a random password printed once, outside the log', async () => {
    const first = await start({ adminEmail: 'Root@Example.com' });
    assert.equal(first.printed.length, 1);
    const password = /password: (\S+)/.exec(first.printed[0]!)?.[1];
    assert.ok(password && password.length >= 16, first.printed[0]);
    assert.match(first.printed[0]!, /root@example\.com/);
    assert.equal(first.lines.some((line) => line.includes(password)), false, 'never in the structured log');

    const login = await first.platform.app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'root@example.com', password }),
    });
    assert.equal(login.status, 200);
    const { token } = (await login.json()) as { token: string };
    const me = await first.platform.app.request('/api/v1/auth/me', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(((await me.json()) as { isAdmin: boolean }).isAdmin, true);

    const second = await start({ adminEmail: 'other@example.com' });
    assert.equal(second.printed.length, 0, 'never again');
    assert.equal(await database.db.collection('user').countDocuments(), 1);
    const audit = await database.db.collection('_audit').find({ type: 'admin.bootstrapped' }).toArray();
    assert.equal(audit.length, 1);
    assert.equal(JSON.stringify(audit).includes(password), false);
  });
});

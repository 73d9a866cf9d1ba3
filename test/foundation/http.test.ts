import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { createTestPlatform, type TestPlatform } from '../support/platform.ts';

describe('HTTP skeleton against a running database', () => {
  let engine: TestEngine;
  let platform: TestPlatform;

  before(async () => {
    engine = await startTestEngine();
    platform = await createTestPlatform({ uri: engine.uri });
    platform.app.get('/boom', () => {
      throw new Error('secret internal detail at /srv/relata/core/x.ts:12');
    });
  });
  after(async () => {
    await platform.close();
    await engine.dispose();
  });

  it('GET /health answers 200 {"status":"ok"} once the database answers a ping', async () => {
    const response = await platform.app.request('/health');
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  it('answers 404 on unknown routes as problem+json', async () => {
    const response = await platform.app.request('/no/such/route');
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const problem = (await response.json()) as Record<string, unknown>;
    assert.equal(problem.status, 404);
    assert.equal(problem.title, 'Not Found');
    assert.equal(typeof problem.type, 'string');
    assert.equal(typeof problem.detail, 'string');
    assert.equal(problem.code, 'ROUTE_NOT_FOUND');
    assert.deepEqual(problem.errors, []);
  });

  it('answers 405 with Allow for a known path and a method it does not serve', async () => {
    const response = await platform.app.request('/health', { method: 'DELETE' });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'GET, HEAD');
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const problem = (await response.json()) as Record<string, unknown>;
    assert.equal(problem.status, 405);
    assert.equal(problem.code, 'METHOD_NOT_ALLOWED');
  });

  it('answers a thrown error with a 500 problem that leaks neither message nor stack, and logs it', async () => {
    const response = await platform.app.request('/boom', { headers: { 'X-Request-Id': 'req-boom-1' } });
    assert.equal(response.status, 500);
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const text = await response.text();
    assert.ok(!text.includes('secret internal detail'), 'message must not leak');
    assert.ok(!text.includes('core/x.ts'), 'stack must not leak');
    const problem = JSON.parse(text) as Record<string, unknown>;
    assert.equal(problem.status, 500);
    assert.equal(problem.requestId, 'req-boom-1');
    assert.ok(platform.logLines.some((line) => line.includes('secret internal detail') && line.includes('req-boom-1')), 'the error is logged with the request id');
  });

  it('gives every response a request id, reusing a well-formed incoming one', async () => {
    const own = await platform.app.request('/health', { headers: { 'X-Request-Id': 'abc-123' } });
    assert.equal(own.headers.get('x-request-id'), 'abc-123');
    const generated = await platform.app.request('/health', { headers: { 'X-Request-Id': 'bad id\u0001' } });
    assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('exposes Prometheus metrics: requests by route, latency histogram, event-loop lag, database round-trips', async () => {
    await platform.app.request('/health');
    const response = await platform.app.request('/metrics');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    const body = await response.text();
    assert.match(body, /relata_http_requests_total\{method="GET",route="\/health",status="200"\} \d+/);
    assert.match(body, /relata_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/health",status="200"\}/);
    assert.match(body, /relata_http_requests_total\{method="GET",route="unmatched",status="404"\}/);
    assert.match(body, /nodejs_eventloop_lag_seconds /);
    assert.match(body, /relata_db_roundtrips_total\{command="ping",outcome="ok"\} \d+/);
  });

  it('never logs secrets from headers', async () => {
    platform.logLines.length = 0;
    await platform.app.request('/health', { headers: { Authorization: 'Bearer supersecret-token' } });
    assert.ok(platform.logLines.length > 0);
    assert.ok(platform.logLines.every((line) => !line.includes('supersecret-token')));
  });
});

describe('HTTP skeleton when the database is down', () => {
  it('GET /health answers 503', async () => {
    // Port 1 on loopback: nothing listens there.
    const platform = await createTestPlatform({ uri: 'mongodb://127.0.0.1:1/?directConnection=true', serverSelectionTimeoutMS: 300 });
    try {
      const response = await platform.app.request('/health');
      assert.equal(response.status, 503);
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body.status, 'unavailable');
    } finally {
      await platform.close();
    }
  });
});

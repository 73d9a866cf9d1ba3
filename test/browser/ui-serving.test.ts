/**
 * Serving the web UI from the API process: the built SPA at `/`, hashed
 * assets cached as immutable, client-side routes answered with index.html
 * for browser navigations only, API and unknown-file paths still 404
 * problems, and a clear 503 problem when the UI was never built.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import type { AppEnv } from '../../core/http/env.ts';
import { uiFallback, UI_DIST_DIR } from '../../core/http/routes/ui.ts';
import { ensureUiBuilt } from '../../ui/ensure-built.ts';
import { makeTempDir } from '../support/engine.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

describe('web UI serving', () => {
  let api: TestApi;
  before(async () => {
    ensureUiBuilt({ quiet: true });
    api = await startTestApi();
  });
  after(async () => api?.close());

  it('serves index.html at / with an HTML content type and revalidation', async () => {
    const response = await api.platform.app.request('/');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.match(await response.text(), /<div id="app"><\/div>/);
  });

  it('serves hashed assets with their content type, cached as immutable', async () => {
    const script = readdirSync(join(UI_DIST_DIR, 'assets')).find((name) => name.endsWith('.js'));
    assert.ok(script, 'the build emits a script');
    const response = await api.platform.app.request(`/assets/${script}`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  });

  it('answers a browser navigation to a client-side route with index.html (SPA fallback)', async () => {
    const response = await api.platform.app.request('/e/organization/123', { headers: { accept: 'text/html,application/xhtml+xml' } });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /<div id="app">/);
  });

  it('keeps 404 problems for unknown API routes, missing files and non-browser requests', async () => {
    for (const [path, accept] of [['/api/v1/nope', 'text/html'], ['/assets/missing.js', 'text/html'], ['/e/organization', 'application/json']] as const) {
      const response = await api.platform.app.request(path, { headers: { accept } });
      assert.equal(response.status, path.startsWith('/api/') ? 401 : 404, path);
      assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/, path);
    }
  });

  it('never serves a file outside the build folder', async () => {
    const response = await api.platform.app.request('/..%2f..%2fpackage.json', { headers: { accept: 'text/html' } });
    assert.notEqual(await response.text().then((text) => text.includes('"name": "relata"')), true);
  });

  it('explains how to build the UI when there is no build', async () => {
    const app = new Hono<AppEnv>();
    const serve = uiFallback({ distDir: makeTempDir('relata-no-ui-') });
    app.notFound(async (c) => (await serve(c)) ?? c.text('none', 404));
    const response = await app.request('/');
    assert.equal(response.status, 503);
    const problem = (await response.json()) as { detail: string };
    assert.match(problem.detail, /npm run build:ui/);
  });
});

/**
 * Test helper: the whole platform (metadata, records, routes) over a fresh
 * database on the embedded engine, and a small JSON client for its API.
 */
import { connectDatabase, type Database } from '../../core/db/connection.ts';
import { createMetrics } from '../../core/observability/metrics.ts';
import { createPlatform, type Platform } from '../../core/platform.ts';
import { startTestEngine, makeTempDir, type TestEngine } from './engine.ts';
import { createCapturingLogger } from './platform.ts';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestApi {
  engine: TestEngine;
  database: Database;
  platform: Platform;
  request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export function uniqueDbName(): string {
  return `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export async function startTestApi(options: { engine?: TestEngine; dbName?: string; appsDir?: string; metadataPollMs?: number } = {}): Promise<TestApi> {
  const engine = options.engine ?? (await startTestEngine());
  const { logger } = createCapturingLogger();
  const metrics = createMetrics();
  const database = await connectDatabase({ uri: engine.uri, dbName: options.dbName ?? uniqueDbName(), metrics });
  // An empty apps folder by default: tests define the entities they need.
  const platform = await createPlatform({ database, logger, metrics, appsDir: options.appsDir ?? makeTempDir('relata-apps-'), metadataPollMs: options.metadataPollMs });
  return {
    engine,
    database,
    platform,
    async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      }
      const response = await platform.app.request(path, init);
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // leave as text
      }
      return { status: response.status, headers: response.headers, body: parsed as T };
    },
    async close() {
      await platform.close();
      await database.close();
      if (!options.engine) await engine.dispose();
    },
  };
}

/**
 * Test helper: the HTTP app over a real database connection, without
 * listening on a port (requests go through `app.request`).
 */
import { Writable } from 'node:stream';
import { connectDatabase, type Database } from '../../core/db/connection.ts';
import { createApp, type RelataApp } from '../../core/http/app.ts';
import { createLogger, type Logger } from '../../core/observability/logger.ts';
import { createMetrics, type Metrics } from '../../core/observability/metrics.ts';

/** A logger whose lines are kept in memory, so tests can read what was logged. */
export function createCapturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), lines };
}

export interface TestPlatform {
  app: RelataApp;
  database: Database;
  metrics: Metrics;
  logLines: string[];
  close(): Promise<void>;
}

export async function createTestPlatform(options: { uri: string; dbName?: string; serverSelectionTimeoutMS?: number }): Promise<TestPlatform> {
  const { logger, lines } = createCapturingLogger();
  const metrics = createMetrics();
  const database = await connectDatabase({
    uri: options.uri,
    dbName: options.dbName ?? `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    metrics,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS,
  });
  const app = createApp({ logger, metrics, database });
  return { app, database, metrics, logLines: lines, close: () => database.close() };
}

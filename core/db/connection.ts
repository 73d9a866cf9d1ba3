/**
 * The one MongoDB connection of a process, through the official driver.
 * Command monitoring feeds the round-trip metrics.
 */
import { MongoClient, type Db } from 'mongodb';
import type { Metrics } from '../observability/metrics.ts';

export interface Database {
  client: MongoClient;
  db: Db;
  /** true when the server answers a ping within the timeout */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function connectDatabase(options: {
  uri: string;
  dbName: string;
  metrics?: Metrics;
  appName?: string;
  serverSelectionTimeoutMS?: number;
}): Promise<Database> {
  const client = new MongoClient(options.uri, {
    appName: options.appName ?? 'relata',
    monitorCommands: options.metrics !== undefined,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5000,
  });
  const metrics = options.metrics;
  if (metrics) {
    client.on('commandSucceeded', (event) => {
      metrics.dbRoundTrips.inc({ command: event.commandName, outcome: 'ok' });
      metrics.dbDuration.observe({ command: event.commandName }, event.duration / 1000);
    });
    client.on('commandFailed', (event) => {
      metrics.dbRoundTrips.inc({ command: event.commandName, outcome: 'error' });
      metrics.dbDuration.observe({ command: event.commandName }, event.duration / 1000);
    });
  }
  // No eager connect: the driver connects on first use, so the HTTP server can
  // start (and /health answer 503) while the database is still coming up.
  const db = client.db(options.dbName);
  return {
    client,
    db,
    async ping(timeoutMs = 2000) {
      try {
        await db.command({ ping: 1 }, { timeoutMS: timeoutMs });
        return true;
      } catch {
        return false;
      }
    },
    close: () => client.close(),
  };
}

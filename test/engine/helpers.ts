/** Shared setup for engine tests: a fresh engine in a temp folder, reached through the driver. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo, type EmbeddedMongoOptions } from '../../plugins/embedded-mongo/index.ts';

export interface Harness {
  engine: EmbeddedMongo;
  client: MongoClient;
  db: Db;
  dataDir: string;
  /** Stops client and engine, then starts both again on the same folder. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'relata-engine-test-'));
}

export async function startHarness(opts: Partial<EmbeddedMongoOptions> = {}, dbName = 'test'): Promise<Harness> {
  const dataDir = opts.dataDir ?? tempDir();
  const h = {} as Harness;
  const boot = async (): Promise<void> => {
    h.engine = await startEmbeddedMongo({ ...opts, dataDir, port: 0 });
    h.client = await MongoClient.connect(h.engine.uri, { serverSelectionTimeoutMS: 5000 });
    h.db = h.client.db(dbName);
  };
  await boot();
  h.dataDir = dataDir;
  h.restart = async () => {
    await h.client.close();
    await h.engine.close();
    await boot();
  };
  h.close = async () => {
    await h.client.close();
    await h.engine.close();
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return h;
}

/** Runs fn and returns the MongoServerError it throws (fails the test if it does not throw one). */
export async function serverError(fn: () => Promise<unknown>): Promise<MongoServerError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof MongoServerError) return err;
    throw err;
  }
  throw new Error('expected a MongoServerError, but the operation succeeded');
}

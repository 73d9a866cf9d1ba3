/**
 * The embedded MongoDB-compatible engine: an in-process server speaking the MongoDB wire
 * protocol on a loopback port, storing data in SQLite under `dataDir`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Engine } from './engine/engine.ts';
import { startTtlMonitor } from './engine/ttl.ts';
import { createExecutor } from './commands/dispatch.ts';
import { acquireFolderLock } from './storage/lock.ts';
import { SqliteStore } from './storage/sqlite-store.ts';
import { startWireServer } from './wire/server.ts';

export interface EmbeddedMongo {
  /** mongodb://127.0.0.1:<port> */
  uri: string;
  port: number;
  close(): Promise<void>;
}

export interface EngineLogger {
  info(msg: string): void;
  error(msg: string): void;
}

export interface EmbeddedMongoOptions {
  dataDir: string;
  /** 0 or absent: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  logger?: EngineLogger;
  /** TTL monitor period (MongoDB: 60 s). */
  ttlIntervalMs?: number;
  /** Idle time after which an open cursor is discarded (MongoDB: 10 minutes). */
  cursorTimeoutMs?: number;
  /** SQLite synchronous mode: NORMAL (default) survives process kill; FULL also power loss. */
  synchronous?: 'NORMAL' | 'FULL';
}

const silentLogger: EngineLogger = { info: () => {}, error: () => {} };

export async function startEmbeddedMongo(opts: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const logger = opts.logger ?? silentLogger;
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = acquireFolderLock(dataDir);
  let store: SqliteStore | undefined;
  try {
    store = new SqliteStore({ dataDir, synchronous: opts.synchronous });
    const engine = new Engine(store, { cursorTimeoutMs: opts.cursorTimeoutMs });
    engine.load();
    const stopTtl = startTtlMonitor(engine, opts.ttlIntervalMs ?? 60_000, logger.error);
    const host = opts.host ?? '127.0.0.1';
    const server = await startWireServer({
      host,
      port: opts.port ?? 0,
      execute: createExecutor(engine, logger.error),
      logger,
    });
    const uriHost = host.includes(':') ? `[${host}]` : host;
    logger.info(`embedded MongoDB engine listening on mongodb://${uriHost}:${server.port} (data: ${dataDir})`);
    let closed: Promise<void> | undefined;
    return {
      uri: `mongodb://${uriHost}:${server.port}`,
      port: server.port,
      close() {
        closed ??= (async () => {
          stopTtl();
          await server.close();
          engine.close();
          lock.release();
        })();
        return closed;
      },
    };
  } catch (err) {
    store?.close();
    lock.release();
    throw err;
  }
}

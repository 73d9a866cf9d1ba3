/**
 * Copies the SQLite WAL into the database file from a worker thread with its own connection,
 * so that checkpoints (page copies and an fsync) never pause the engine's thread. WAL mode
 * lets a PASSIVE checkpoint run beside the writer: it copies what is committed and never
 * blocks or fails a write. The engine's own connection keeps a high auto-checkpoint limit
 * only as a safety valve.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Plain CommonJS for an eval worker: no TypeScript loader is needed for a few lines. */
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
parentPort.on('message', (msg) => {
  if (msg === 'checkpoint') {
    try {
      const [result] = db.pragma('wal_checkpoint(PASSIVE)');
      parentPort.postMessage({ log: result.log, checkpointed: result.checkpointed });
    } catch (err) {
      parentPort.postMessage({ error: String(err) }); // the next request tries again
    }
    return;
  }
  if (msg === 'close') {
    db.close();
    parentPort.close();
  }
});
`;

/** What one checkpoint did: WAL frames in the log and frames copied into the database. */
export type CheckpointResult = { log: number; checkpointed: number } | { error: string };

export class BackgroundCheckpointer {
  private worker: Worker | null = null;
  private isClosed = false;

  constructor(
    private readonly file: string,
    private readonly onResult?: (result: CheckpointResult) => void,
  ) {}

  /** Asks for a passive checkpoint (starts the thread on first use). */
  request(): void {
    if (this.isClosed) return;
    if (!this.worker) {
      const driver = createRequire(import.meta.url).resolve('better-sqlite3');
      this.worker = new Worker(SOURCE, { eval: true, workerData: { driver, file: this.file } });
      this.worker.unref();
      this.worker.on('message', (result: CheckpointResult) => this.onResult?.(result));
      // A failing checkpointer must not take the engine down; the commit-path limit still applies.
      this.worker.on('error', () => (this.worker = null));
    }
    this.worker.postMessage('checkpoint');
  }

  close(): void {
    this.isClosed = true;
    this.worker?.postMessage('close');
    this.worker = null;
  }
}

/**
 * The engine in its own worker thread, so the API's event loop and the engine's do not
 * compete. close() asks the worker to flush and release the folder lock, then ends it.
 */
import { Worker } from 'node:worker_threads';
import type { EmbeddedMongo, EmbeddedMongoOptions } from './index.ts';
import type { WorkerMessage } from './worker-entry.ts';

export type { EmbeddedMongo };
export type WorkerEngineOptions = Omit<EmbeddedMongoOptions, 'logger'>;

const TSX_FLAG = /^--(import|require|loader|experimental-loader)(=.*)?$/;

/** Parent flags minus tsx loader flags (the bootstrap registers tsx itself, exactly once). */
function workerExecArgv(): string[] {
  const out: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const m = TSX_FLAG.exec(argv[i]);
    if (!m) {
      out.push(argv[i]);
      continue;
    }
    const value = m[2] ? m[2].slice(1) : argv[++i];
    if (!value?.includes('tsx')) out.push(m[2] ? argv[i] : `${argv[i - 1]}=${value}`);
  }
  return out;
}

/**
 * Loader flags given in a worker's execArgv do not apply to its entry module on Node 20,
 * so the worker starts from a tiny script that registers tsx and then imports the entry.
 */
function bootstrapSource(): string {
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(new URL('./worker-entry.ts', import.meta.url).href);
  return `import(${api}).then((tsx) => { tsx.register(); return import(${entry}); });`;
}

export function startEmbeddedMongoInWorker(opts: WorkerEngineOptions): Promise<EmbeddedMongo> {
  const worker = new Worker(bootstrapSource(), { eval: true, workerData: opts, execArgv: workerExecArgv() });
  return new Promise((resolve, reject) => {
    let isReady = false;
    let onClosed: (() => void) | undefined;
    worker.on('message', (msg: WorkerMessage) => {
      switch (msg.type) {
        case 'log':
          if (msg.level === 'error') process.stderr.write(`[embedded-mongo] ${msg.message}\n`);
          return;
        case 'failed':
          reject(new Error(msg.message));
          return;
        case 'closed':
          onClosed?.();
          return;
        case 'ready': {
          isReady = true;
          let closing: Promise<void> | undefined;
          resolve({
            uri: msg.uri,
            port: msg.port,
            close() {
              closing ??= new Promise<void>((done) => {
                onClosed = () => void worker.terminate().then(() => done());
                worker.once('exit', () => done());
                worker.postMessage({ type: 'close' });
              });
              return closing;
            },
          });
        }
      }
    });
    worker.once('error', (err) => {
      if (!isReady) reject(err);
      else process.stderr.write(`[embedded-mongo] worker crashed: ${err.message}\n`);
    });
    worker.once('exit', (code) => {
      if (!isReady) reject(new Error(`embedded engine worker exited with code ${code} before it was ready`));
    });
  });
}

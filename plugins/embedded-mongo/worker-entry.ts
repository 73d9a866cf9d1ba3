/** Worker-thread entry: runs the engine and answers the parent's close request. */
import { parentPort, workerData } from 'node:worker_threads';
import { startEmbeddedMongo, type EmbeddedMongoOptions } from './index.ts';

export type WorkerMessage =
  | { type: 'ready'; uri: string; port: number }
  | { type: 'failed'; message: string }
  | { type: 'closed' }
  | { type: 'log'; level: 'info' | 'error'; message: string };

const port = parentPort;
if (!port) throw new Error('worker-entry.ts must run inside a worker thread');
const post = (m: WorkerMessage): void => port.postMessage(m);

try {
  const engine = await startEmbeddedMongo({
    ...(workerData as Omit<EmbeddedMongoOptions, 'logger'>),
    logger: {
      info: (message) => post({ type: 'log', level: 'info', message }),
      error: (message) => post({ type: 'log', level: 'error', message }),
    },
  });
  port.on('message', (msg: unknown) => {
    if ((msg as { type?: unknown }).type !== 'close') return;
    void engine.close().then(() => {
      post({ type: 'closed' });
      port.close();
    });
  });
  post({ type: 'ready', uri: engine.uri, port: engine.port });
} catch (err) {
  post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  port.close();
}

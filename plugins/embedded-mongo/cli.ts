/**
 * `npm run db -- --port 27027 --dbpath ./data/db`: runs the engine in the foreground until
 * SIGINT/SIGTERM, printing its connection URI.
 */
import { parseArgs } from 'node:util';
import { startEmbeddedMongo } from './index.ts';

const USAGE = 'usage: npm run db -- [--port 27017] [--dbpath ./data/db] [--host 127.0.0.1] [--sync-full]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '27017' },
      dbpath: { type: 'string', default: process.env.RELATA_DATA_DIR ? `${process.env.RELATA_DATA_DIR}/db` : './data/db' },
      host: { type: 'string', default: '127.0.0.1' },
      'sync-full': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}\n${USAGE}`);
  const engine = await startEmbeddedMongo({
    dataDir: values.dbpath,
    port,
    host: values.host,
    synchronous: values['sync-full'] ? 'FULL' : 'NORMAL',
    logger: {
      info: (m) => process.stdout.write(`${m}\n`),
      error: (m) => process.stderr.write(`${m}\n`),
    },
  });
  process.stdout.write(`ready: ${engine.uri}\n`);
  let isStopping = false;
  const stop = (signal: string): void => {
    if (isStopping) return;
    isStopping = true;
    process.stdout.write(`${signal}: stopping\n`);
    void engine.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

/**
 * Composition root: the only file that wires core, plugins and workers
 * together. `npm start` runs it: the whole platform in one process, on the
 * embedded engine unless MONGODB_URI is set.
 */
import { runUntilSignalled } from './core/process/lifecycle.ts';
import { ConfigError, loadConfig, type Config } from './core/config/config.ts';
import { connectDatabase, type Database } from './core/db/connection.ts';
import { waitForDatabase } from './core/db/wait.ts';
import { startHttpServer, type HttpServer } from './core/http/server.ts';
import { createLogger, type Logger } from './core/observability/logger.ts';
import { createMetrics } from './core/observability/metrics.ts';
import { createPlatform, type Platform } from './core/platform.ts';
import { createEmailPlugin, type EmailPlugin } from './plugins/email/index.ts';
import { startEmbeddedMongoInWorker, type EmbeddedMongo } from './plugins/embedded-mongo/thread.ts';
import { agendaJobQueue, createAgenda } from './workers/agenda.ts';
import { startWorkers, type RunningWorkers } from './workers/runtime.ts';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

/** What is running, in start order; shutdown closes it in reverse. */
interface Running {
  engine?: EmbeddedMongo;
  database?: Database;
  platform?: Platform;
  email?: EmailPlugin;
  workers?: RunningWorkers;
  server?: HttpServer;
}

async function start(config: Config, logger: Logger, running: Running): Promise<void> {
  const metrics = createMetrics();
  let uri = config.mongodbUri;
  if (!uri) {
    running.engine = await startEmbeddedMongoInWorker({ dataDir: config.dataDir, port: 0 });
    logger.info({ dataDir: config.dataDir, port: running.engine.port }, 'embedded MongoDB-compatible engine started');
    uri = running.engine.uri;
  }
  running.database = await connectDatabase({ uri, dbName: config.dbName, metrics });
  await waitForDatabase(running.database, logger, { timeoutMs: 60_000 });
  const db = running.database.db;
  // Always a queue (reminders are scheduled by the API); processing only with RELATA_WORKERS.
  const agenda = createAgenda({ db, name: `api-${process.pid}` });
  const jobs = agendaJobQueue(agenda);
  running.platform = await createPlatform({
    database: running.database,
    logger,
    metrics,
    auth: { adminEmail: config.adminEmail, adminPassword: config.adminPassword, trustProxy: config.trustProxy },
    jobs,
  });
  if (config.runWorkers) {
    if (config.smtpUrl) running.email = await createEmailPlugin({ db, smtpUrl: config.smtpUrl, logger });
    const { records, audit, rules } = running.platform;
    running.workers = await startWorkers({ agenda, deps: { db, logger, mailer: running.email?.mailer, registry: running.platform.registry, jobs }, rules, handover: { records, audit } });
  }
  running.server = await startHttpServer({ app: running.platform.app, port: config.port, host: config.host });
  logger.info({ port: running.server.port }, `Relata listening on http://localhost:${running.server.port}`);
}

async function stop(config: Config, running: Running): Promise<void> {
  await running.server?.close(config.shutdownGraceSeconds * 1000);
  await running.workers?.stop(config.shutdownGraceSeconds * 1000);
  running.email?.close();
  await running.platform?.close();
  await running.database?.close();
  await running.engine?.close();
}

function main(): void {
  const config = readConfig();
  const logger = createLogger({ level: config.logLevel });
  const running: Running = {};
  runUntilSignalled({ logger, name: 'Relata', label: 'shutdown', start: () => start(config, logger, running), stop: () => stop(config, running) });
}

main();

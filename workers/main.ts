/**
 * `npm run worker`: a process that runs only background jobs — the worker
 * side of a scale-out deployment (N API processes, M workers, one MongoDB).
 * It is that process's composition root, wired like main.ts: configuration,
 * database, metadata registry (for labels), the email plugin when SMTP_URL
 * is set, the record service (schedule rules, handover returns), and
 * Agenda. It needs MONGODB_URI: the embedded engine belongs to the process
 * that started it (for a local try, run `npm run db` and point both
 * `npm start` and `npm run worker` at it).
 */
import { runUntilSignalled } from '../core/process/lifecycle.ts';
import { ConfigError, loadConfig, type Config } from '../core/config/config.ts';
import { connectDatabase, type Database } from '../core/db/connection.ts';
import { waitForDatabase } from '../core/db/wait.ts';
import { createRolePolicy } from '../core/access/role-policy.ts';
import { AuditLog } from '../core/audit/audit-log.ts';
import { ensureHandoverIndexes } from '../core/handover/store.ts';
import { EventBus } from '../core/events/bus.ts';
import { MetadataRegistry } from '../core/metadata/registry.ts';
import { MetadataStore } from '../core/metadata/store.ts';
import { ensureNotificationIndexes } from '../core/notifications/notification-store.ts';
import { ensureReminderIndexes } from '../core/notifications/reminders/reminder-store.ts';
import { createLogger, type Logger } from '../core/observability/logger.ts';
import type { RecordDeps } from '../core/records/deps.ts';
import { createRulesModule, type RulesModule } from '../core/rules/module.ts';
import { createEmailPlugin, type EmailPlugin } from '../plugins/email/index.ts';
import { agendaJobQueue, createAgenda } from './agenda.ts';
import { newWorkerId, startWorkers, type RunningWorkers } from './runtime.ts';

interface Running {
  database?: Database;
  registry?: MetadataRegistry;
  email?: EmailPlugin;
  workers?: RunningWorkers;
  rules?: RulesModule;
}

function readConfig(): Config {
  try {
    const config = loadConfig();
    if (!config.mongodbUri) throw new ConfigError('MONGODB_URI', 'is required by `npm run worker` (the embedded engine runs inside `npm start`, which runs the jobs itself)');
    return config;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

async function start(config: Config, logger: Logger, running: Running): Promise<void> {
  running.database = await connectDatabase({ uri: config.mongodbUri!, dbName: config.dbName, appName: 'relata-worker' });
  await waitForDatabase(running.database, logger, { timeoutMs: 60_000 });
  const db = running.database.db;
  await ensureNotificationIndexes(db);
  await ensureReminderIndexes(db);
  await ensureHandoverIndexes(db);
  running.registry = new MetadataRegistry(new MetadataStore(db), logger);
  await running.registry.start();
  const workerId = newWorkerId();
  if (config.smtpUrl) running.email = await createEmailPlugin({ db, smtpUrl: config.smtpUrl, logger, workerId });
  const agenda = createAgenda({ db, name: workerId });
  const jobs = agendaJobQueue(agenda);
  // Schedule rules act through the record operations; their events run event rules here too (this process's own bus).
  const records: RecordDeps = { db, registry: running.registry, bus: new EventBus(logger), access: createRolePolicy({ registry: running.registry }) };
  running.rules = await createRulesModule({ records, logger });
  const handover = { records, audit: new AuditLog(db, logger) };
  running.workers = await startWorkers({ agenda, workerId, deps: { db, logger, mailer: running.email?.mailer, registry: running.registry, jobs }, rules: running.rules, handover });
}

async function stop(config: Config, running: Running): Promise<void> {
  await running.workers?.stop(config.shutdownGraceSeconds * 1000);
  running.rules?.close();
  running.email?.close();
  running.registry?.stop();
  await running.database?.close();
}

function main(): void {
  const config = readConfig();
  const logger = createLogger({ level: config.logLevel });
  const running: Running = {};
  runUntilSignalled({ logger, name: 'Relata worker', label: 'worker shutdown', start: () => start(config, logger, running), stop: () => stop(config, running) });
}

main();

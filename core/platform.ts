/**
 * The platform kernel assembled over one database connection: metadata store
 * and registry, event bus, access policy, record service, identity and audit,
 * and the HTTP app. main.ts (and tests) call this; it knows nothing of plugins.
 */
import { fileURLToPath } from 'node:url';
import type { AccessPolicy } from './access/policy.ts';
import { createRolePolicy } from './access/role-policy.ts';
import { AuditLog } from './audit/audit-log.ts';
import { auditMetadataChanges } from './audit/metadata-audit.ts';
import { auditRoutes } from './audit/routes.ts';
import { handoverRoutes } from './handover/routes.ts';
import { ensureHandoverIndexes } from './handover/store.ts';
import { ensureFirstAdmin } from './auth/bootstrap-admin.ts';
import type { AuthOptions } from './auth/deps.ts';
import { createAuthModule, type AuthModule } from './auth/module.ts';
import { profileRoutes } from './auth/profile-routes.ts';
import { USER_ENTITY } from './auth/users.ts';
import { createCalendarModule } from './calendar/module.ts';
import type { Database } from './db/connection.ts';
import { duplicateAdvisor } from './engagement/duplicates/advisor.ts';
import { engagementDataRoutes, summaryRoutes } from './engagement/routes.ts';
import { EventBus } from './events/bus.ts';
import { createApp, type RelataApp } from './http/app.ts';
import type { JobQueue } from './jobs/job-kinds.ts';
import { applyShippedMetadata } from './metadata/bootstrap.ts';
import { applySystemDocuments } from './metadata/bootstrap-documents.ts';
import { MetadataRegistry } from './metadata/registry.ts';
import { metadataRoutes } from './metadata/routes.ts';
import { openApiRoutes } from './openapi/routes.ts';
import { boardRoutes, pipelineDataRoutes } from './pipelines/routes.ts';
import { createRulesModule, type RulesModule } from './rules/module.ts';
import type { MetadataDeps } from './metadata/service-deps.ts';
import { MetadataStore } from './metadata/store.ts';
import { createNotificationsModule } from './notifications/module.ts';
import type { Logger } from './observability/logger.ts';
import type { Metrics } from './observability/metrics.ts';
import type { RecordDeps } from './records/deps.ts';
import { recordRoutes } from './records/routes.ts';
import { HISTORY_COLLECTION } from './records/stored-record.ts';

export const SHIPPED_APPS_DIR = fileURLToPath(new URL('../metadata/apps/', import.meta.url));
export const SYSTEM_METADATA_DIR = fileURLToPath(new URL('../metadata/system/', import.meta.url));

/** Identity settings: the first administrator (RELATA_ADMIN_*) and auth tuning. */
export interface PlatformAuthOptions extends Partial<AuthOptions> {
  adminEmail?: string;
  adminPassword?: string;
  /** where a generated first-administrator password is shown (default: stdout) */
  print?: (text: string) => void;
}

export interface Platform {
  app: RelataApp;
  registry: MetadataRegistry;
  store: MetadataStore;
  bus: EventBus;
  records: RecordDeps;
  metadata: MetadataDeps;
  auth: AuthModule;
  audit: AuditLog;
  /** the rule engine: event-triggered rules run on `bus`; `rules.runDue` is the schedule job */
  rules: RulesModule;
  close(): Promise<void>;
}

export async function createPlatform(options: {
  database: Database;
  logger: Logger;
  metrics: Metrics;
  appsDir?: string;
  metadataPollMs?: number;
  /** replaces the role- and direction-based policy (tests of the record service) */
  access?: AccessPolicy;
  auth?: PlatformAuthOptions;
  /** where reminder deliveries are queued for the workers; absent: their periodic sweep finds them */
  jobs?: JobQueue;
  /** further route groups behind the same middleware (sign-in, audit): embedding and benchmarks */
  extraMounts?: Array<{ path: string; routes: RelataApp }>;
}): Promise<Platform> {
  const { database, logger, metrics } = options;
  const db = database.db;
  const store = new MetadataStore(db);
  await store.ensureIndexes();
  await db.collection(HISTORY_COLLECTION).createIndex({ entity: 1, recordId: 1, version: -1 }, { name: 'record_history' });
  const registry = new MetadataRegistry(store, logger, options.metadataPollMs ?? 1000);
  const metadata: MetadataDeps = { db, store, registry };
  await applyShippedMetadata({ deps: metadata, logger, appsDir: options.appsDir ?? SHIPPED_APPS_DIR, systemDir: SYSTEM_METADATA_DIR });
  await applySystemDocuments({ deps: metadata, logger, systemDir: SYSTEM_METADATA_DIR });
  await registry.start();

  const audit = new AuditLog(db, logger);
  await audit.ensureIndexes();
  await ensureHandoverIndexes(db);
  const { adminEmail, adminPassword, print, ...authOptions } = options.auth ?? {};
  const auth = await createAuthModule({ db, registry, audit, logger, options: authOptions });
  const bus = new EventBus(logger);
  const access = options.access ?? createRolePolicy({ registry });
  const records: RecordDeps = { db, registry, bus, access, hooks: new Map([[USER_ENTITY, auth.userHook]]), advisors: [duplicateAdvisor] };
  await ensureFirstAdmin({ deps: auth.deps, records, email: adminEmail, password: adminPassword, print });
  const notifications = await createNotificationsModule({ db, logger, bus, jobs: options.jobs });
  const rules = await createRulesModule({ records, logger });
  const calendar = await createCalendarModule({ records, trustProxy: authOptions.trustProxy });
  const app = createApp({
    logger,
    metrics,
    database,
    // The calendar feed carries its own credential (the token in its URL): served before sign-in is required.
    middleware: [calendar.publicFeed, auth.middleware, auditMetadataChanges(audit)],
    mounts: [
      { path: '/api/v1/auth', routes: auth.routes },
      { path: '/api/v1/auth', routes: profileRoutes(records) },
      { path: '/api/v1/audit', routes: auditRoutes({ audit }) },
      { path: '/api/v1/handover', routes: handoverRoutes({ records, audit }) },
      { path: '/api/v1/meta', routes: metadataRoutes(metadata, { access }) },
      { path: '/api/v1/data', routes: recordRoutes(records) },
      { path: '/api/v1/data', routes: engagementDataRoutes(records) },
      { path: '/api/v1/data', routes: pipelineDataRoutes(records) },
      { path: '/api/v1/board', routes: boardRoutes(records) },
      ...rules.mounts,
      { path: '/api/v1/summary', routes: summaryRoutes(records) },
      ...notifications.mounts,
      ...calendar.mounts,
      ...(options.extraMounts ?? []),
      { path: '/api/v1', routes: openApiRoutes({ registry, routeTable: () => app.routes }) },
    ],
  });
  return {
    app,
    registry,
    store,
    bus,
    records,
    metadata,
    auth,
    audit,
    rules,
    async close() {
      registry.stop();
      rules.close();
      notifications.close();
      await bus.drain();
    },
  };
}

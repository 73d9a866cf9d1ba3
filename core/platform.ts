/**
 * The platform kernel assembled over one database connection: metadata store
 * and registry, event bus, access policy, record service and the HTTP app.
 * main.ts (and tests) call this; it knows nothing of plugins.
 */
import { fileURLToPath } from 'node:url';
import { allowAll, type AccessPolicy } from './access/policy.ts';
import type { Database } from './db/connection.ts';
import { engagementDataRoutes, summaryRoutes } from './engagement/routes.ts';
import { EventBus } from './events/bus.ts';
import { createApp, type RelataApp } from './http/app.ts';
import { applyShippedMetadata } from './metadata/bootstrap.ts';
import { MetadataRegistry } from './metadata/registry.ts';
import { metadataRoutes } from './metadata/routes.ts';
import { openApiRoutes } from './openapi/routes.ts';
import type { MetadataDeps } from './metadata/service-deps.ts';
import { MetadataStore } from './metadata/store.ts';
import type { Logger } from './observability/logger.ts';
import type { Metrics } from './observability/metrics.ts';
import type { RecordDeps } from './records/deps.ts';
import { recordRoutes } from './records/routes.ts';
import { HISTORY_COLLECTION } from './records/stored-record.ts';

export const SHIPPED_APPS_DIR = fileURLToPath(new URL('../metadata/apps/', import.meta.url));

export interface Platform {
  app: RelataApp;
  registry: MetadataRegistry;
  store: MetadataStore;
  bus: EventBus;
  records: RecordDeps;
  metadata: MetadataDeps;
  close(): Promise<void>;
}

export async function createPlatform(options: {
  database: Database;
  logger: Logger;
  metrics: Metrics;
  appsDir?: string;
  metadataPollMs?: number;
  access?: AccessPolicy;
}): Promise<Platform> {
  const { database, logger, metrics } = options;
  const db = database.db;
  const store = new MetadataStore(db);
  await store.ensureIndexes();
  await db.collection(HISTORY_COLLECTION).createIndex({ entity: 1, recordId: 1, version: -1 }, { name: 'record_history' });
  const registry = new MetadataRegistry(store, logger, options.metadataPollMs ?? 1000);
  const metadata: MetadataDeps = { db, store, registry };
  await applyShippedMetadata({ deps: metadata, logger, appsDir: options.appsDir ?? SHIPPED_APPS_DIR });
  await registry.start();

  const bus = new EventBus(logger);
  const records: RecordDeps = { db, registry, bus, access: options.access ?? allowAll };
  const app = createApp({
    logger,
    metrics,
    database,
    mounts: [
      { path: '/api/v1/meta', routes: metadataRoutes(metadata) },
      { path: '/api/v1/data', routes: recordRoutes(records) },
      { path: '/api/v1/data', routes: engagementDataRoutes(records) },
      { path: '/api/v1/summary', routes: summaryRoutes(records) },
      { path: '/api/v1', routes: openApiRoutes({ registry }) },
    ],
  });
  return {
    app,
    registry,
    store,
    bus,
    records,
    metadata,
    async close() {
      registry.stop();
      await bus.drain();
    },
  };
}

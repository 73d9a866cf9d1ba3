/**
 * `npm run seed:demo`: fills the database the platform uses (MONGODB_URI, or
 * the embedded engine in RELATA_DATA_DIR — stop `npm start` first, the data
 * folder is locked while it runs) with a realistic CRM demo set: 6 managers,
 * 200 organizations, 600 persons with ~700 employments (some in two
 * organizations, some former), 5,000 activities. Running it again does
 * nothing. `--force` adds the set to a database that already has
 * organizations.
 */
import { loadConfig } from '../core/config/config.ts';
import { connectDatabase } from '../core/db/connection.ts';
import { createLogger } from '../core/observability/logger.ts';
import { createMetrics } from '../core/observability/metrics.ts';
import { createPlatform } from '../core/platform.ts';
import { startEmbeddedMongoInWorker, type EmbeddedMongo } from '../plugins/embedded-mongo/thread.ts';
import { generateDemo } from './demo/generate.ts';
import { seedDemo } from './demo/seed.ts';

async function main(): Promise<number> {
  const config = loadConfig();
  const started = performance.now();
  let engine: EmbeddedMongo | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    try {
      engine = await startEmbeddedMongoInWorker({ dataDir: config.dataDir, port: 0 });
    } catch (error) {
      process.stderr.write(`Cannot open the embedded database in ${config.dataDir}: ${error instanceof Error ? error.message : String(error)}\nIf Relata is running, stop it first (the data folder is locked), or set MONGODB_URI.\n`);
      return 1;
    }
    uri = engine.uri;
  }
  const metrics = createMetrics();
  const database = await connectDatabase({ uri, dbName: config.dbName, metrics });
  const logger = createLogger({ level: 'warn' });
  const platform = await createPlatform({ database, logger, metrics, auth: { adminEmail: config.adminEmail, adminPassword: config.adminPassword } });
  try {
    const outcome = await seedDemo({ platform, set: generateDemo(), isForced: process.argv.includes('--force'), log: (line) => process.stdout.write(`  ${line}\n`) });
    if (outcome.kind === 'already-seeded') {
      process.stdout.write(`The demo data set is already there (seeded ${outcome.at.toISOString()}); nothing to do.\n`);
      return 0;
    }
    if (outcome.kind === 'refused') {
      process.stderr.write(`Not seeding: ${outcome.reason}.\n`);
      return 1;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`Demo data seeded into "${config.dbName}" in ${seconds} s: ${Object.entries(outcome.counts).map(([k, n]) => `${n} ${k}`).join(', ')}.\n`);
    process.stdout.write('Sign in as manager1@demo.relata.local … manager6@demo.relata.local (see scripts/demo/seed.ts for the password).\n');
    return 0;
  } finally {
    await platform.close();
    await database.close();
    await engine?.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`seed:demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

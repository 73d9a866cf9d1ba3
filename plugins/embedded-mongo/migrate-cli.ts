/**
 * `npm run db:migrate -- --dbpath D --to <mongodb-uri> [--drop-target] [--batch-size N]`
 * `npm run db:migrate -- --from-backup FILE --to <mongodb-uri> …`
 * Copies everything from the embedded engine's data to a MongoDB deployment and verifies it.
 */
import { MongoClient } from 'mongodb';
import { OpsError, UsageError, parseCliArgs, requireString, runCli } from './ops/cli-io.ts';
import { formatSummary, migrate } from './ops/migrate.ts';
import { openBackupFile, openDataFolder, type MigrationSource } from './ops/migrate-source.ts';

const USAGE = `usage:
  npm run db:migrate -- --dbpath <data folder> --to <mongodb-uri> [--drop-target] [--batch-size N]
      the folder must not be in use: stop the engine (or Relata) first
  npm run db:migrate -- --from-backup <backup file> --to <mongodb-uri> [--drop-target] [--batch-size N]
      migrates a backup made with npm run db:backup, while the installation keeps running
  --drop-target   replace target collections that already hold documents (default: refuse)
  --batch-size N  documents per insertMany (default 1000)`;

const OPTIONS = {
  dbpath: { type: 'string' },
  'from-backup': { type: 'string' },
  to: { type: 'string' },
  'drop-target': { type: 'boolean' },
  'batch-size': { type: 'string' },
  help: { type: 'boolean' },
} as const;

/** The URI without its password, for messages. */
function redact(uri: string): string {
  return uri.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

function parseBatchSize(raw: string | undefined): number {
  if (raw === undefined) return 1000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100000) throw new UsageError('--batch-size must be an integer from 1 to 100000');
  return n;
}

async function connectTarget(uri: string): Promise<MongoClient> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
    return client;
  } catch (err) {
    await client.close();
    throw new OpsError(`cannot reach the target ${redact(uri)}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function main(argv: string[]): Promise<void> {
  const args = parseCliArgs(argv, OPTIONS);
  if (args.flags.help) {
    console.log(USAGE);
    return;
  }
  const to = requireString(args, 'to');
  if (!/^mongodb(\+srv)?:\/\//.test(to)) throw new UsageError('--to must be a mongodb:// or mongodb+srv:// URI');
  const dbPath = args.strings.dbpath;
  const backupFile = args.strings['from-backup'];
  if ((dbPath === undefined) === (backupFile === undefined)) throw new UsageError('give exactly one of --dbpath and --from-backup');
  const batchSize = parseBatchSize(args.strings['batch-size']);

  const target = await connectTarget(to);
  let source: MigrationSource | undefined;
  let sourceClient: MongoClient | undefined;
  try {
    source = dbPath !== undefined ? await openDataFolder(dbPath) : await openBackupFile(backupFile ?? '');
    sourceClient = await new MongoClient(source.uri, { maxPoolSize: 2 }).connect();
    console.log(`migrating ${dbPath ?? backupFile} to ${redact(to)}`);
    const report = await migrate({
      source: sourceClient, target, dropTarget: args.flags['drop-target'], batchSize, log: (line) => console.log(line),
    });
    for (const line of formatSummary(report)) console.log(line);
    if (!report.isVerified) throw new OpsError('verification failed');
  } finally {
    await sourceClient?.close();
    await source?.close();
    await target.close();
  }
}

process.exitCode = await runCli(USAGE, () => main(process.argv.slice(2)));

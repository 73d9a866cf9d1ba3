/**
 * `npm run db:backup -- --dbpath D --out FILE [--force]`: consistent online backup of the engine's data.
 * `npm run db:backup -- --restore FILE --dbpath D [--force]`: restore a backup (engine stopped).
 */
import { parseCliArgs, requireString, runCli, UsageError } from './ops/cli-io.ts';
import { backupEngine } from './ops/backup.ts';
import { describeSummary } from './ops/engine-file.ts';
import { restoreBackup } from './ops/restore.ts';

const USAGE = `usage:
  npm run db:backup -- --dbpath <data folder> --out <backup file> [--force]
      copies the engine's data while it runs; --force overwrites an existing backup file
  npm run db:backup -- --restore <backup file> --dbpath <data folder> [--force]
      restores a backup into a data folder no engine is running on; --force replaces
      existing data (which is kept as engine.sqlite3.pre-restore-<time>)`;

const OPTIONS = {
  dbpath: { type: 'string' },
  out: { type: 'string' },
  restore: { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

function runBackupCli(argv: string[]): Promise<number> {
  return runCli(USAGE, async () => {
    const args = parseCliArgs(argv, OPTIONS);
    if (args.flags.help) {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    const dbPath = requireString(args, 'dbpath');
    const restoreFrom = args.strings.restore;
    if (restoreFrom !== undefined) {
      if (args.strings.out !== undefined) throw new UsageError('--restore and --out cannot be combined');
      const result = restoreBackup({ backupFile: restoreFrom, dbPath, force: args.flags.force });
      if (result.keptAs) console.log(`previous data kept as ${result.keptAs}`);
      console.log(`restored ${restoreFrom} into ${result.dbPath}: ${describeSummary(result.summary)}`);
      return;
    }
    const outFile = requireString(args, 'out');
    const result = await backupEngine({ dbPath, outFile, force: args.flags.force });
    console.log(`backup written to ${result.outFile}: ${describeSummary(result.summary)}, ${result.bytes} bytes in ${result.millis} ms`);
  });
}

process.exitCode = await runBackupCli(process.argv.slice(2));

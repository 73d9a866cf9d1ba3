/**
 * Online backup of a running (or stopped) engine: SQLite's backup API over a read-only connection
 * to `<dbPath>/engine.sqlite3`. The whole copy is one backup step, i.e. one read transaction on a
 * WAL snapshot, so it contains exactly the commands committed before it started and never blocks
 * the engine's writer. (Copying page batches across steps would restart whenever the engine
 * writes, and could starve under a steady write load.)
 */
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { OpsError } from './cli-io.ts';
import {
  WAL_SUFFIXES, assertIntact, engineFilePath, hasEngineFile, openSqlite, summarise, type EngineFileSummary,
} from './engine-file.ts';

export interface BackupOptions {
  dbPath: string;
  outFile: string;
  /** overwrite outFile if it exists */
  force: boolean;
}

export interface BackupResult {
  outFile: string;
  bytes: number;
  millis: number;
  summary: EngineFileSummary;
}

/** sqlite3_backup_step(N) with N at least the page count copies everything in one step. */
const ALL_PAGES = 0x7fffffff;

export async function backupEngine(opts: BackupOptions): Promise<BackupResult> {
  const started = Date.now();
  const dbPath = path.resolve(opts.dbPath);
  const outFile = path.resolve(opts.outFile);
  if (!hasEngineFile(dbPath)) {
    throw new OpsError(`no embedded-engine data in ${dbPath} (expected ${engineFilePath(dbPath)})`);
  }
  if (existsSync(outFile) && !opts.force) {
    throw new OpsError(`${outFile} already exists; choose another file or pass --force to overwrite it`);
  }
  if (existsSync(outFile) && !statSync(outFile).isFile()) throw new OpsError(`${outFile} exists and is not a file`);
  if (!existsSync(path.dirname(outFile))) throw new OpsError(`folder ${path.dirname(outFile)} does not exist`);
  if (outFile === engineFilePath(dbPath)) throw new OpsError('the backup file cannot be the engine file itself');

  const source = openSqlite(engineFilePath(dbPath), { readonly: true }, `engine data ${engineFilePath(dbPath)}`);
  // Written next to the target and renamed at the end: outFile is never seen half-written.
  const partial = `${outFile}.partial-${process.pid}`;
  try {
    summarise(source, `engine data in ${dbPath}`);
    await source.backup(partial, { progress: () => ALL_PAGES });
  } catch (err) {
    removeWithCompanions(partial);
    if (err instanceof OpsError) throw err;
    throw new OpsError(`backup of ${dbPath} failed: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    source.close();
  }

  let summary: EngineFileSummary;
  try {
    summary = sealBackupFile(partial);
    renameSync(partial, outFile);
  } catch (err) {
    removeWithCompanions(partial);
    throw err;
  }
  return { outFile, bytes: statSync(outFile).size, millis: Date.now() - started, summary };
}

/**
 * Checks the copy and switches it to rollback-journal mode so the backup is one self-contained
 * file (a WAL-mode file grows -wal/-shm companions whenever it is merely opened).
 */
function sealBackupFile(file: string): EngineFileSummary {
  const db = openSqlite(file, {}, 'the new backup');
  try {
    db.pragma('journal_mode = DELETE');
    assertIntact(db, 'the new backup');
    return summarise(db, 'the new backup');
  } finally {
    db.close();
  }
}

export function removeWithCompanions(file: string): void {
  for (const suffix of ['', ...WAL_SUFFIXES, '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

/**
 * Restore a backup into a data folder. It holds the engine's own folder lock while it works, so
 * it refuses while an engine runs on the folder and no engine can start half-way through.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { FolderInUseError, acquireFolderLock, type FolderLock } from '../storage/lock.ts';
import { removeWithCompanions } from './backup.ts';
import { OpsError } from './cli-io.ts';
import {
  WAL_SUFFIXES, assertIntact, describeSummary, engineFilePath, hasEngineFile, openSqlite, summarise,
  type EngineFileSummary,
} from './engine-file.ts';

export interface RestoreOptions {
  backupFile: string;
  dbPath: string;
  /** replace existing engine data (it is kept aside, not deleted) */
  force: boolean;
}

export interface RestoreResult {
  dbPath: string;
  summary: EngineFileSummary;
  /** where the data that was replaced now lives, if there was any */
  keptAs?: string;
}

export function restoreBackup(opts: RestoreOptions): RestoreResult {
  const backupFile = path.resolve(opts.backupFile);
  const dbPath = path.resolve(opts.dbPath);
  if (!existsSync(backupFile) || !statSync(backupFile).isFile()) throw new OpsError(`backup file ${backupFile} does not exist`);
  if (existsSync(dbPath) && !statSync(dbPath).isDirectory()) throw new OpsError(`${dbPath} is not a folder`);
  mkdirSync(dbPath, { recursive: true });

  const lock = lockFolder(dbPath);
  try {
    const target = engineFilePath(dbPath);
    if (hasEngineFile(dbPath) && !opts.force) {
      throw new OpsError(`${dbPath} already holds engine data (${describeExisting(target)}); pass --force to replace it (the current data is kept aside)`);
    }
    const staged = `${target}.restoring-${process.pid}`;
    let summary: EngineFileSummary;
    try {
      copyFileSync(backupFile, staged);
      summary = checkStaged(staged, backupFile);
    } catch (err) {
      removeWithCompanions(staged);
      throw err;
    }
    const keptAs = hasEngineFile(dbPath) ? keepAside(target) : undefined;
    // A -wal left behind by another file of the same name would be replayed into the restored one.
    for (const suffix of WAL_SUFFIXES) rmSync(`${target}${suffix}`, { force: true });
    renameSync(staged, target);
    return { dbPath, summary, keptAs };
  } finally {
    lock.release();
  }
}

function lockFolder(dbPath: string): FolderLock {
  try {
    return acquireFolderLock(dbPath);
  } catch (err) {
    if (err instanceof FolderInUseError) {
      throw new OpsError(`cannot restore into ${dbPath}: an engine is running on it; stop it first (${err.message})`);
    }
    throw err;
  }
}

/** Validates the copy (not the caller's file, which stays untouched) and makes it a single file. */
function checkStaged(staged: string, backupFile: string): EngineFileSummary {
  const label = `backup file ${backupFile}`;
  const db = openSqlite(staged, {}, label);
  try {
    const summary = summarise(db, label);
    assertIntact(db, label);
    db.pragma('journal_mode = DELETE');
    return summary;
  } finally {
    db.close();
  }
}

function describeExisting(file: string): string {
  try {
    const db = openSqlite(file, { readonly: true }, 'existing data');
    try {
      return describeSummary(summarise(db, 'existing data'));
    } finally {
      db.close();
    }
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Renames the current file with its WAL companions, which must keep matching names. */
function keepAside(target: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const aside = `${target}.pre-restore-${stamp}`;
  for (const suffix of ['', ...WAL_SUFFIXES]) {
    if (existsSync(`${target}${suffix}`)) renameSync(`${target}${suffix}`, `${aside}${suffix}`);
  }
  return aside;
}

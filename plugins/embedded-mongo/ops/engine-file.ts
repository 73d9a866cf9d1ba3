/**
 * What the operations tools know about the engine's data folder: the SQLite file's name and the
 * few tables they read to recognise it and summarise it (see README.md "Storage layout").
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { SCHEMA_VERSION } from '../storage/sqlite-store.ts';
import { OpsError } from './cli-io.ts';

export const ENGINE_FILE = 'engine.sqlite3';
/** SQLite's companions of a WAL-mode database file; they belong to the file with the same stem. */
export const WAL_SUFFIXES = ['-wal', '-shm'] as const;

export interface EngineFileSummary {
  schemaVersion: number;
  collections: number;
  documents: number;
  indexes: number;
}

export function engineFilePath(dataDir: string): string {
  return path.join(dataDir, ENGINE_FILE);
}

export function hasEngineFile(dataDir: string): boolean {
  const file = engineFilePath(dataDir);
  return existsSync(file) && statSync(file).isFile();
}

/**
 * Reads the schema version and counts from an open connection; throws OpsError when the file is
 * not engine data (no `meta` table, no schema version) or comes from a newer engine.
 */
export function summarise(db: Database.Database, label: string): EngineFileSummary {
  let version: string | undefined;
  try {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: string } | undefined;
    version = row?.value;
  } catch (err) {
    throw new OpsError(`${label} is not embedded-engine data (${err instanceof Error ? err.message : String(err)})`);
  }
  const schemaVersion = Number(version);
  if (version === undefined || !Number.isInteger(schemaVersion)) {
    throw new OpsError(`${label} is not embedded-engine data (no schema version in table meta)`);
  }
  if (schemaVersion > SCHEMA_VERSION) {
    throw new OpsError(`${label} has storage schema version ${schemaVersion}; this engine reads up to ${SCHEMA_VERSION}: upgrade Relata first`);
  }
  const count = (table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { schemaVersion, collections: count('collections'), documents: count('documents'), indexes: count('indexes') };
}

/** Opens a SQLite file, mapping "not a database" and friends to an OpsError naming the file. */
export function openSqlite(file: string, options: Database.Options, label: string): Database.Database {
  try {
    const db = new Database(file, { ...options, fileMustExist: true });
    db.pragma('schema_version'); // forces SQLite to read the header: a non-database fails here
    return db;
  } catch (err) {
    throw new OpsError(`cannot open ${label} as SQLite: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Runs SQLite's quick_check; a backup that fails it must never be restored. */
export function assertIntact(db: Database.Database, label: string): void {
  const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  if (problems.length > 0) throw new OpsError(`${label} failed SQLite's integrity check: ${problems.slice(0, 3).join('; ')}`);
}

export function describeSummary(s: EngineFileSummary): string {
  return `${s.collections} collection(s), ${s.documents} document(s), ${s.indexes} index(es), schema v${s.schemaVersion}`;
}

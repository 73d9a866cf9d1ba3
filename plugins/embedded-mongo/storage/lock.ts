/**
 * One engine per data folder. The lock is an exclusive write transaction held open on
 * `<dataDir>/engine.lock` (a tiny SQLite file): the OS drops it when the process dies,
 * even on kill -9, so a crashed engine never leaves a stale lock behind.
 */
import Database from 'better-sqlite3';
import path from 'node:path';

export interface FolderLock {
  release(): void;
}

export class FolderInUseError extends Error {}

const heldInProcess = new Set<string>();

export function acquireFolderLock(dataDir: string): FolderLock {
  const dir = path.resolve(dataDir);
  const inUse = (): FolderInUseError =>
    new FolderInUseError(`data folder ${dir} is already in use by another embedded MongoDB engine (lock ${path.join(dir, 'engine.lock')}); stop it first or choose another folder`);
  if (heldInProcess.has(dir)) throw inUse();
  const db = new Database(path.join(dir, 'engine.lock'), { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS lock (pid INTEGER)');
    db.exec('BEGIN EXCLUSIVE');
    db.prepare('DELETE FROM lock').run();
    db.prepare('INSERT INTO lock (pid) VALUES (?)').run(process.pid);
  } catch (err) {
    db.close();
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw inUse();
    throw err;
  }
  heldInProcess.add(dir);
  return {
    release() {
      if (!heldInProcess.delete(dir)) return;
      try {
        db.exec('ROLLBACK');
      } finally {
        db.close();
      }
    },
  };
}

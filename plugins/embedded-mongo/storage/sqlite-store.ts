/**
 * Durable storage in one SQLite file (`<dataDir>/engine.sqlite3`, WAL mode). The table layout is
 * a public contract for the backup and migrate tools; see README.md "Storage layout".
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import type { Doc } from '../bson/types.ts';
import { decode, encode } from '../bson/codec.ts';
import { BackgroundCheckpointer } from './checkpointer.ts';

export const SCHEMA_VERSION = 1;
const INSERT_CHUNK = 100;
/**
 * WAL checkpoints copy pages into the database file and fsync it; run inside a commit every
 * 1000 pages (SQLite's default) they were a third of a bulk insert's cost. They now run on
 * a background thread (checkpointer.ts) once writes pause, or after every few MB written;
 * the commit path checkpoints itself only past 10,000 pages (~40 MB of WAL).
 */
const WAL_AUTOCHECKPOINT_PAGES = 10_000;
const IDLE_CHECKPOINT_MS = 250;
const CHECKPOINT_EVERY_BYTES = 8 * 1024 * 1024;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS collections (
  id INTEGER PRIMARY KEY,
  db TEXT NOT NULL,
  name TEXT NOT NULL,
  options BLOB NOT NULL,
  UNIQUE (db, name)
);
CREATE TABLE IF NOT EXISTS indexes (
  coll_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  spec BLOB NOT NULL,
  PRIMARY KEY (coll_id, name)
);
CREATE TABLE IF NOT EXISTS documents (
  id INTEGER PRIMARY KEY,
  coll_id INTEGER NOT NULL,
  key TEXT NOT NULL,
  doc BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS documents_by_key ON documents (coll_id, key);
`;

export interface StoredCollection {
  id: number;
  db: string;
  name: string;
  options: Doc;
  indexes: Doc[];
}

export interface StoreOptions {
  dataDir: string;
  /** 'NORMAL' (default) survives a process kill; 'FULL' also survives power loss. */
  synchronous?: 'NORMAL' | 'FULL';
}

type Stmt = Database.Statement;

export class SqliteStore {
  readonly db: Database.Database;
  private readonly s: Record<
    'insertDoc' | 'updateDoc' | 'deleteDoc' | 'deleteDocsOf' | 'insertColl' | 'deleteColl' | 'renameColl' |
    'updateCollOptions' | 'insertIndex' | 'deleteIndex' | 'deleteIndexesOf' | 'rekeyDoc',
    Stmt
  >;
  private readonly runInTransaction: (fn: () => void) => void;
  /** Inserts are queued and written as multi-row statements (one native call per 100 rows). */
  private pending: Array<number | string | Buffer> = [];
  private readonly insertMany: Stmt;
  private idleCheckpoint: NodeJS.Timeout | null = null;
  private readonly checkpointer: BackgroundCheckpointer;
  private bytesSinceCheckpoint = 0;

  constructor(opts: StoreOptions) {
    const file = path.join(opts.dataDir, 'engine.sqlite3');
    this.db = new Database(file);
    this.checkpointer = new BackgroundCheckpointer(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${opts.synchronous ?? 'NORMAL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    this.db.exec(SCHEMA);
    this.db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run('schema_version', String(SCHEMA_VERSION));
    const p = (sql: string): Stmt => this.db.prepare(sql);
    this.s = {
      insertDoc: p('INSERT INTO documents (coll_id, key, doc) VALUES (?, ?, ?)'),
      updateDoc: p('UPDATE documents SET doc = ? WHERE coll_id = ? AND key = ?'),
      deleteDoc: p('DELETE FROM documents WHERE coll_id = ? AND key = ?'),
      deleteDocsOf: p('DELETE FROM documents WHERE coll_id = ?'),
      rekeyDoc: p('UPDATE documents SET key = ? WHERE id = ?'),
      insertColl: p('INSERT INTO collections (db, name, options) VALUES (?, ?, ?)'),
      deleteColl: p('DELETE FROM collections WHERE id = ?'),
      renameColl: p('UPDATE collections SET db = ?, name = ? WHERE id = ?'),
      updateCollOptions: p('UPDATE collections SET options = ? WHERE id = ?'),
      insertIndex: p('INSERT INTO indexes (coll_id, name, spec) VALUES (?, ?, ?)'),
      deleteIndex: p('DELETE FROM indexes WHERE coll_id = ? AND name = ?'),
      deleteIndexesOf: p('DELETE FROM indexes WHERE coll_id = ?'),
    };
    this.insertMany = p(`INSERT INTO documents (coll_id, key, doc) VALUES ${Array(INSERT_CHUNK).fill('(?, ?, ?)').join(', ')}`);
    this.runInTransaction = this.db.transaction((fn: () => void) => {
      fn();
      this.flush();
    });
  }

  /** Runs fn inside one SQLite transaction; throws (after rollback) if fn or COMMIT fails. */
  transaction(fn: () => void): void {
    try {
      this.runInTransaction(fn);
    } finally {
      this.pending = [];
      this.scheduleCheckpoint();
    }
  }

  /** Asks the background thread for a checkpoint after every few MB, and once writes pause. */
  private scheduleCheckpoint(): void {
    if (this.bytesSinceCheckpoint >= CHECKPOINT_EVERY_BYTES) {
      this.bytesSinceCheckpoint = 0;
      this.checkpointer.request();
    }
    if (this.idleCheckpoint) this.idleCheckpoint.refresh();
    else {
      this.idleCheckpoint = setTimeout(() => {
        this.idleCheckpoint = null;
        this.bytesSinceCheckpoint = 0;
        this.checkpointer.request();
      }, IDLE_CHECKPOINT_MS);
      this.idleCheckpoint.unref();
    }
  }

  /** Writes queued inserts; called before any other statement so SQL order follows call order. */
  flush(): void {
    const rows = this.pending;
    if (rows.length === 0) return;
    this.pending = [];
    const width = 3 * INSERT_CHUNK;
    let i = 0;
    for (; i + width <= rows.length; i += width) this.insertMany.run(rows.slice(i, i + width));
    for (; i < rows.length; i += 3) this.s.insertDoc.run(rows[i], rows[i + 1], rows[i + 2]);
  }

  loadCollections(): StoredCollection[] {
    const rows = this.db.prepare('SELECT id, db, name, options FROM collections ORDER BY id').all() as Array<{
      id: number; db: string; name: string; options: Buffer;
    }>;
    const idx = this.db.prepare('SELECT coll_id, spec FROM indexes ORDER BY rowid').all() as Array<{ coll_id: number; spec: Buffer }>;
    const byColl = new Map<number, Doc[]>();
    for (const r of idx) {
      const list = byColl.get(r.coll_id) ?? [];
      list.push(decode(r.spec));
      byColl.set(r.coll_id, list);
    }
    return rows.map((r) => ({ id: r.id, db: r.db, name: r.name, options: decode(r.options), indexes: byColl.get(r.id) ?? [] }));
  }

  /** Streams a collection's documents in insertion order. */
  *loadDocuments(collId: number): Generator<{ rowId: number; key: string; bytes: Buffer }> {
    const stmt = this.db.prepare('SELECT id, key, doc FROM documents WHERE coll_id = ? ORDER BY id');
    for (const row of stmt.iterate(collId) as Iterable<{ id: number; key: string; doc: Buffer }>) {
      yield { rowId: row.id, key: row.key, bytes: row.doc };
    }
  }

  rekey(rowId: number, key: string): void {
    this.flush();
    this.s.rekeyDoc.run(key, rowId);
  }

  /** `bytes` is the BSON encoding of the document. */
  insertDoc(collId: number, key: string, bytes: Buffer): void {
    this.bytesSinceCheckpoint += bytes.length;
    this.pending.push(collId, key, bytes);
  }

  updateDoc(collId: number, key: string, bytes: Buffer): void {
    this.bytesSinceCheckpoint += bytes.length;
    this.flush();
    this.s.updateDoc.run(bytes, collId, key);
  }

  deleteDoc(collId: number, key: string): void {
    this.flush();
    this.s.deleteDoc.run(collId, key);
  }

  insertCollection(db: string, name: string, options: Doc): number {
    this.flush();
    return Number(this.s.insertColl.run(db, name, encode(options)).lastInsertRowid);
  }

  dropCollection(collId: number): void {
    this.flush();
    this.s.deleteDocsOf.run(collId);
    this.s.deleteIndexesOf.run(collId);
    this.s.deleteColl.run(collId);
  }

  renameCollection(collId: number, db: string, name: string): void {
    this.flush();
    this.s.renameColl.run(db, name, collId);
  }

  updateCollectionOptions(collId: number, options: Doc): void {
    this.flush();
    this.s.updateCollOptions.run(encode(options), collId);
  }

  insertIndex(collId: number, spec: Doc): void {
    this.flush();
    this.s.insertIndex.run(collId, String(spec.name), encode(spec));
  }

  deleteIndex(collId: number, name: string): void {
    this.flush();
    this.s.deleteIndex.run(collId, name);
  }

  close(): void {
    if (this.idleCheckpoint) clearTimeout(this.idleCheckpoint);
    this.idleCheckpoint = null;
    this.checkpointer.close();
    this.db.close();
  }
}

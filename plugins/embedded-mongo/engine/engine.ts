/**
 * The engine's state: the catalog of databases and collections held in memory, loaded from
 * SQLite at start, and changed only through `write()` (one SQLite transaction per command).
 */
import { noteNumberWrappers } from '../bson/clone.ts';
import { decode } from '../bson/codec.ts';
import { keyOf } from '../bson/compare.ts';
import { isLazyStorable, storedId } from '../bson/stored.ts';
import type { Doc } from '../bson/types.ts';
import type { SqliteStore } from '../storage/sqlite-store.ts';
import { Collection } from './collection.ts';
import { CursorRegistry } from './cursors.ts';
import { Index } from './secondary-index.ts';
import { WriteTx, type Catalog } from './write-tx.ts';

export class Engine implements Catalog {
  readonly dbs = new Map<string, Map<string, Collection>>();
  readonly cursors: CursorRegistry;
  readonly startedAt = Date.now();

  constructor(
    readonly store: SqliteStore,
    opts: { cursorTimeoutMs?: number } = {},
  ) {
    this.cursors = new CursorRegistry(opts.cursorTimeoutMs);
  }

  /** Loads every collection, index and document from SQLite. */
  load(): void {
    for (const stored of this.store.loadCollections()) {
      const coll = new Collection(stored.db, stored.name, stored.id, stored.options);
      let colls = this.dbs.get(stored.db);
      if (!colls) {
        colls = new Map();
        this.dbs.set(stored.db, colls);
      }
      colls.set(stored.name, coll);
      const rekeys: Array<[number, string]> = [];
      // Documents of collections without secondary indexes stay as bytes until first read.
      const isLazy = stored.indexes.length === 0;
      for (const row of this.store.loadDocuments(stored.id)) {
        const isRaw = isLazy && isLazyStorable(row.bytes);
        const doc = isRaw ? undefined : decode(row.bytes);
        const key = keyOf(doc ? doc._id : storedId(row.bytes));
        // Keys are recomputed so a change in the key format can never strand a row.
        if (key !== row.key) rekeys.push([row.rowId, key]);
        if (doc) {
          noteNumberWrappers(doc);
          coll.docs.set(key, doc);
        } else coll.docs.setStored(key, row.bytes);
      }
      if (rekeys.length) this.store.transaction(() => rekeys.forEach(([rowId, key]) => this.store.rekey(rowId, key)));
      for (const spec of stored.indexes) {
        const ix = new Index(spec);
        for (const [id, doc] of coll.docs) ix.add(id, ix.keysFor(doc));
        coll.indexes.push(ix);
      }
    }
  }

  /** Runs fn as one atomic, durable write; memory is restored if fn throws or COMMIT fails. */
  write<T>(fn: (tx: WriteTx) => T): T {
    const tx = new WriteTx(this.store, this);
    let result: T | undefined;
    try {
      this.store.transaction(() => {
        result = fn(tx);
      });
    } catch (err) {
      tx.rollback();
      throw err;
    }
    return result as T;
  }

  getCollection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  /** The collection, created (implicitly, as MongoDB does on first write) when missing. */
  ensureCollection(tx: WriteTx, db: string, name: string): Collection {
    return this.getCollection(db, name) ?? tx.createCollection(db, name, {});
  }

  collectionsOf(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  allCollections(): Collection[] {
    const out: Collection[] = [];
    for (const colls of this.dbs.values()) out.push(...colls.values());
    return out;
  }

  close(): void {
    this.cursors.closeAll();
    this.store.close();
  }
}

export type { Doc };

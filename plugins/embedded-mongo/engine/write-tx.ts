/**
 * The only way state changes. A write command runs inside one WriteTx: every change is
 * applied to memory, written to SQLite in the same open transaction, and recorded in an
 * undo log, so a failed COMMIT leaves memory exactly as it was before the command.
 */
import { CommandError } from '../errors.ts';
import { keyOf } from '../bson/compare.ts';
import { noteNumberWrappers } from '../bson/clone.ts';
import { encode } from '../bson/codec.ts';
import { formatKey } from '../bson/format.ts';
import { storedId } from '../bson/stored.ts';
import { MAX_BSON_SIZE } from '../wire/messages.ts';
import type { Doc } from '../bson/types.ts';
import type { SqliteStore } from '../storage/sqlite-store.ts';
import { Collection } from './collection.ts';
import type { IndexKey } from './index-keys.ts';
import { Index } from './secondary-index.ts';

const NO_KEYS: Array<IndexKey[] | null> = [];

export interface Catalog {
  dbs: Map<string, Map<string, Collection>>;
}

/** Encodes a document for storage, enforcing the 16 MiB document limit. */
function encodeForStorage(doc: Doc, known?: Buffer): Buffer {
  return checkedSize(known ?? encode(doc));
}

function checkedSize(bytes: Buffer): Buffer {
  if (bytes.length > MAX_BSON_SIZE) {
    throw new CommandError(10334, `BSONObj size: ${bytes.length} (0x${bytes.length.toString(16)}) is invalid. Size must be between 0 and 16793600(16MB)`);
  }
  return bytes;
}

function duplicateKeyError(coll: Collection, indexName: string, pattern: Doc, values: unknown[]): CommandError {
  const keyValue: Doc = {};
  Object.keys(pattern).forEach((f, i) => (keyValue[f] = values[i]));
  return new CommandError(
    11000,
    `E11000 duplicate key error collection: ${coll.ns} index: ${indexName} dup key: ${formatKey(keyValue)}`,
    { keyPattern: { ...pattern }, keyValue },
  );
}

export class WriteTx {
  private readonly undo: Array<() => void> = [];

  constructor(
    private readonly store: SqliteStore,
    private readonly catalog: Catalog,
  ) {}

  /** Reverts every in-memory change of this transaction (SQLite rolls back on its own). */
  rollback(): void {
    for (let i = this.undo.length - 1; i >= 0; i--) this.undo[i]();
    this.undo.length = 0;
  }

  private indexKeys(coll: Collection, doc: Doc): Array<IndexKey[] | null> {
    return coll.indexes.length === 0 ? NO_KEYS : coll.indexes.map((ix) => ix.keysFor(doc));
  }

  private checkUnique(coll: Collection, keys: Array<IndexKey[] | null>, selfId: string): void {
    coll.indexes.forEach((ix, i) => {
      const conflict = ix.findConflict(keys[i], selfId);
      if (conflict) throw duplicateKeyError(coll, ix.name, ix.keyPattern, conflict.values);
    });
  }

  /** Inserts a document that already carries its `_id` as first field (`bytes`: its BSON, if known). */
  insert(coll: Collection, doc: Doc, bytes?: Buffer): string {
    const id = keyOf(doc._id);
    if (coll.docs.has(id)) throw duplicateKeyError(coll, '_id_', { _id: 1 }, [doc._id]);
    const keys = this.indexKeys(coll, doc);
    this.checkUnique(coll, keys, id);
    this.store.insertDoc(coll.id, id, encodeForStorage(doc, bytes));
    noteNumberWrappers(doc);
    coll.docs.set(id, doc);
    coll.noteId(id, doc._id, true);
    if (keys.length) coll.indexes.forEach((ix, i) => ix.add(id, keys[i]));
    this.undo.push(() => {
      coll.docs.delete(id);
      coll.noteId(id, doc._id, false);
      if (keys.length) coll.indexes.forEach((ix, i) => ix.remove(id, keys[i]));
    });
    return id;
  }

  /**
   * Inserts a document kept as its stored-form bytes (checked by `isLazyStorable`) into a
   * collection without secondary indexes: it is decoded only when first read.
   */
  insertStored(coll: Collection, bytes: Buffer): string {
    const idValue = storedId(bytes);
    const id = keyOf(idValue);
    if (coll.docs.has(id)) throw duplicateKeyError(coll, '_id_', { _id: 1 }, [idValue]);
    this.store.insertDoc(coll.id, id, checkedSize(bytes));
    coll.docs.setStored(id, bytes);
    coll.noteId(id, idValue, true);
    this.undo.push(() => {
      coll.docs.delete(id);
      coll.noteId(id, idValue, false);
    });
    return id;
  }

  /** Replaces the stored document `id` (same _id) by `next`. */
  replace(coll: Collection, id: string, next: Doc): void {
    const prev = coll.docs.get(id);
    if (!prev) throw new CommandError(1, `document ${id} vanished during update`);
    const oldKeys = this.indexKeys(coll, prev);
    const newKeys = this.indexKeys(coll, next);
    this.checkUnique(coll, newKeys, id);
    this.store.updateDoc(coll.id, id, encodeForStorage(next));
    noteNumberWrappers(next);
    coll.indexes.forEach((ix, i) => {
      ix.remove(id, oldKeys[i]);
      ix.add(id, newKeys[i]);
    });
    coll.docs.set(id, next);
    this.undo.push(() => {
      coll.indexes.forEach((ix, i) => {
        ix.remove(id, newKeys[i]);
        ix.add(id, oldKeys[i]);
      });
      coll.docs.set(id, prev);
    });
  }

  remove(coll: Collection, id: string): void {
    const prev = coll.docs.get(id);
    if (!prev) return;
    const keys = this.indexKeys(coll, prev);
    this.store.deleteDoc(coll.id, id);
    coll.docs.delete(id);
    coll.noteId(id, prev._id, false);
    coll.indexes.forEach((ix, i) => ix.remove(id, keys[i]));
    // Re-inserting moves the key to the end of the Map; natural order of a restored doc may change.
    this.undo.push(() => {
      coll.docs.set(id, prev);
      coll.noteId(id, prev._id, true);
      coll.indexes.forEach((ix, i) => ix.add(id, keys[i]));
    });
  }

  createCollection(db: string, name: string, options: Doc): Collection {
    const rowId = this.store.insertCollection(db, name, options);
    const coll = new Collection(db, name, rowId, options);
    let colls = this.catalog.dbs.get(db);
    const createdDb = !colls;
    if (!colls) {
      colls = new Map();
      this.catalog.dbs.set(db, colls);
    }
    colls.set(name, coll);
    const map = colls;
    this.undo.push(() => {
      map.delete(name);
      if (createdDb) this.catalog.dbs.delete(db);
    });
    return coll;
  }

  dropCollection(coll: Collection): void {
    this.store.dropCollection(coll.id);
    const colls = this.catalog.dbs.get(coll.db);
    colls?.delete(coll.name);
    const droppedDb = colls !== undefined && colls.size === 0;
    if (droppedDb) this.catalog.dbs.delete(coll.db);
    this.undo.push(() => {
      let map = this.catalog.dbs.get(coll.db);
      if (!map) {
        map = new Map();
        this.catalog.dbs.set(coll.db, map);
      }
      map.set(coll.name, coll);
    });
  }

  renameCollection(coll: Collection, toDb: string, toName: string): void {
    const from = { db: coll.db, name: coll.name };
    this.store.renameCollection(coll.id, toDb, toName);
    this.catalog.dbs.get(from.db)?.delete(from.name);
    if (this.catalog.dbs.get(from.db)?.size === 0) this.catalog.dbs.delete(from.db);
    let target = this.catalog.dbs.get(toDb);
    if (!target) {
      target = new Map();
      this.catalog.dbs.set(toDb, target);
    }
    coll.db = toDb;
    coll.name = toName;
    target.set(toName, coll);
    this.undo.push(() => {
      this.catalog.dbs.get(toDb)?.delete(toName);
      if (this.catalog.dbs.get(toDb)?.size === 0) this.catalog.dbs.delete(toDb);
      coll.db = from.db;
      coll.name = from.name;
      let map = this.catalog.dbs.get(from.db);
      if (!map) {
        map = new Map();
        this.catalog.dbs.set(from.db, map);
      }
      map.set(from.name, coll);
    });
  }

  /** Builds an index over the existing documents; fails (11000) if a unique index finds duplicates. */
  createIndex(coll: Collection, spec: Doc): Index {
    const ix = new Index(spec);
    for (const [id, doc] of coll.docs) {
      const keys = ix.keysFor(doc);
      const conflict = ix.findConflict(keys, id);
      if (conflict) throw duplicateKeyError(coll, ix.name, ix.keyPattern, conflict.values);
      ix.add(id, keys);
    }
    this.store.insertIndex(coll.id, spec);
    coll.indexes.push(ix);
    this.undo.push(() => {
      const i = coll.indexes.indexOf(ix);
      if (i >= 0) coll.indexes.splice(i, 1);
    });
    return ix;
  }

  dropIndex(coll: Collection, ix: Index): void {
    this.store.deleteIndex(coll.id, ix.name);
    const pos = coll.indexes.indexOf(ix);
    coll.indexes.splice(pos, 1);
    this.undo.push(() => coll.indexes.splice(pos, 0, ix));
  }

  updateOptions(coll: Collection, options: Doc): void {
    const prev = coll.options;
    this.store.updateCollectionOptions(coll.id, options);
    coll.options = options;
    this.undo.push(() => (coll.options = prev));
  }
}

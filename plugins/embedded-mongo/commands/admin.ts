/** Database and collection management: list, create, drop, rename, stats. */
import { createHash } from 'node:crypto';
import { Binary } from 'bson';
import { CommandError } from '../errors.ts';
import { encodedSize } from '../bson/codec.ts';
import { isNumeric, isPlainObject, toNumber, type Doc } from '../bson/types.ts';
import type { Collection } from '../engine/collection.ts';
import { cursorReply } from '../engine/cursors.ts';
import { compileValidator } from '../engine/validation.ts';
import { compileFilter } from '../query/filter.ts';
import { valuesEqual } from '../bson/compare.ts';
import { checkCollName, checkDbName, collectionArg, GENERIC_FIELDS, optBool, optDoc } from './args.ts';
import type { CommandContext, CommandHandler } from './types.ts';

function sizeOf(coll: Collection): number {
  let total = 0;
  for (const d of coll.docs.values()) total += encodedSize(d);
  return total;
}

function listDatabases(ctx: CommandContext): Doc {
  const filter = compileFilter(optDoc(ctx, 'filter'));
  const nameOnly = optBool(ctx, 'nameOnly') ?? false;
  const databases: Doc[] = [];
  let totalSize = 0;
  for (const [name, colls] of ctx.engine.dbs) {
    if (colls.size === 0) continue;
    let size = 0;
    if (!nameOnly) for (const c of colls.values()) size += sizeOf(c);
    const entry: Doc = nameOnly ? { name } : { name, sizeOnDisk: size, empty: size === 0 };
    if (!filter(entry)) continue;
    totalSize += size;
    databases.push(entry);
  }
  databases.sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return nameOnly ? { databases } : { databases, totalSize, totalSizeMb: Math.floor(totalSize / 1048576) };
}

const uuids = new Map<number, Binary>();

/**
 * MongoDB reports each collection's UUID. The engine stores none, so it derives a stable one
 * from the collection's row id (kept across restarts and renames, as a UUID is).
 */
function collectionUuid(id: number): Binary {
  let uuid = uuids.get(id);
  if (!uuid) {
    const bytes = createHash('sha256').update(`relata-embedded-collection:${id}`).digest().subarray(0, 16);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    uuid = new Binary(bytes, Binary.SUBTYPE_UUID);
    uuids.set(id, uuid);
  }
  return uuid;
}

function listCollections(ctx: CommandContext): Doc {
  const filter = compileFilter(optDoc(ctx, 'filter'));
  const nameOnly = optBool(ctx, 'nameOnly') ?? false;
  const cursor = optDoc(ctx, 'cursor');
  const batchSize = isNumeric(cursor?.batchSize) ? toNumber(cursor?.batchSize) : undefined;
  const entries: Doc[] = [];
  for (const coll of ctx.engine.collectionsOf(ctx.db)) {
    const full: Doc = {
      name: coll.name,
      type: 'collection',
      options: coll.options,
      info: { readOnly: false, uuid: collectionUuid(coll.id) },
      idIndex: { v: 2, key: { _id: 1 }, name: '_id_' },
    };
    if (!filter(full)) continue;
    entries.push(nameOnly ? { name: coll.name, type: 'collection' } : full);
  }
  const ns = `${ctx.db}.$cmd.listCollections`;
  const batch = ctx.engine.cursors.open(ns, entries, batchSize !== undefined && batchSize > 0 ? batchSize : Math.max(entries.length, 1));
  return cursorReply(ns, batch, 'firstBatch');
}

const UNSUPPORTED_CREATE_OPTIONS = ['capped', 'viewOn', 'pipeline', 'timeseries', 'clusteredIndex', 'changeStreamPreAndPostImages', 'encryptedFields'];

function create(ctx: CommandContext): Doc {
  const name = collectionArg(ctx);
  const options = createOptions(ctx);
  const existing = ctx.engine.getCollection(ctx.db, name);
  if (existing) {
    // MongoDB 7.0: creating an existing collection with identical options is a no-op.
    if (valuesEqual(existing.options, options)) return {};
    throw new CommandError(48, `Collection ${ctx.db}.${name} already exists.`);
  }
  for (const opt of UNSUPPORTED_CREATE_OPTIONS) {
    if (ctx.body[opt] !== undefined && ctx.body[opt] !== false) {
      throw new CommandError(115, `create option '${opt}' is not supported by the embedded engine`);
    }
  }
  compileValidator(options);
  const collation = ctx.body.collation;
  if (collation !== undefined && !(isPlainObject(collation) && collation.locale === 'simple')) {
    throw new CommandError(115, "create option 'collation' is not supported by the embedded engine (only { locale: 'simple' })");
  }
  ctx.engine.write((tx) => tx.createCollection(ctx.db, name, options));
  return {};
}

function createOptions(ctx: CommandContext): Doc {
  const options: Doc = {};
  for (const [k, v] of Object.entries(ctx.body)) {
    if (k === 'create' || k.startsWith('$') || GENERIC_FIELDS.has(k)) continue;
    options[k] = v;
  }
  return options;
}

function drop(ctx: CommandContext): Doc {
  const name = collectionArg(ctx);
  const coll = ctx.engine.getCollection(ctx.db, name);
  // MongoDB 7 answers ok for a missing collection.
  if (!coll) return {};
  const nIndexesWas = coll.indexes.length + 1;
  ctx.engine.write((tx) => tx.dropCollection(coll));
  return { nIndexesWas, ns: `${ctx.db}.${name}` };
}

function dropDatabase(ctx: CommandContext): Doc {
  const colls = ctx.engine.collectionsOf(ctx.db);
  if (colls.length) ctx.engine.write((tx) => colls.forEach((c) => tx.dropCollection(c)));
  return { dropped: ctx.db };
}

function splitNs(ns: unknown, field: string): { db: string; name: string } {
  if (typeof ns !== 'string' || !ns.includes('.')) throw new CommandError(73, `Invalid namespace specified '${String(ns)}' for ${field}`);
  const dot = ns.indexOf('.');
  const db = ns.slice(0, dot);
  const name = ns.slice(dot + 1);
  checkDbName(db);
  checkCollName(db, name);
  return { db, name };
}

function renameCollection(ctx: CommandContext): Doc {
  if (ctx.db !== 'admin') throw new CommandError(13, 'renameCollection may only be run against the admin database.');
  const from = splitNs(ctx.body.renameCollection, 'renameCollection');
  const to = splitNs(ctx.body.to, 'to');
  const dropTarget = optBool(ctx, 'dropTarget') ?? false;
  const source = ctx.engine.getCollection(from.db, from.name);
  if (!source) throw new CommandError(26, 'Source collection ' + `${from.db}.${from.name} does not exist`);
  if (from.db === to.db && from.name === to.name) throw new CommandError(20, `Can't rename a collection to itself`);
  const target = ctx.engine.getCollection(to.db, to.name);
  if (target && !dropTarget) throw new CommandError(48, 'target namespace exists');
  ctx.engine.write((tx) => {
    if (target) tx.dropCollection(target);
    tx.renameCollection(source, to.db, to.name);
  });
  return {};
}

function collStats(ctx: CommandContext): Doc {
  const name = collectionArg(ctx);
  const coll = ctx.engine.getCollection(ctx.db, name);
  if (!coll) throw new CommandError(26, `Collection [${ctx.db}.${name}] not found.`);
  const size = sizeOf(coll);
  const count = coll.docs.size;
  const indexSizes: Doc = {};
  for (const spec of coll.indexSpecs()) indexSizes[String(spec.name)] = 0;
  return {
    ns: coll.ns,
    size,
    count,
    avgObjSize: count ? Math.floor(size / count) : 0,
    storageSize: size,
    nindexes: coll.indexes.length + 1,
    totalIndexSize: 0,
    indexSizes,
    capped: false,
  };
}

function dbStats(ctx: CommandContext): Doc {
  const colls = ctx.engine.collectionsOf(ctx.db);
  let objects = 0;
  let dataSize = 0;
  let indexes = 0;
  for (const c of colls) {
    objects += c.docs.size;
    dataSize += sizeOf(c);
    indexes += c.indexes.length + 1;
  }
  return {
    db: ctx.db,
    collections: colls.length,
    views: 0,
    objects,
    avgObjSize: objects ? dataSize / objects : 0,
    dataSize,
    storageSize: dataSize,
    indexes,
    indexSize: 0,
    totalSize: dataSize,
    scaleFactor: 1,
  };
}

export const ADMIN_COMMANDS: Record<string, CommandHandler> = {
  listDatabases,
  listCollections,
  create,
  drop,
  dropDatabase,
  renameCollection,
  collStats,
  dbStats,
};

/** createIndexes, listIndexes, dropIndexes. */
import { CommandError } from '../errors.ts';
import { valuesEqual } from '../bson/compare.ts';
import { isNumeric, isPlainObject, toNumber, type Doc } from '../bson/types.ts';
import type { Collection } from '../engine/collection.ts';
import { cursorReply } from '../engine/cursors.ts';
import { compileFilter } from '../query/filter.ts';
import { collectionArg, optArray, optDoc } from './args.ts';
import type { CommandContext, CommandHandler } from './types.ts';

const SUPPORTED_OPTIONS = new Set(['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'background', 'hidden']);
const IGNORED_FIELDS = new Set(['key', 'name', 'v', 'ns']);

function defaultName(key: Doc): string {
  return Object.entries(key).map(([k, v]) => `${k}_${String(v)}`).join('_');
}

/** Validates a requested index and returns the spec as stored and listed. */
export function normalizeIndexSpec(raw: unknown): Doc {
  if (!isPlainObject(raw)) throw new CommandError(14, 'index specification must be an object');
  const key = raw.key;
  if (!isPlainObject(key) || Object.keys(key).length === 0) throw new CommandError(67, 'Index keys cannot be empty.');
  for (const [field, dir] of Object.entries(key)) {
    if (typeof dir === 'string') throw new CommandError(67, `Index type '${dir}' on field '${field}' is not supported by the embedded engine`);
    if (!isNumeric(dir) || toNumber(dir) === 0) throw new CommandError(67, `Values in the index key pattern can't be 0 or negative zero: ${field}`);
    if (field === '' || field.startsWith('$')) throw new CommandError(67, `Index key field name '${field}' is invalid`);
  }
  const normalizedKey: Doc = {};
  for (const [k, v] of Object.entries(key)) normalizedKey[k] = toNumber(v) > 0 ? 1 : -1;
  const name = raw.name === undefined ? defaultName(normalizedKey) : raw.name;
  if (typeof name !== 'string' || name === '') throw new CommandError(9, 'The index name must be a non-empty string');
  const spec: Doc = { v: 2, key: normalizedKey, name };
  for (const [k, v] of Object.entries(raw)) {
    if (IGNORED_FIELDS.has(k)) continue;
    if (k === 'collation') {
      if (isPlainObject(v) && v.locale === 'simple') continue;
      throw new CommandError(67, 'collations on indexes are not supported by the embedded engine');
    }
    if (!SUPPORTED_OPTIONS.has(k)) throw new CommandError(197, `The field '${k}' is not valid for an index specification. Specification: ${JSON.stringify(raw)}`);
    if (k === 'background') continue;
    if (k === 'expireAfterSeconds' && (!isNumeric(v) || toNumber(v) < 0)) {
      throw new CommandError(67, `TTL index 'expireAfterSeconds' option must be numeric and non-negative, but received: ${String(v)}`);
    }
    if (k === 'partialFilterExpression') {
      if (!isPlainObject(v)) throw new CommandError(67, 'partialFilterExpression must be an object');
      compileFilter(v);
    }
    if ((k === 'unique' || k === 'sparse' || k === 'hidden') && typeof v !== 'boolean') spec[k] = Boolean(v);
    else spec[k] = k === 'expireAfterSeconds' ? Math.trunc(toNumber(v)) : v;
  }
  if (name === '_id_' || (Object.keys(normalizedKey).length === 1 && '_id' in normalizedKey)) {
    if (spec.unique === false) throw new CommandError(67, 'The field \'unique\' is not valid for an _id index specification.');
  }
  return spec;
}

function optionsOf(spec: Doc): Doc {
  const out: Doc = {};
  for (const k of Object.keys(spec)) if (!IGNORED_FIELDS.has(k) && spec[k] !== false) out[k] = spec[k];
  return out;
}

type Existing = 'new' | 'same';

function compareWithExisting(coll: Collection, spec: Doc): Existing {
  // {_id: 1} is the _id index itself; {_id: -1} is an ordinary index.
  const isIdKey = Object.keys(spec.key as Doc).length === 1 && (spec.key as Doc)._id === 1;
  if (isIdKey) return 'same';
  for (const existing of coll.indexSpecs()) {
    const sameName = existing.name === spec.name;
    const sameKey = valuesEqual(existing.key, spec.key);
    const sameOptions = valuesEqual(optionsOf(existing), optionsOf(spec));
    if (sameName && sameKey && sameOptions) return 'same';
    if (sameName && sameKey) {
      throw new CommandError(85, `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`);
    }
    if (sameName) {
      throw new CommandError(86, `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`);
    }
    if (sameKey && sameOptions) throw new CommandError(85, `Index already exists with a different name: ${String(existing.name)}`);
  }
  return 'new';
}

function createIndexes(ctx: CommandContext): Doc {
  const name = collectionArg(ctx);
  const raw = optArray(ctx, 'indexes');
  if (!raw || raw.length === 0) throw new CommandError(2, 'Must specify at least one index to create');
  const specs = raw.map(normalizeIndexSpec);
  return ctx.engine.write((tx) => {
    const existed = ctx.engine.getCollection(ctx.db, name);
    const coll = existed ?? tx.createCollection(ctx.db, name, {});
    const before = coll.indexes.length + 1;
    let created = 0;
    for (const spec of specs) {
      if (compareWithExisting(coll, spec) === 'same') continue;
      tx.createIndex(coll, spec);
      created++;
    }
    const reply: Doc = { numIndexesBefore: before, numIndexesAfter: coll.indexes.length + 1, createdCollectionAutomatically: !existed };
    if (created === 0) reply.note = 'all indexes already exist';
    return reply;
  });
}

function listIndexes(ctx: CommandContext): Doc {
  const name = collectionArg(ctx);
  const coll = ctx.engine.getCollection(ctx.db, name);
  if (!coll) throw new CommandError(26, `ns does not exist: ${ctx.db}.${name}`);
  const cursor = optDoc(ctx, 'cursor');
  const batchSize = isNumeric(cursor?.batchSize) && toNumber(cursor?.batchSize) > 0 ? toNumber(cursor?.batchSize) : undefined;
  const ns = `${ctx.db}.${name}`;
  const specs = coll.indexSpecs();
  return cursorReply(ns, ctx.engine.cursors.open(ns, specs, batchSize ?? specs.length), 'firstBatch');
}

function dropIndexes(ctx: CommandContext): Doc {
  const name = collectionArg(ctx);
  const coll = ctx.engine.getCollection(ctx.db, name);
  if (!coll) throw new CommandError(26, `ns not found ${ctx.db}.${name}`);
  const arg = ctx.body.index;
  const nIndexesWas = coll.indexes.length + 1;
  let targets = [] as typeof coll.indexes;
  if (arg === '*') targets = [...coll.indexes];
  else {
    const names = Array.isArray(arg) ? arg : [arg];
    for (const n of names) {
      if (isPlainObject(n)) {
        if (valuesEqual(n, { _id: 1 })) throw new CommandError(72, 'cannot drop _id index');
        const ix = coll.indexes.find((i) => valuesEqual(i.spec.key, n));
        if (!ix) throw new CommandError(27, `can't find index with key: ${JSON.stringify(n)}`);
        targets.push(ix);
      } else if (typeof n === 'string') {
        if (n === '_id_') throw new CommandError(72, 'cannot drop _id index');
        const ix = coll.findIndex(n);
        if (!ix) throw new CommandError(27, `index not found with name [${n}]`);
        targets.push(ix);
      } else throw new CommandError(14, `BSON field 'dropIndexes.index' is the wrong type`);
    }
  }
  if (targets.length) ctx.engine.write((tx) => targets.forEach((ix) => tx.dropIndex(coll, ix)));
  return { nIndexesWas };
}

export const INDEX_COMMANDS: Record<string, CommandHandler> = {
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
};

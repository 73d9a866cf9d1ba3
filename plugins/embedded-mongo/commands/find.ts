/** find, getMore and killCursors. */
import { Long } from 'bson';
import { CommandError } from '../errors.ts';
import { isNumeric, isPlainObject, toNumber, type Doc } from '../bson/types.ts';
import { valuesEqual } from '../bson/compare.ts';
import type { Collection } from '../engine/collection.ts';
import { cursorReply } from '../engine/cursors.ts';
import { readDocs } from '../engine/read.ts';
import { parseSort } from '../query/sort.ts';
import { checkFields, collectionArg, optArray, optBool, optDoc, optNumber, optString } from './args.ts';
import type { CommandContext } from './types.ts';

function nonNegative(ctx: CommandContext, field: string): number | undefined {
  const v = optNumber(ctx, field);
  if (v !== undefined && v < 0) throw new CommandError(51024, `BSON field '${field}' value must be >= 0, actual value '${v}'`);
  return v;
}

/** Collations other than the binary one are not implemented: fail loudly rather than ignore. */
export function rejectCollation(collation: unknown): void {
  if (collation === undefined || collation === null) return;
  if (isPlainObject(collation) && collation.locale === 'simple') return;
  throw new CommandError(2, 'collation is not supported by the embedded engine (only { locale: "simple" })');
}

export function rejectUnsupported(ctx: CommandContext): void {
  rejectCollation(ctx.body.collation);
}

const FIND_FIELDS = [
  'filter', 'sort', 'projection', 'hint', 'skip', 'limit', 'batchSize', 'singleBatch', 'max', 'min', 'returnKey',
  'showRecordId', 'tailable', 'oplogReplay', 'noCursorTimeout', 'awaitData', 'allowPartialResults', 'collation',
  'allowDiskUse', 'let', 'readOnce', 'ntoreturn',
];

function findCommand(ctx: CommandContext): Doc {
  const name = collectionArg(ctx);
  checkFields(ctx, FIND_FIELDS);
  rejectUnsupported(ctx);
  if (ctx.body.tailable === true) throw new CommandError(2, 'tailable cursors are not supported by the embedded engine');
  if (ctx.body.min !== undefined || ctx.body.max !== undefined) throw new CommandError(2, 'min/max are not supported by the embedded engine');
  // Both change what a find returns (index keys, a $recordId field); refused rather than ignored.
  if (ctx.body.returnKey === true) throw new CommandError(2, 'returnKey is not supported by the embedded engine');
  if (ctx.body.showRecordId === true) throw new CommandError(2, 'showRecordId is not supported by the embedded engine');
  const filter = optDoc(ctx, 'filter');
  const sort = parseSort(optDoc(ctx, 'sort'));
  const projection = optDoc(ctx, 'projection');
  const skip = nonNegative(ctx, 'skip');
  let limit = optNumber(ctx, 'limit');
  let isSingleBatch = optBool(ctx, 'singleBatch') ?? false;
  if (limit !== undefined && limit < 0) {
    // Legacy negative limit: return at most |limit| documents in a single batch.
    limit = -limit;
    isSingleBatch = true;
  }
  const batchSize = nonNegative(ctx, 'batchSize');
  const variables = optDoc(ctx, 'let');
  const coll = ctx.engine.getCollection(ctx.db, name);
  checkHint(coll, ctx.body.hint);
  const docs = readDocs(coll, { filter, sort, skip, limit, projection, variables });
  const ns = `${ctx.db}.${name}`;
  const batch = ctx.engine.cursors.open(ns, docs, batchSize, isSingleBatch);
  return cursorReply(ns, batch, 'firstBatch');
}

/** A hint must name an existing index (it is otherwise advisory: the planner decides). */
export function checkHint(coll: Collection | undefined, hint: unknown): void {
  if (hint === undefined || hint === null || !coll) return;
  const specs = coll.indexSpecs();
  const isKnown = typeof hint === 'string'
    ? specs.some((s) => s.name === hint)
    : isPlainObject(hint) && (Object.keys(hint).length === 0 || (Object.keys(hint).length === 1 && '$natural' in hint) || specs.some((s) => valuesEqual(s.key, hint)));
  if (!isKnown) throw new CommandError(2, 'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index');
}

function cursorIdArg(v: unknown, name: string): number {
  if (!isNumeric(v)) throw new CommandError(14, `BSON field '${name}' is the wrong type, expected type 'long'`);
  return toNumber(v);
}

function getMoreCommand(ctx: CommandContext): Doc {
  checkFields(ctx, ['collection', 'batchSize', 'term', 'lastKnownCommittedOpTime']);
  const id = cursorIdArg(ctx.body.getMore, 'getMore.getMore');
  const collection = optString(ctx, 'collection');
  if (collection === undefined) throw new CommandError(40414, "BSON field 'getMore.collection' is missing but a required field");
  const ns = `${ctx.db}.${collection}`;
  const batchSize = optNumber(ctx, 'batchSize');
  const owner = ctx.engine.cursors.nsOf(id);
  if (owner === undefined) throw new CommandError(43, `cursor id ${id} not found`);
  if (owner !== ns) throw new CommandError(13, `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${owner}`);
  const batch = ctx.engine.cursors.next(id, batchSize && batchSize > 0 ? batchSize : undefined);
  if (!batch) throw new CommandError(43, `cursor id ${id} not found`);
  return cursorReply(ns, batch, 'nextBatch');
}

function killCursorsCommand(ctx: CommandContext): Doc {
  collectionArg(ctx);
  checkFields(ctx, ['cursors']);
  const ids = optArray(ctx, 'cursors') ?? [];
  const cursorsKilled: Long[] = [];
  const cursorsNotFound: Long[] = [];
  for (const raw of ids) {
    const id = cursorIdArg(raw, 'killCursors.cursors');
    (ctx.engine.cursors.kill(id) ? cursorsKilled : cursorsNotFound).push(Long.fromNumber(id));
  }
  return { cursorsKilled, cursorsNotFound, cursorsAlive: [], cursorsUnknown: [] };
}

export const FIND_COMMANDS = {
  find: findCommand,
  getMore: getMoreCommand,
  killCursors: killCursorsCommand,
};

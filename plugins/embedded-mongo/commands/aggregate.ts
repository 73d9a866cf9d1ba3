/** The aggregate command (cursor form), with $out/$merge writing through a transaction. */
import { CommandError } from '../errors.ts';
import { isNumeric, toNumber, type Doc } from '../bson/types.ts';
import { applyMerge, applyOut } from '../agg/out.ts';
import { parsePipeline, runPipeline } from '../agg/pipeline.ts';
import { cursorReply } from '../engine/cursors.ts';
import { checkCollName, checkFields, optDoc } from './args.ts';
import { checkHint, rejectUnsupported } from './find.ts';
import type { CommandContext } from './types.ts';

export function aggregateCommand(ctx: CommandContext): Doc {
  const target = ctx.body.aggregate;
  let collection: string | null;
  if (isNumeric(target) && toNumber(target) === 1) collection = null;
  else if (typeof target === 'string') {
    checkCollName(ctx.db, target);
    collection = target;
  } else throw new CommandError(14, `Invalid aggregate namespace: the 'aggregate' field must be a collection name or 1`);
  checkFields(ctx, ['pipeline', 'explain', 'allowDiskUse', 'cursor', 'bypassDocumentValidation', 'collation', 'hint', 'let', 'exchange', 'isMapReduceCommand', 'fromMongos', 'needsMerge']);
  rejectUnsupported(ctx);
  if (ctx.body.explain === true) throw new CommandError(2, 'explain is not supported by the embedded engine');
  const cursor = optDoc(ctx, 'cursor');
  if (!cursor) throw new CommandError(9, "The 'cursor' option is required, except for aggregate with the explain argument");
  const stages = parsePipeline(ctx.body.pipeline);
  if (collection === null && stages[0]?.name !== '$documents') {
    throw new CommandError(73, "{aggregate: 1} is not valid for '$match'; a collection is required.");
  }
  if (collection !== null) checkHint(ctx.engine.getCollection(ctx.db, collection), ctx.body.hint);
  const variables = optDoc(ctx, 'let');
  const last = stages[stages.length - 1];
  const writes = last && (last.name === '$out' || last.name === '$merge') ? last : undefined;
  const docs = runPipeline({ engine: ctx.engine, db: ctx.db, collection, stages: writes ? stages.slice(0, -1) : stages, variables });
  const ns = `${ctx.db}.${collection ?? '$cmd.aggregate'}`;
  if (writes) {
    if (writes.name === '$out') applyOut(ctx.engine, ctx.db, writes.spec, docs);
    else applyMerge(ctx.engine, ctx.db, writes.spec, docs);
    return cursorReply(ns, { docs: [], cursorId: 0 }, 'firstBatch');
  }
  const batchSize = isNumeric(cursor.batchSize) ? toNumber(cursor.batchSize) : undefined;
  return cursorReply(ns, ctx.engine.cursors.open(ns, docs, batchSize), 'firstBatch');
}

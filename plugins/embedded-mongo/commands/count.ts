/** count and distinct. */
import { CommandError } from '../errors.ts';
import { compareValues, keyOf } from '../bson/compare.ts';
import type { Doc } from '../bson/types.ts';
import { matchDocs } from '../engine/read.ts';
import { candidatesAt } from '../query/field-path.ts';
import { checkFields, collectionArg, optDoc, optNumber, optString } from './args.ts';
import { checkHint, rejectUnsupported } from './find.ts';
import type { CommandContext } from './types.ts';

export function countCommand(ctx: CommandContext): Doc {
  const name = collectionArg(ctx);
  checkFields(ctx, ['query', 'limit', 'skip', 'hint', 'collation', 'fields']);
  rejectUnsupported(ctx);
  const query = optDoc(ctx, 'query');
  const skip = optNumber(ctx, 'skip') ?? 0;
  const limit = Math.abs(optNumber(ctx, 'limit') ?? 0);
  if (skip < 0) throw new CommandError(2, `skip value is negative in count query`);
  const coll = ctx.engine.getCollection(ctx.db, name);
  checkHint(coll, ctx.body.hint);
  let n = query && Object.keys(query).length ? matchDocs(coll, query).length : coll?.docs.size ?? 0;
  n = Math.max(0, n - skip);
  if (limit) n = Math.min(n, limit);
  return { n };
}

export function distinctCommand(ctx: CommandContext): Doc {
  const name = collectionArg(ctx);
  checkFields(ctx, ['key', 'query', 'collation', 'hint']);
  rejectUnsupported(ctx);
  const key = optString(ctx, 'key');
  if (key === undefined) throw new CommandError(40414, "BSON field 'distinct.key' is missing but a required field");
  if (key === '' || key.startsWith('$')) throw new CommandError(2, `FieldPath field names may not start with '$'`);
  const query = optDoc(ctx, 'query');
  const coll = ctx.engine.getCollection(ctx.db, name);
  checkHint(coll, ctx.body.hint);
  const docs = matchDocs(coll, query);
  const seen = new Map<string, unknown>();
  for (const d of docs) {
    // A terminal array contributes its elements (inner arrays stay whole values), as MongoDB's distinct does.
    for (const found of candidatesAt(d, key, false)) {
      for (const v of Array.isArray(found) ? found : [found]) {
        if (v === undefined) continue;
        const k = keyOf(v);
        if (!seen.has(k)) seen.set(k, v);
      }
    }
  }
  return { values: [...seen.values()].sort(compareValues) };
}

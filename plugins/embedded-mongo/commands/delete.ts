/** The delete command: limit 0 (all matches) or 1, one transaction per command. */
import { CommandError } from '../errors.ts';
import { keyOf } from '../bson/compare.ts';
import { isNumeric, isPlainObject, toNumber, type Doc } from '../bson/types.ts';
import { matchDocs } from '../engine/read.ts';
import { checkFields, collectionArg, optArray, optBool, optDoc, required } from './args.ts';
import { checkBatchSize } from './insert.ts';
import { checkHint, rejectCollation } from './find.ts';
import type { CommandContext } from './types.ts';
import { isItemError, writeError } from './write-errors.ts';

export function deleteCommand(ctx: CommandContext): Doc {
  const name = collectionArg(ctx);
  checkFields(ctx, ['deletes', 'ordered', 'let']);
  const statements = required(ctx, 'deletes', optArray(ctx, 'deletes'));
  const isOrdered = optBool(ctx, 'ordered') ?? true;
  const variables = optDoc(ctx, 'let');
  checkBatchSize(statements.length);
  // Statement shape errors fail the whole command, as mongod's parser does.
  const parsed = statements.map((st) => {
    if (!isPlainObject(st)) throw new CommandError(14, 'delete statements must be objects');
    if (!isPlainObject(st.q)) throw new CommandError(40414, "BSON field 'delete.deletes.q' is missing but a required field");
    if (!isNumeric(st.limit)) throw new CommandError(40414, "BSON field 'delete.deletes.limit' is missing but a required field");
    const limit = toNumber(st.limit);
    if (limit !== 0 && limit !== 1) throw new CommandError(9, `The limit field in delete objects must be 0 or 1. Got ${limit}`);
    rejectCollation(st.collation);
    return { q: st.q, limit, hint: st.hint };
  });
  const writeErrors: Doc[] = [];
  let n = 0;
  ctx.engine.write((tx) => {
    for (let i = 0; i < statements.length; i++) {
      try {
        const { q, limit, hint } = parsed[i];
        const coll = ctx.engine.getCollection(ctx.db, name);
        checkHint(coll, hint);
        const docs = matchDocs(coll, q, variables, limit === 1 ? 1 : undefined);
        if (!coll) continue;
        for (const d of docs) tx.remove(coll, keyOf(d._id));
        n += docs.length;
      } catch (err) {
        if (!isItemError(err)) throw err;
        writeErrors.push(writeError(i, err));
        if (isOrdered) break;
      }
    }
  });
  const reply: Doc = { n };
  if (writeErrors.length) reply.writeErrors = writeErrors;
  return reply;
}

/** The update command: statements applied in order, one transaction per command. */
import { CommandError } from '../errors.ts';
import { isPlainObject, type Doc } from '../bson/types.ts';
import { compileUpdate } from '../update/apply.ts';
import { checkFields, collectionArg, optArray, optBool, optDoc, required } from './args.ts';
import { checkBatchSize } from './insert.ts';
import { checkHint, rejectCollation } from './find.ts';
import { applyUpdate } from './modify.ts';
import type { CommandContext } from './types.ts';
import { isItemError, writeError } from './write-errors.ts';

function statementFields(raw: unknown): { q: Doc; u: unknown; isMulti: boolean; isUpsert: boolean; arrayFilters?: unknown[]; hint?: unknown } {
  if (!isPlainObject(raw)) throw new CommandError(14, 'update statements must be objects');
  const q = raw.q ?? {};
  if (!isPlainObject(q)) throw new CommandError(14, "BSON field 'update.updates.q' is the wrong type, expected type 'object'");
  if (raw.u === undefined) throw new CommandError(40414, "BSON field 'update.updates.u' is missing but a required field");
  if (raw.arrayFilters !== undefined && !Array.isArray(raw.arrayFilters)) throw new CommandError(14, "BSON field 'update.updates.arrayFilters' is the wrong type, expected type 'array'");
  rejectCollation(raw.collation);
  return { q, u: raw.u, isMulti: raw.multi === true, isUpsert: raw.upsert === true, arrayFilters: raw.arrayFilters as unknown[] | undefined, hint: raw.hint };
}

export function updateCommand(ctx: CommandContext): Doc {
  const name = collectionArg(ctx);
  checkFields(ctx, ['updates', 'ordered', 'bypassDocumentValidation', 'let']);
  const statements = required(ctx, 'updates', optArray(ctx, 'updates'));
  const isOrdered = optBool(ctx, 'ordered') ?? true;
  const variables = optDoc(ctx, 'let');
  const isValidationBypassed = optBool(ctx, 'bypassDocumentValidation') ?? false;
  checkBatchSize(statements.length);
  const writeErrors: Doc[] = [];
  const upserted: Doc[] = [];
  let n = 0;
  let nModified = 0;
  // Statement shape errors fail the whole command, as mongod's parser does.
  const parsed = statements.map(statementFields);
  for (const st of parsed) {
    if (st.isMulti && isPlainObject(st.u) && !Object.keys(st.u)[0]?.startsWith('$')) {
      throw new CommandError(9, 'multi update is not supported for replacement-style update');
    }
  }
  ctx.engine.write((tx) => {
    for (let i = 0; i < statements.length; i++) {
      try {
        const st = parsed[i];
        checkHint(ctx.engine.getCollection(ctx.db, name), st.hint);
        const update = compileUpdate(st.u, st.arrayFilters, variables);
        const out = applyUpdate(ctx.engine, tx, {
          db: ctx.db, coll: name, filter: st.q, update, isMulti: st.isMulti, isUpsert: st.isUpsert, variables, isValidationBypassed,
        });
        if (out.upsertedId !== undefined) {
          upserted.push({ index: i, _id: out.upsertedId });
          n += 1;
        } else {
          n += out.matched;
          nModified += out.modified;
        }
      } catch (err) {
        if (!isItemError(err)) throw err;
        writeErrors.push(writeError(i, err));
        if (isOrdered) break;
      }
    }
  });
  const reply: Doc = { n, nModified };
  if (upserted.length) reply.upserted = upserted;
  if (writeErrors.length) reply.writeErrors = writeErrors;
  return reply;
}

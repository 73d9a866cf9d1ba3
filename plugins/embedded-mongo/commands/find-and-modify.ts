/** findAndModify: update or remove one document and return it (before or after). */
import { CommandError } from '../errors.ts';
import { keyOf } from '../bson/compare.ts';
import type { Doc } from '../bson/types.ts';
import { matchDocs } from '../engine/read.ts';
import { compileProjection } from '../query/projection.ts';
import { parseSort, sortDocs } from '../query/sort.ts';
import { compileUpdate } from '../update/apply.ts';
import { checkFields, collectionArg, optArray, optBool, optDoc } from './args.ts';
import { checkHint, rejectUnsupported } from './find.ts';
import { applyUpdate } from './modify.ts';
import type { CommandContext } from './types.ts';

export function findAndModifyCommand(ctx: CommandContext): Doc {
  const name = collectionArg(ctx);
  checkFields(ctx, ['query', 'sort', 'remove', 'update', 'new', 'fields', 'upsert', 'bypassDocumentValidation', 'collation', 'arrayFilters', 'hint', 'let']);
  rejectUnsupported(ctx);
  const query = optDoc(ctx, 'query');
  const sort = parseSort(optDoc(ctx, 'sort'));
  const isRemove = optBool(ctx, 'remove') ?? false;
  const isNew = optBool(ctx, 'new') ?? false;
  const isUpsert = optBool(ctx, 'upsert') ?? false;
  const fields = optDoc(ctx, 'fields');
  const arrayFilters = optArray(ctx, 'arrayFilters');
  const variables = optDoc(ctx, 'let');
  const rawUpdate = ctx.body.update;
  if (isRemove && rawUpdate !== undefined) throw new CommandError(9, 'Cannot specify both an update and remove=true');
  if (!isRemove && rawUpdate === undefined) throw new CommandError(9, 'Either an update or remove=true must be specified');
  if (isRemove && isNew) throw new CommandError(9, "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document");
  if (isRemove && isUpsert) throw new CommandError(9, 'Cannot specify both upsert=true and remove=true');
  checkHint(ctx.engine.getCollection(ctx.db, name), ctx.body.hint);
  const project = compileProjection(fields, query);
  const shape = (d: Doc | undefined): Doc | null => (d ? (project ? project(d) : d) : null);

  if (isRemove) {
    return ctx.engine.write((tx) => {
      const coll = ctx.engine.getCollection(ctx.db, name);
      const matches = sort ? sortDocs(matchDocs(coll, query, variables), sort, 1) : matchDocs(coll, query, variables, 1);
      const doc = matches[0];
      if (!doc || !coll) return { lastErrorObject: { n: 0 }, value: null };
      tx.remove(coll, keyOf(doc._id));
      return { lastErrorObject: { n: 1 }, value: shape(doc) };
    });
  }
  const update = compileUpdate(rawUpdate, arrayFilters, variables);
  return ctx.engine.write((tx) => {
    const out = applyUpdate(ctx.engine, tx, {
      db: ctx.db, coll: name, filter: query, update, isMulti: false, isUpsert, sort, variables,
      isValidationBypassed: optBool(ctx, 'bypassDocumentValidation') ?? false,
    });
    if (out.upsertedId !== undefined) {
      return {
        lastErrorObject: { n: 1, updatedExisting: false, upserted: out.upsertedId },
        value: isNew ? shape(out.after) : null,
      };
    }
    if (out.matched === 0) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null };
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: shape(isNew ? out.after : out.before) };
  });
}

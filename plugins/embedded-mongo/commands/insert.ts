/** The insert command: ordered or unordered batches, one transaction per command. */
import { ObjectId } from 'bson';
import { CommandError } from '../errors.ts';
import { bsonType, isPlainObject, type Doc } from '../bson/types.ts';
import { decode } from '../bson/codec.ts';
import { StoredBson } from '../bson/stored.ts';
import { compileValidator, validateWrite } from '../engine/validation.ts';
import { checkFields, collectionArg, optArray, optBool, required } from './args.ts';
import type { CommandContext } from './types.ts';
import { isItemError, writeError } from './write-errors.ts';

/** A document in its stored form (`_id` first, generated when absent) and, when known, its BSON. */
export interface Prepared {
  doc: Doc;
  bytes?: Buffer;
}

export function prepareForInsert(raw: unknown, wireBytes?: Buffer): Prepared {
  if (!isPlainObject(raw)) throw new CommandError(14, 'documents to insert must be objects');
  let doc = raw;
  let first: string | undefined;
  for (const k in raw) {
    first = k;
    break;
  }
  const generated = raw._id === undefined ? new ObjectId() : undefined;
  if (first !== '_id' || generated) {
    // One pass builds the stored form with `_id` first (drivers append a generated _id last).
    doc = { _id: generated ?? raw._id };
    for (const k in raw) if (k !== '_id') doc[k] = raw[k];
  }
  checkStorable(doc);
  // Documents from an insert sequence arrive in stored form already (see wire/messages.ts).
  return { doc, bytes: doc === raw ? wireBytes : undefined };
}

/** A stored-form document that must be decoded (to be indexed or validated) before it is stored. */
function prepareStored(bytes: Buffer): Prepared {
  const doc = decode(bytes);
  checkStorable(doc);
  return { doc, bytes };
}

export function checkStorable(doc: Doc): void {
  const idType = bsonType(doc._id);
  if (idType === 'array') throw new CommandError(2, `can't use an array for _id`);
  if (idType === 'regex') throw new CommandError(2, `can't use a regex for _id`);
  for (const k in doc) {
    if (k.charCodeAt(0) === 36) throw new CommandError(2, `Document can't have $ prefixed field names: ${k}`);
  }
}

export function checkBatchSize(n: number): void {
  if (n === 0 || n > 100_000) throw new CommandError(16, `Write batch sizes must be between 1 and 100000. Got ${n} operations.`);
}

export function insertCommand(ctx: CommandContext): Doc {
  const name = collectionArg(ctx);
  checkFields(ctx, ['documents', 'ordered', 'bypassDocumentValidation', 'let']);
  const isBypassed = optBool(ctx, 'bypassDocumentValidation') ?? false;
  const docs = required(ctx, 'documents', optArray(ctx, 'documents'));
  const isOrdered = optBool(ctx, 'ordered') ?? true;
  checkBatchSize(docs.length);
  const writeErrors: Doc[] = [];
  const n = ctx.engine.write((tx) => {
    const coll = ctx.engine.ensureCollection(tx, ctx.db, name);
    const isDecodeNeeded = coll.needsDecodedInserts(!isBypassed && compileValidator(coll.options) !== null);
    let inserted = 0;
    for (let i = 0; i < docs.length; i++) {
      try {
        const item = docs[i];
        if (item instanceof StoredBson && !isDecodeNeeded) {
          tx.insertStored(coll, item.bytes);
          inserted++;
          continue;
        }
        const prepared = item instanceof StoredBson ? prepareStored(item.bytes) : prepareForInsert(item, ctx.insertBytes?.[i]);
        validateWrite(coll, prepared.doc, undefined, isBypassed);
        tx.insert(coll, prepared.doc, prepared.bytes);
        inserted++;
      } catch (err) {
        if (!isItemError(err)) throw err;
        writeErrors.push(writeError(i, err));
        if (isOrdered) break;
      }
    }
    return inserted;
  });
  const reply: Doc = { n };
  if (writeErrors.length) reply.writeErrors = writeErrors;
  return reply;
}

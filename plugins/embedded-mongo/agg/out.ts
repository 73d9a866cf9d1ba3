/** The writing stages $out and $merge, applied in one transaction after the pipeline ran. */
import { CommandError } from '../errors.ts';
import { keyOf } from '../bson/compare.ts';
import { isPlainObject, type Doc } from '../bson/types.ts';
import type { Engine } from '../engine/engine.ts';
import { matchDocs } from '../engine/read.ts';
import { checkCollName, checkDbName } from '../commands/args.ts';
import { withIdFirst } from '../update/upsert.ts';

function target(spec: unknown, db: string, stage: string): { db: string; coll: string } {
  if (typeof spec === 'string') return { db, coll: spec };
  if (isPlainObject(spec)) {
    const ref = stage === '$merge' ? spec.into : spec;
    if (typeof ref === 'string') return { db, coll: ref };
    if (isPlainObject(ref) && typeof ref.coll === 'string') return { db: typeof ref.db === 'string' ? ref.db : db, coll: ref.coll };
  }
  throw new CommandError(14, `${stage} stage requires a collection name or {db, coll}`);
}

export function applyOut(engine: Engine, db: string, spec: unknown, docs: Doc[]): void {
  const t = target(spec, db, '$out');
  checkDbName(t.db);
  checkCollName(t.db, t.coll);
  engine.write((tx) => {
    const existing = engine.getCollection(t.db, t.coll);
    const coll = existing ?? tx.createCollection(t.db, t.coll, {});
    for (const id of [...coll.docs.keys()]) tx.remove(coll, id);
    for (const d of docs) tx.insert(coll, withIdFirst(d));
  });
}

export function applyMerge(engine: Engine, db: string, spec: unknown, docs: Doc[]): void {
  const t = target(spec, db, '$merge');
  checkDbName(t.db);
  checkCollName(t.db, t.coll);
  const opts = isPlainObject(spec) ? spec : {};
  const on = opts.on === undefined ? ['_id'] : Array.isArray(opts.on) ? opts.on.map(String) : [String(opts.on)];
  const whenMatched = opts.whenMatched ?? 'merge';
  const whenNotMatched = opts.whenNotMatched ?? 'insert';
  if (typeof whenMatched !== 'string') throw new CommandError(2, '$merge with a pipeline for whenMatched is not supported by the embedded engine');
  engine.write((tx) => {
    const coll = engine.getCollection(t.db, t.coll) ?? tx.createCollection(t.db, t.coll, {});
    for (const raw of docs) {
      const doc = on.includes('_id') ? withIdFirst(raw) : raw;
      const filter: Doc = {};
      for (const f of on) {
        if (doc[f] === undefined) throw new CommandError(51132, `$merge write error: 'on' field '${f}' cannot be missing, null, undefined or an array`);
        filter[f] = doc[f];
      }
      const [match] = matchDocs(coll, filter, undefined, 1);
      if (!match) {
        if (whenNotMatched === 'discard') continue;
        if (whenNotMatched === 'fail') throw new CommandError(13113, `$merge could not find a matching document in the target collection for at least one document in the source collection`);
        tx.insert(coll, withIdFirst(doc));
        continue;
      }
      const id = keyOf(match._id);
      switch (whenMatched) {
        case 'keepExisting':
          break;
        case 'fail':
          throw new CommandError(11000, `$merge failed: a matching document exists in ${t.db}.${t.coll}`);
        case 'replace':
          tx.replace(coll, id, { ...doc, _id: match._id });
          break;
        case 'merge':
          tx.replace(coll, id, { ...match, ...doc, _id: match._id });
          break;
        default:
          throw new CommandError(2, `Enumeration value '${whenMatched}' for field 'whenMatched' is not a valid value.`);
      }
    }
  });
}

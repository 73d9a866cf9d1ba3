/** Applying one update statement inside a write transaction (shared by update and findAndModify). */
import { keyOf } from '../bson/compare.ts';
import type { Doc } from '../bson/types.ts';
import type { Engine } from '../engine/engine.ts';
import { matchDocs } from '../engine/read.ts';
import { validateWrite } from '../engine/validation.ts';
import type { WriteTx } from '../engine/write-tx.ts';
import { sortDocs, type SortSpec } from '../query/sort.ts';
import { checkIdUnchanged, type CompiledUpdate } from '../update/apply.ts';
import { upsertSeed, withIdFirst } from '../update/upsert.ts';
import { checkStorable } from './insert.ts';

export interface UpdateStatement {
  db: string;
  coll: string;
  filter: Doc | undefined;
  update: CompiledUpdate;
  isMulti: boolean;
  isUpsert: boolean;
  sort?: SortSpec | null;
  variables?: Doc;
  isValidationBypassed?: boolean;
}

export interface UpdateOutcome {
  matched: number;
  modified: number;
  upsertedId?: unknown;
  /** The single document touched (findAndModify): before and after. */
  before?: Doc;
  after?: Doc;
}

export function applyUpdate(engine: Engine, tx: WriteTx, st: UpdateStatement): UpdateOutcome {
  const existing = engine.getCollection(st.db, st.coll);
  let docs = st.sort
    ? sortDocs(matchDocs(existing, st.filter, st.variables), st.sort, 1)
    : matchDocs(existing, st.filter, st.variables, st.isMulti ? undefined : 1);
  if (!st.isMulti) docs = docs.slice(0, 1);
  if (docs.length === 0) {
    if (!st.isUpsert) return { matched: 0, modified: 0 };
    const seed = upsertSeed(st.filter);
    const base = st.update.kind === 'replacement' ? (seed._id === undefined ? {} : { _id: seed._id }) : seed;
    const { doc } = st.update.apply(base, st.filter, true);
    // The query's _id is immutable for the inserted document too.
    if (st.update.kind === 'operators') checkIdUnchanged(base, doc);
    const inserted = withIdFirst(doc);
    checkStorable(inserted);
    const coll = engine.ensureCollection(tx, st.db, st.coll);
    validateWrite(coll, inserted, undefined, st.isValidationBypassed ?? false);
    tx.insert(coll, inserted);
    return { matched: 0, modified: 0, upsertedId: inserted._id, after: inserted };
  }
  const coll = existing;
  if (!coll) return { matched: 0, modified: 0 };
  let modified = 0;
  let before: Doc | undefined;
  let after: Doc | undefined;
  for (const doc of docs) {
    const result = st.update.apply(doc, st.filter, false);
    if (st.update.kind === 'operators') checkIdUnchanged(doc, result.doc);
    before = doc;
    after = result.isModified ? result.doc : doc;
    if (!result.isModified) continue;
    checkStorable(result.doc);
    validateWrite(coll, result.doc, doc, st.isValidationBypassed ?? false);
    tx.replace(coll, keyOf(doc._id), result.doc);
    modified++;
  }
  return { matched: docs.length, modified, before, after };
}

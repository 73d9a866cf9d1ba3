/**
 * Chooses candidate documents for a filter from the `_id` map or a secondary index, so that
 * equality, $in and range lookups on indexed fields avoid a collection scan. Candidates are
 * always re-checked with the full compiled filter, so the planner may over-select but never
 * miss a match: it only uses conjunctive top-level conditions.
 */
import { compareValues, keyOf } from '../bson/compare.ts';
import { bsonType, isPlainObject, typeOrder, type Doc } from '../bson/types.ts';
import type { Collection } from './collection.ts';
import type { Index, RangeBound } from './secondary-index.ts';
import { KEY_SEPARATOR } from './index-keys.ts';

export interface FieldConds {
  eq?: unknown;
  hasEq: boolean;
  in?: unknown[];
  lower?: RangeBound;
  upper?: RangeBound;
}

const isOperatorObject = (v: unknown): v is Doc => isPlainObject(v) && Object.keys(v).some((k) => k.startsWith('$'));
/** Values an index key can stand for exactly (arrays/regexes match more than their key). */
const isIndexable = (v: unknown): boolean => !Array.isArray(v) && bsonType(v) !== 'regex' && v !== undefined;

export function collectConds(filter: Doc, out: Map<string, FieldConds>): void {
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(cond)) {
      for (const sub of cond) if (isPlainObject(sub)) collectConds(sub, out);
      continue;
    }
    if (field.startsWith('$')) continue;
    const fc = out.get(field) ?? { hasEq: false };
    out.set(field, fc);
    if (!isOperatorObject(cond)) {
      if (isIndexable(cond)) {
        fc.eq = cond;
        fc.hasEq = true;
      }
      continue;
    }
    for (const [op, v] of Object.entries(cond)) {
      if (op === '$eq' && isIndexable(v)) {
        fc.eq = v;
        fc.hasEq = true;
      } else if (op === '$in' && Array.isArray(v) && v.every(isIndexable)) fc.in = v;
      else if ((op === '$gt' || op === '$gte') && isIndexable(v) && v !== null) fc.lower = { value: v, isInclusive: op === '$gte' };
      else if ((op === '$lt' || op === '$lte') && isIndexable(v) && v !== null) fc.upper = { value: v, isInclusive: op === '$lte' };
    }
  }
}

function docsFor(coll: Collection, ids: Iterable<string>): Doc[] {
  const seen = new Set<string>();
  const out: Doc[] = [];
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const d = coll.docs.get(id);
    if (d) out.push(d);
  }
  return out;
}

export function usable(ix: Index, value: unknown): boolean {
  // Partial indexes may not hold the document; sparse ones do not hold missing/null keys.
  if (ix.spec.partialFilterExpression) return false;
  return !(ix.isSparse && (value === null || value === undefined));
}

function eqLookup(ix: Index, conds: Map<string, FieldConds>): string[] | null {
  const first = conds.get(ix.fields[0][0]);
  if (!first?.hasEq || !usable(ix, first.eq)) return null;
  if (ix.fields.every(([f]) => conds.get(f)?.hasEq)) {
    const key = ix.fields.map(([f]) => keyOf(conds.get(f)?.eq)).join(KEY_SEPARATOR);
    return [...(ix.idsForKey(key) ?? [])];
  }
  const bound = { value: first.eq, isInclusive: true };
  return [...ix.scanFirstField(bound, bound)];
}

function inLookup(ix: Index, values: unknown[]): string[] | null {
  if (!values.every((v) => usable(ix, v))) return null;
  const sorted = [...values].sort(compareValues);
  const out: string[] = [];
  for (const v of sorted) {
    if (ix.fields.length === 1) out.push(...(ix.idsForKey(keyOf(v)) ?? []));
    else {
      const bound = { value: v, isInclusive: true };
      out.push(...ix.scanFirstField(bound, bound));
    }
  }
  return out;
}

function rangeLookup(ix: Index, fc: FieldConds): string[] | null {
  if (ix.spec.partialFilterExpression) return null;
  let { lower, upper } = fc;
  // Multikey: one document may satisfy each bound with a different element; keep one bound.
  if (ix.isMultikey && lower && upper) upper = undefined;
  return [...ix.scanFirstField(lower ?? null, upper ?? null)];
}

/** Candidate documents for `filter`, or null when only a full scan can answer it. */
export function planCandidates(coll: Collection, filter: Doc | undefined): Doc[] | null {
  if (!filter) return null;
  const conds = new Map<string, FieldConds>();
  collectConds(filter, conds);
  if (conds.size === 0) return null;
  const id = conds.get('_id');
  if (id?.hasEq) return docsFor(coll, [keyOf(id.eq)]);
  if (id?.in) return docsFor(coll, [...id.in].sort(compareValues).map(keyOf));
  if (id && (id.lower || id.upper)) return docsFor(coll, coll.scanIds(id.lower ?? null, id.upper ?? null));
  const ordered = [...coll.indexes].sort((a, b) => Number(b.isUnique) - Number(a.isUnique));
  for (const ix of ordered) {
    const ids = eqLookup(ix, conds);
    if (ids) return docsFor(coll, ids);
  }
  for (const ix of ordered) {
    const fc = conds.get(ix.fields[0][0]);
    if (fc?.in) {
      const ids = inLookup(ix, fc.in);
      if (ids) return docsFor(coll, ids);
    }
  }
  for (const ix of ordered) {
    const fc = conds.get(ix.fields[0][0]);
    if (fc && (fc.lower || fc.upper)) {
      const ids = rangeLookup(ix, fc);
      if (ids) return docsFor(coll, ids);
    }
  }
  return null;
}

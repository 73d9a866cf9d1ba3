/**
 * Sorted reads with a limit answered in sort order from an index (or the `_id` order), so
 * that "the first 50 by score" reads about 50 documents instead of matching and sorting every
 * candidate. Entries with equal leading sort values are read as whole groups and the
 * collected documents are then sorted by the full sort spec, so later sort keys and ties
 * come out exactly as a full sort would give them.
 *
 * Used only when the order is total for the leading sort field: the index holds every
 * document once (not sparse, not partial, not multikey). When another index could narrow
 * the candidates, the ordered scan gets a budget and gives way to the candidate plan if the
 * budget runs out (a simple form of MongoDB's trial period between plans).
 */
import { keyOf, compareValues } from '../bson/compare.ts';
import { isPlainObject, type Doc } from '../bson/types.ts';
import type { DocPredicate } from '../query/filter.ts';
import { sortDocs, type SortSpec } from '../query/sort.ts';
import type { Collection } from './collection.ts';
import { collectConds, usable, type FieldConds } from './planner.ts';
import type { Range, RangeBound } from './range-scan.ts';
import type { Index } from './secondary-index.ts';

/** Candidate plans at most this large are cheaper than any ordered scan. */
const SMALL_CANDIDATES = 2000;

interface Group {
  value: unknown;
  ids: Iterable<string>;
}

function orderIndex(coll: Collection, field: string): Index | undefined {
  return coll.indexes.find((ix) => ix.fields[0][0] === field && !ix.isSparse && !ix.isMultikey && !ix.spec.partialFilterExpression);
}

function rangeOf(fc: FieldConds | undefined): Range {
  if (!fc) return { lower: null, upper: null };
  if (fc.hasEq) return { lower: { value: fc.eq, isInclusive: true }, upper: { value: fc.eq, isInclusive: true } };
  return { lower: fc.lower ?? null, upper: fc.upper ?? null };
}

/**
 * Bounds implied by a top-level `$or` whose every branch bounds `field` (a keyset cursor's
 * "after" condition: `score < x OR (score = x AND _id > y)` bounds score ≤ x).
 */
function orBounds(filter: Doc, field: string): Range | null {
  const branches = filter.$or;
  if (!Array.isArray(branches) || branches.length === 0) return null;
  let union: Range | null = null;
  for (const branch of branches) {
    if (!isPlainObject(branch)) return null;
    const conds = new Map<string, FieldConds>();
    collectConds(branch, conds);
    const r = rangeOf(conds.get(field));
    if (!r.lower && !r.upper) return null;
    if (!union) union = r;
    else {
      const lower: RangeBound | null = !union.lower || !r.lower ? null : compareValues(r.lower.value, union.lower.value) < 0 ? r.lower : union.lower;
      const upper: RangeBound | null = !union.upper || !r.upper ? null : compareValues(r.upper.value, union.upper.value) > 0 ? r.upper : union.upper;
      union = { lower: lower && { ...lower, isInclusive: true }, upper: upper && { ...upper, isInclusive: true } };
    }
  }
  return union;
}

/** Intersects two ranges on one field (keeps the tighter bound on each side). */
function intersect(a: Range, b: Range | null): Range {
  if (!b) return a;
  const lower = !a.lower ? b.lower : !b.lower ? a.lower : compareValues(a.lower.value, b.lower.value) >= 0 ? a.lower : b.lower;
  const upper = !a.upper ? b.upper : !b.upper ? a.upper : compareValues(a.upper.value, b.upper.value) <= 0 ? a.upper : b.upper;
  return { lower, upper };
}

/** Size of the smallest candidate set an equality/$in lookup on another index would give, if any. */
function otherPlanSize(coll: Collection, conds: Map<string, FieldConds>, field: string): number | undefined {
  const id = conds.get('_id');
  if (field !== '_id' && (id?.hasEq || id?.in)) return id.in ? id.in.length : 1;
  let best: number | undefined;
  for (const ix of coll.indexes) {
    const first = ix.fields[0][0];
    if (first === field) continue;
    const fc = conds.get(first);
    if (!fc) continue;
    let size: number | undefined;
    if (fc.hasEq && usable(ix, fc.eq)) size = ix.fields.length === 1 ? (ix.idsForKey(keyOf(fc.eq))?.size ?? 0) : SMALL_CANDIDATES;
    else if (fc.in && ix.fields.length === 1 && fc.in.every((v) => usable(ix, v))) size = fc.in.reduce<number>((n, v) => n + (ix.idsForKey(keyOf(v))?.size ?? 0), 0);
    else if (fc.lower || fc.upper) size = Number.POSITIVE_INFINITY; // a range elsewhere: unknown size, try the ordered scan first
    if (size !== undefined) best = Math.min(best ?? size, size);
  }
  return best;
}

/**
 * The first `need` matching documents in sort order, or undefined when no index gives the
 * order (or the ordered scan ran over its budget): the caller then matches and sorts.
 */
export function readInIndexOrder(coll: Collection, filter: Doc | undefined, sort: SortSpec, need: number, pred: DocPredicate): Doc[] | undefined {
  const [field, direction] = sort[0];
  if (need <= 0 || (direction !== 1 && direction !== -1)) return undefined;
  const ix = field === '_id' ? undefined : orderIndex(coll, field);
  if (field !== '_id' && !ix) return undefined;
  const conds = new Map<string, FieldConds>();
  if (filter) collectConds(filter, conds);
  const other = otherPlanSize(coll, conds, field);
  if (other !== undefined && other <= SMALL_CANDIDATES) return undefined;
  const budget = other === undefined ? Number.POSITIVE_INFINITY : Math.max(SMALL_CANDIDATES, 20 * need);
  const fc = conds.get(field);
  if (fc?.in) return undefined; // several point ranges: the candidate plan handles them well
  const range = intersect(rangeOf(fc), filter ? orBounds(filter, field) : null);
  const groups: Iterable<Group> = ix
    ? mapGroups(ix.entriesInOrder(range, direction), (e) => ({ value: e.values[0], ids: e.ids }))
    : mapGroups(coll.idsInOrder(range, direction), (e) => ({ value: e.value, ids: [e.key] }));

  const out: Doc[] = [];
  let examined = 0;
  let current: unknown;
  let hasCurrent = false;
  for (const g of groups) {
    // Stop between groups of different leading values once enough documents are collected.
    if (hasCurrent && out.length >= need && compareValues(g.value, current) !== 0) break;
    current = g.value;
    hasCurrent = true;
    for (const id of g.ids) {
      if (++examined > budget) return undefined;
      const d = coll.docs.get(id);
      if (d && pred(d)) out.push(d);
    }
  }
  return sort.length > 1 && out.length > 1 ? sortDocs(out, sort, need) : out.slice(0, need);
}

function* mapGroups<T>(source: Iterable<T>, fn: (x: T) => Group): Generator<Group> {
  for (const x of source) yield fn(x);
}

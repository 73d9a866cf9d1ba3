/** Reading documents: plan candidates, filter, sort, skip/limit and project. */
import { keyOf } from '../bson/compare.ts';
import { bsonType, isPlainObject, type Doc } from '../bson/types.ts';
import { compileFilter } from '../query/filter.ts';
import { compileProjection } from '../query/projection.ts';
import { sortDocs, type SortSpec } from '../query/sort.ts';
import type { Collection } from './collection.ts';
import { readInIndexOrder } from './ordered-read.ts';
import { planCandidates } from './planner.ts';

export interface ReadSpec {
  filter?: Doc;
  sort?: SortSpec | null;
  skip?: number;
  /** 0/undefined: no limit. */
  limit?: number;
  projection?: Doc | null;
  variables?: Doc;
}

/** The only field of `{field: <scalar>}` filters (no operators, arrays, documents, regex or null). */
function singleEquality(filter: Doc | undefined): [string, unknown] | undefined {
  if (!filter) return undefined;
  let field: string | undefined;
  for (const k in filter) {
    if (field !== undefined) return undefined;
    field = k;
  }
  if (field === undefined || field.charCodeAt(0) === 36 || field.includes('.')) return undefined;
  const v = filter[field];
  if (v === null || v === undefined || Array.isArray(v) || isPlainObject(v) || bsonType(v) === 'regex') return undefined;
  return [field, v];
}

/**
 * `{_id: v}` or `{field: v}` on a single-field index: the key lookup is the exact answer
 * (index entries hold array elements, as equality does), so no filter evaluation is needed.
 */
function exactLookup(coll: Collection, filter: Doc | undefined): Doc[] | undefined {
  const eq = singleEquality(filter);
  if (!eq) return undefined;
  const [field, value] = eq;
  if (field === '_id') {
    const d = coll.docs.get(keyOf(value));
    return d ? [d] : [];
  }
  const ix = coll.indexes.find((i) => i.fields.length === 1 && i.fields[0][0] === field && !i.spec.partialFilterExpression);
  if (!ix) return undefined;
  const out: Doc[] = [];
  for (const id of ix.idsForKey(keyOf(value)) ?? []) {
    const d = coll.docs.get(id);
    if (d) out.push(d);
  }
  return out;
}

/** Matching documents (unprojected, unsorted) in index or natural order. */
export function matchDocs(coll: Collection | undefined, filter: Doc | undefined, variables?: Doc, limit?: number): Doc[] {
  if (!coll) {
    compileFilter(filter, variables); // still reject invalid filters
    return [];
  }
  const exact = exactLookup(coll, filter);
  if (exact) return limit ? exact.slice(0, limit) : exact;
  const pred = compileFilter(filter, variables);
  const source = planCandidates(coll, filter) ?? coll.docs.values();
  const out: Doc[] = [];
  for (const d of source) {
    if (pred(d)) {
      out.push(d);
      if (limit && out.length >= limit) break;
    }
  }
  return out;
}

export function readDocs(coll: Collection | undefined, spec: ReadSpec): Doc[] {
  const skip = spec.skip ?? 0;
  const limit = spec.limit ?? 0;
  const project = compileProjection(spec.projection, spec.filter);
  let docs: Doc[];
  const natural = spec.sort?.length === 1 && spec.sort[0][0] === '$natural' ? spec.sort[0][1] : 0;
  if (natural) {
    // {$natural: ±1}: insertion order, forwards or backwards.
    docs = matchDocs(coll, spec.filter, spec.variables);
    if (natural < 0) docs.reverse();
    if (skip) docs = docs.slice(skip);
  } else if (spec.sort) {
    const ordered = coll && limit ? readInIndexOrder(coll, spec.filter, spec.sort, skip + limit, compileFilter(spec.filter, spec.variables)) : undefined;
    docs = ordered ?? sortDocs(matchDocs(coll, spec.filter, spec.variables), spec.sort, limit ? skip + limit : undefined);
    if (skip) docs = docs.slice(skip);
  } else {
    docs = matchDocs(coll, spec.filter, spec.variables, limit ? skip + limit : undefined);
    if (skip) docs = docs.slice(skip);
  }
  if (limit && docs.length > limit) docs = docs.slice(0, limit);
  return project ? docs.map(project) : docs;
}

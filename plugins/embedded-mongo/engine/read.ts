/** Reading documents: plan candidates, filter, sort, skip/limit and project. */
import { keyOf } from '../bson/compare.ts';
import { bsonType, isPlainObject, type Doc } from '../bson/types.ts';
import { compileFilter } from '../query/filter.ts';
import { compileProjection } from '../query/projection.ts';
import { sortDocs, type SortSpec } from '../query/sort.ts';
import type { Collection } from './collection.ts';
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

/** `{_id: <scalar>}`: answered by the _id map alone, no filter evaluation needed. */
function exactIdLookup(filter: Doc | undefined): unknown {
  if (!filter) return undefined;
  const keys = Object.keys(filter);
  if (keys.length !== 1 || keys[0] !== '_id') return undefined;
  const v = filter._id;
  if (v === null || v === undefined || Array.isArray(v) || isPlainObject(v) || bsonType(v) === 'regex') return undefined;
  return v;
}

/** Matching documents (unprojected, unsorted) in index or natural order. */
export function matchDocs(coll: Collection | undefined, filter: Doc | undefined, variables?: Doc, limit?: number): Doc[] {
  if (!coll) {
    compileFilter(filter, variables); // still reject invalid filters
    return [];
  }
  const id = exactIdLookup(filter);
  if (id !== undefined) {
    const d = coll.docs.get(keyOf(id));
    return d ? [d] : [];
  }
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
  if (spec.sort) {
    docs = matchDocs(coll, spec.filter, spec.variables);
    docs = sortDocs(docs, spec.sort, limit ? skip + limit : undefined);
    if (skip) docs = docs.slice(skip);
  } else {
    docs = matchDocs(coll, spec.filter, spec.variables, limit ? skip + limit : undefined);
    if (skip) docs = docs.slice(skip);
  }
  if (limit && docs.length > limit) docs = docs.slice(0, limit);
  return project ? docs.map(project) : docs;
}

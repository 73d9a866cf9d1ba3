/**
 * A parsed list request: everything the record service needs to run one
 * `find` (and, when asked, one `countDocuments`) and to build `nextCursor`.
 */
import type { CursorValue, SortDirection, SortSpec } from './cursor.ts';
import type { MongoFilter } from './parse-filter.ts';

export interface ListQuery {
  /** The client's `filter`, validated and coerced (`{}` when absent). */
  filter: MongoFilter;
  /** The trimmed `q`, when given. */
  q?: string;
  /** The full-text condition for `q`, when `q` has words. */
  search?: MongoFilter;
  /** Sort keys in order; always ends with `_id`. */
  sort: SortSpec;
  /** `sort` as a MongoDB sort document. */
  mongoSort: Record<string, SortDirection>;
  limit: number;
  /** Records to skip; 0 when absent or when paging by cursor. */
  offset: number;
  /** The decoded position of `cursor`, when given. */
  cursor?: CursorValue[];
  /** The keyset condition selecting records after `cursor`, when given. */
  after?: MongoFilter;
  /**
   * Fields to return when `fields` was given (always with `_id`, `version`
   * and the expanded fields); undefined means every field.
   */
  fields?: string[];
  /**
   * The projection for `find`: `fields` plus the sort keys (needed to build
   * `nextCursor`; drop those not in `fields` from the response), or, without
   * `fields`, everything except the hidden search tokens.
   */
  projection: Record<string, 0 | 1>;
  /** Reference fields to embed. */
  expand: string[];
  /** Whether to compute `total`. */
  count: boolean;
}

/**
 * The one filter for `find`: the client filter, the search condition, the
 * cursor condition and any further conditions (an access filter …), ANDed.
 * `countDocuments` takes the same without `after` (a total counts every page).
 */
export function findFilter(query: ListQuery, ...extra: MongoFilter[]): MongoFilter {
  return andFilters([query.filter, query.search, query.after, ...extra]);
}

/** `findFilter` without the cursor condition, for the total. */
export function countFilter(query: ListQuery, ...extra: MongoFilter[]): MongoFilter {
  return andFilters([query.filter, query.search, ...extra]);
}

/** ANDs conditions, leaving out empty ones; never merges keys, so no condition can overwrite another. */
export function andFilters(parts: ReadonlyArray<MongoFilter | undefined>): MongoFilter {
  const present = parts.filter((p): p is MongoFilter => p !== undefined && Object.keys(p).length > 0);
  if (present.length === 0) return {};
  if (present.length === 1) return present[0];
  return { $and: present };
}

/**
 * Walks a sorted list of index entries between two bounds, in either direction. Query
 * comparisons never cross BSON type brackets ({$gt: 5} matches no string), so a bounded
 * scan also stays within the bound's bracket.
 */
import { compareValues } from '../bson/compare.ts';
import { bsonType, typeOrder } from '../bson/types.ts';
import type { SortedList } from './sorted-list.ts';

export interface RangeBound {
  value: unknown;
  isInclusive: boolean;
}

export interface Range {
  lower: RangeBound | null;
  upper: RangeBound | null;
}

const bracketOf = (v: unknown): number => typeOrder(bsonType(v));

export function* scanRange<T>(list: SortedList<T>, valueOf: (x: T) => unknown, range: Range, direction: 1 | -1): Generator<T> {
  const { lower, upper } = range;
  const bound = lower ?? upper;
  const bracket = bound ? bracketOf(bound.value) : undefined;
  const isPastUpper = (v: unknown): boolean => {
    if (bracket !== undefined && bracketOf(v) > bracket) return true;
    if (!upper) return false;
    const c = compareValues(v, upper.value);
    return c > 0 || (c === 0 && !upper.isInclusive);
  };
  const isPastLower = (v: unknown): boolean => {
    if (bracket !== undefined && bracketOf(v) < bracket) return true;
    if (!lower) return false;
    const c = compareValues(v, lower.value);
    return c < 0 || (c === 0 && !lower.isInclusive);
  };
  if (direction === 1) {
    const start = lower
      ? (x: T): number => compareValues(valueOf(x), lower.value)
      : bracket !== undefined ? (x: T): number => (bracketOf(valueOf(x)) < bracket ? -1 : 1) : null;
    for (const x of list.from(start, lower ? !lower.isInclusive : false)) {
      if (isPastUpper(valueOf(x))) return;
      yield x;
    }
    return;
  }
  const start = upper
    ? (x: T): number => compareValues(valueOf(x), upper.value)
    : bracket !== undefined ? (x: T): number => (bracketOf(valueOf(x)) > bracket ? 1 : -1) : null;
  for (const x of list.descending(start, upper ? !upper.isInclusive : false)) {
    if (isPastLower(valueOf(x))) return;
    yield x;
  }
}

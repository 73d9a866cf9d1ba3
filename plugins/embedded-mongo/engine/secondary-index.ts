/**
 * One secondary index held in memory: composite key → document ids, plus (built on first
 * range lookup, then maintained) a sorted list of keys for range scans on the first field.
 */
import { Query } from 'mingo/query';
import { compareValues } from '../bson/compare.ts';
import { isNumeric, toNumber, type Doc } from '../bson/types.ts';
import { DEFAULT_OPTIONS } from '../query/context.ts';
import { extractKeys, type IndexKey } from './index-keys.ts';
import { scanRange, type Range, type RangeBound } from './range-scan.ts';
import { SortedList } from './sorted-list.ts';

interface Entry {
  key: string;
  values: unknown[];
  ids: Set<string>;
}

export type { RangeBound };

function compareEntries(a: Entry, b: Entry): number {
  for (let i = 0; i < a.values.length; i++) {
    const c = compareValues(a.values[i], b.values[i]);
    if (c !== 0) return c;
  }
  return 0;
}

export class Index {
  readonly name: string;
  readonly fields: ReadonlyArray<readonly [string, number]>;
  readonly isUnique: boolean;
  readonly isSparse: boolean;
  readonly ttlSeconds: number | null;
  private readonly partial: Query | null;
  private readonly entries = new Map<string, Entry>();
  private sorted: SortedList<Entry> | null = null;
  isMultikey = false;

  constructor(readonly spec: Doc) {
    this.name = String(spec.name);
    this.fields = Object.entries(spec.key as Doc).map(([k, v]) => [k, Number(v)] as const);
    this.isUnique = spec.unique === true;
    this.isSparse = spec.sparse === true;
    this.ttlSeconds = isNumeric(spec.expireAfterSeconds) ? toNumber(spec.expireAfterSeconds) : null;
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression as Doc, DEFAULT_OPTIONS) : null;
  }

  get keyPattern(): Doc {
    return this.spec.key as Doc;
  }

  /** The document's keys in this index, or null when the index does not cover it (sparse/partial). */
  keysFor(doc: Doc): IndexKey[] | null {
    if (this.partial && !this.partial.test(doc)) return null;
    const extracted = extractKeys(doc, this.fields);
    if (this.isSparse && extracted.isAllMissing) return null;
    return extracted.keys;
  }

  /** For a unique index: a key of doc already held by another document, if any. */
  findConflict(keys: IndexKey[] | null, selfId: string): IndexKey | null {
    if (!this.isUnique || !keys) return null;
    for (const k of keys) {
      const e = this.entries.get(k.key);
      if (e) for (const id of e.ids) if (id !== selfId) return k;
    }
    return null;
  }

  add(id: string, keys: IndexKey[] | null): void {
    if (!keys) return;
    // Several keys for one document: bounds on one field must not be intersected any more.
    if (keys.length > 1) this.isMultikey = true;
    for (const k of keys) {
      let e = this.entries.get(k.key);
      if (!e) {
        e = { key: k.key, values: k.values, ids: new Set() };
        this.entries.set(k.key, e);
        this.sorted?.insert(e);
      }
      e.ids.add(id);
    }
  }

  remove(id: string, keys: IndexKey[] | null): void {
    if (!keys) return;
    for (const k of keys) {
      const e = this.entries.get(k.key);
      if (!e) continue;
      e.ids.delete(id);
      if (e.ids.size === 0) {
        this.entries.delete(k.key);
        this.sorted?.remove(e);
      }
    }
  }

  /** Ids whose full composite key equals `key`. */
  idsForKey(key: string): ReadonlySet<string> | undefined {
    return this.entries.get(key)?.ids;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Ids with a first-field key inside the bounds (within the bound's type bracket), in index order. */
  *scanFirstField(lower: RangeBound | null, upper: RangeBound | null): Generator<string> {
    for (const e of this.entriesInOrder({ lower, upper }, 1)) yield* e.ids;
  }

  /**
   * Entries whose first-field value lies in `range`, in first-field order (`direction` -1:
   * descending). Entries with equal first values are adjacent (compound keys).
   */
  entriesInOrder(range: Range, direction: 1 | -1): Generator<{ values: unknown[]; ids: ReadonlySet<string> }> {
    if (!this.sorted) this.sorted = SortedList.from([...this.entries.values()], compareEntries);
    return scanRange(this.sorted, (e) => e.values[0], range, direction);
  }
}

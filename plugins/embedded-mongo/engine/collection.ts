/** A collection held in memory: documents by canonical _id key (insertion order) and its indexes. */
import { compareValues } from '../bson/compare.ts';
import type { Doc } from '../bson/types.ts';
import { scanRange, type Range, type RangeBound } from './range-scan.ts';
import type { Index } from './secondary-index.ts';
import { DocMap } from './doc-map.ts';
import { SortedList } from './sorted-list.ts';

interface IdEntry {
  value: unknown;
  key: string;
}

const compareIds = (a: IdEntry, b: IdEntry): number => compareValues(a.value, b.value);

export const ID_INDEX_SPEC: Readonly<Doc> = Object.freeze({ v: 2, key: { _id: 1 }, name: '_id_' });

export class Collection {
  readonly docs = new DocMap();
  readonly indexes: Index[] = [];
  /** `_id` values in order, built on the first range query on `_id`, then kept up to date. */
  private idOrder: SortedList<IdEntry> | null = null;

  constructor(
    public db: string,
    public name: string,
    /** Row id in the `collections` table. */
    readonly id: number,
    public options: Doc,
  ) {}

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  indexSpecs(): Doc[] {
    return [{ ...ID_INDEX_SPEC }, ...this.indexes.map((i) => i.spec)];
  }

  /** True when an insert must decode the document (to index or validate it) before storing it. */
  needsDecodedInserts(hasValidator: boolean): boolean {
    return this.indexes.length > 0 || hasValidator;
  }

  findIndex(name: string): Index | undefined {
    return this.indexes.find((i) => i.name === name);
  }

  /** Keeps the `_id` order (if built) in step with an inserted or removed document. */
  noteId(key: string, id: unknown, isAdded: boolean): void {
    if (!this.idOrder) return;
    if (isAdded) this.idOrder.insert({ value: id, key });
    else this.idOrder.remove({ value: id, key });
  }

  /** Keys of documents whose `_id` lies within the bounds (same type bracket), in `_id` order. */
  *scanIds(lower: RangeBound | null, upper: RangeBound | null): Generator<string> {
    for (const e of this.idsInOrder({ lower, upper }, 1)) yield e.key;
  }

  /** `_id` entries within `range` in `_id` order (`direction` -1: descending). */
  idsInOrder(range: Range, direction: 1 | -1): Generator<{ value: unknown; key: string }> {
    // `_id` values are read from documents still held as bytes without decoding them.
    if (!this.idOrder) this.idOrder = SortedList.from([...this.docs.keys()].map((key) => ({ value: this.docs.idOf(key), key })), compareIds);
    return scanRange(this.idOrder, (e) => e.value, range, direction);
  }
}

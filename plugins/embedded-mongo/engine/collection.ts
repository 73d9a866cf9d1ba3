/** A collection held in memory: documents by canonical _id key (insertion order) and its indexes. */
import { compareValues } from '../bson/compare.ts';
import { bsonType, typeOrder, type Doc } from '../bson/types.ts';
import type { RangeBound, Index } from './secondary-index.ts';
import { SortedList } from './sorted-list.ts';

interface IdEntry {
  value: unknown;
  key: string;
}

const compareIds = (a: IdEntry, b: IdEntry): number => compareValues(a.value, b.value);

export const ID_INDEX_SPEC: Readonly<Doc> = Object.freeze({ v: 2, key: { _id: 1 }, name: '_id_' });

export class Collection {
  readonly docs = new Map<string, Doc>();
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
    if (!this.idOrder) this.idOrder = SortedList.from([...this.docs].map(([key, d]) => ({ value: d._id, key })), compareIds);
    const bracket = typeOrder(bsonType((lower ?? upper)?.value));
    const start = lower ? (e: IdEntry): number => compareValues(e.value, lower.value) : null;
    for (const e of this.idOrder.from(start, lower ? !lower.isInclusive : false)) {
      if (typeOrder(bsonType(e.value)) > bracket) return;
      if (upper) {
        const c = compareValues(e.value, upper.value);
        if (c > 0 || (c === 0 && !upper.isInclusive)) return;
      }
      yield e.key;
    }
  }
}

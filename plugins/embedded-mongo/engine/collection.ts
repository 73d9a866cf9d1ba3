/** A collection held in memory: documents by canonical _id key (insertion order) and its indexes. */
import type { Doc } from '../bson/types.ts';
import type { Index } from './secondary-index.ts';

export const ID_INDEX_SPEC: Readonly<Doc> = Object.freeze({ v: 2, key: { _id: 1 }, name: '_id_' });

export class Collection {
  readonly docs = new Map<string, Doc>();
  readonly indexes: Index[] = [];

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
}

/**
 * A collection's documents by canonical `_id` key, in insertion order. A document may be
 * held as its stored BSON (see bson/stored.ts) until first read; reading decodes it once and
 * keeps the object in the same place, so natural order never changes.
 */
import { noteNumberWrappers } from '../bson/clone.ts';
import { decode } from '../bson/codec.ts';
import { storedId } from '../bson/stored.ts';
import type { Doc } from '../bson/types.ts';

export class DocMap {
  private readonly m = new Map<string, Doc | Buffer>();

  get size(): number {
    return this.m.size;
  }

  has(id: string): boolean {
    return this.m.has(id);
  }

  get(id: string): Doc | undefined {
    const v = this.m.get(id);
    return v === undefined || !Buffer.isBuffer(v) ? v : this.decodeAt(id, v);
  }

  set(id: string, doc: Doc): void {
    this.m.set(id, doc);
  }

  /** Keeps `bytes` (well-formed stored-form BSON, owned by the map from now on) for `id`. */
  setStored(id: string, bytes: Buffer): void {
    this.m.set(id, bytes);
  }

  delete(id: string): boolean {
    return this.m.delete(id);
  }

  keys(): IterableIterator<string> {
    return this.m.keys();
  }

  *values(): Generator<Doc> {
    for (const [id, v] of this.m) yield Buffer.isBuffer(v) ? this.decodeAt(id, v) : v;
  }

  *entries(): Generator<[string, Doc]> {
    for (const [id, v] of this.m) yield [id, Buffer.isBuffer(v) ? this.decodeAt(id, v) : v];
  }

  [Symbol.iterator](): Generator<[string, Doc]> {
    return this.entries();
  }

  /** The `_id` of document `id`, read from its bytes when it is not decoded yet. */
  idOf(id: string): unknown {
    const v = this.m.get(id);
    if (v === undefined) return undefined;
    return Buffer.isBuffer(v) ? storedId(v) : v._id;
  }

  private decodeAt(id: string, bytes: Buffer): Doc {
    const doc = decode(bytes);
    noteNumberWrappers(doc);
    // Replacing an existing key keeps its position in the Map.
    this.m.set(id, doc);
    return doc;
  }
}

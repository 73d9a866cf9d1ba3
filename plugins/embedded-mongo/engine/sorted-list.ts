/**
 * A sorted sequence kept in bounded chunks (a flat B+-tree), so inserts and removals cost
 * O(log n + chunk) instead of shifting one huge array.
 */

const MAX_CHUNK = 1024;

export class SortedList<T> {
  private chunks: T[][] = [];

  constructor(private readonly cmp: (a: T, b: T) => number) {}

  get size(): number {
    let n = 0;
    for (const c of this.chunks) n += c.length;
    return n;
  }

  static from<T>(items: T[], cmp: (a: T, b: T) => number): SortedList<T> {
    const list = new SortedList(cmp);
    const sorted = items.slice().sort(cmp);
    for (let i = 0; i < sorted.length; i += MAX_CHUNK / 2) list.chunks.push(sorted.slice(i, i + MAX_CHUNK / 2));
    return list;
  }

  /** Index of the first chunk whose last element is >= probe (by probeCmp). */
  private chunkFor(probeCmp: (x: T) => number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = this.chunks[mid];
      if (probeCmp(c[c.length - 1]) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position within chunk where probeCmp(x) >= 0 (or > 0 when strict). */
  private static lowerIn<T>(chunk: T[], probeCmp: (x: T) => number, strict: boolean): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = probeCmp(chunk[mid]);
      if (c < 0 || (strict && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(item: T): void {
    if (this.chunks.length === 0) {
      this.chunks.push([item]);
      return;
    }
    const probe = (x: T): number => this.cmp(x, item);
    const ci = this.chunkFor(probe);
    const chunk = this.chunks[ci];
    chunk.splice(SortedList.lowerIn(chunk, probe, true), 0, item);
    if (chunk.length > MAX_CHUNK) this.chunks.splice(ci + 1, 0, chunk.splice(MAX_CHUNK / 2));
  }

  /** Removes the element equal (cmp === 0) to item; returns whether one was found. */
  remove(item: T): boolean {
    if (this.chunks.length === 0) return false;
    const probe = (x: T): number => this.cmp(x, item);
    const ci = this.chunkFor(probe);
    const chunk = this.chunks[ci];
    const i = SortedList.lowerIn(chunk, probe, false);
    if (i >= chunk.length || this.cmp(chunk[i], item) !== 0) return false;
    chunk.splice(i, 1);
    if (chunk.length === 0) this.chunks.splice(ci, 1);
    return true;
  }

  /**
   * Iterates in order starting at the first element x with probeCmp(x) >= 0
   * (> 0 when exclusive). probeCmp compares an element against the bound.
   */
  *from(probeCmp: ((x: T) => number) | null, exclusive = false): Generator<T> {
    let ci = 0;
    let i = 0;
    if (probeCmp && this.chunks.length) {
      const adjusted = exclusive ? (x: T): number => (probeCmp(x) <= 0 ? -1 : 1) : probeCmp;
      ci = this.chunkFor(adjusted);
      i = SortedList.lowerIn(this.chunks[ci], probeCmp, exclusive);
    }
    for (; ci < this.chunks.length; ci++, i = 0) {
      const chunk = this.chunks[ci];
      for (; i < chunk.length; i++) yield chunk[i];
    }
  }

  /**
   * Iterates in reverse order starting at the last element x with probeCmp(x) <= 0
   * (< 0 when exclusive); from the very end when probeCmp is null.
   */
  *descending(probeCmp: ((x: T) => number) | null, exclusive = false): Generator<T> {
    let ci = this.chunks.length - 1;
    if (ci < 0) return;
    let i = this.chunks[ci].length - 1;
    if (probeCmp) {
      // The first element past the bound; iteration starts just before it.
      const past = exclusive ? probeCmp : (x: T): number => (probeCmp(x) <= 0 ? -1 : 1);
      ci = this.chunkFor(past);
      i = SortedList.lowerIn(this.chunks[ci], past, false) - 1;
    }
    for (;;) {
      const chunk = this.chunks[ci];
      for (; i >= 0; i--) yield chunk[i];
      if (--ci < 0) return;
      i = this.chunks[ci].length - 1;
    }
  }
}

/**
 * Sorting in MongoDB order: per key, an array contributes its smallest element ascending
 * and its largest descending; missing sorts as null. Keys are extracted once per document,
 * and a limit uses a bounded heap instead of sorting everything.
 */
import { CommandError } from '../errors.ts';
import { compareValues } from '../bson/compare.ts';
import { isNumeric, toNumber } from '../bson/types.ts';
import { candidatesAt, ownField } from './field-path.ts';

export type SortSpec = Array<[path: string, dir: 1 | -1]>;
type Doc = Record<string, unknown>;

export function parseSort(spec: unknown): SortSpec | null {
  if (spec === undefined || spec === null) return null;
  if (typeof spec !== 'object' || Array.isArray(spec)) throw new CommandError(14, 'Expected field sort to be of type object');
  const out: SortSpec = [];
  for (const [path, dir] of Object.entries(spec as Doc)) {
    if (dir !== null && typeof dir === 'object' && '$meta' in (dir as Doc)) {
      throw new CommandError(2, `$meta sort by '${String((dir as Doc).$meta)}' is not supported by the embedded engine`);
    }
    const n = isNumeric(dir) ? toNumber(dir) : NaN;
    if (n !== 1 && n !== -1) throw new CommandError(15975, '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    out.push([path, n]);
  }
  if (out.length === 0) return null;
  return out;
}

function sortKey(doc: Doc, path: string, dir: 1 | -1): unknown {
  if (!path.includes('.')) {
    const v = ownField(doc, path);
    if (!Array.isArray(v)) return v === undefined ? null : v;
  }
  let best: unknown = undefined;
  let seen = false;
  for (const c of candidatesAt(doc, path)) {
    if (Array.isArray(c)) continue;
    const v = c === undefined ? null : c;
    if (!seen || compareValues(v, best) * dir < 0) best = v;
    seen = true;
  }
  return seen ? best : null;
}

interface Keyed<T> {
  /** First key (kept out of the array: most sorts have one key). */
  k0: unknown;
  rest: unknown[] | null;
  item: T;
  seq: number;
}

function fastCompare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number' && a === a && b === b) return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return compareValues(a, b);
}

function keyedComparator<T>(spec: SortSpec): (a: Keyed<T>, b: Keyed<T>) => number {
  const d0 = spec[0][1];
  const n = spec.length;
  return (a, b) => {
    const c0 = fastCompare(a.k0, b.k0);
    if (c0 !== 0) return c0 * d0;
    for (let i = 1; i < n; i++) {
      const c = fastCompare((a.rest as unknown[])[i - 1], (b.rest as unknown[])[i - 1]);
      if (c !== 0) return c * spec[i][1];
    }
    return a.seq - b.seq;
  };
}

function decorate<T extends Doc>(item: T, seq: number, spec: SortSpec): Keyed<T> {
  const [p0, d0] = spec[0];
  const rest = spec.length > 1 ? spec.slice(1).map(([p, d]) => sortKey(item, p, d)) : null;
  return { k0: sortKey(item, p0, d0), rest, item, seq };
}

/** Sorts documents (stable), keeping only the first `keep` when given. */
export function sortDocs<T extends Doc>(docs: T[], spec: SortSpec, keep?: number): T[] {
  const cmp = keyedComparator<T>(spec);
  if (keep !== undefined && keep < docs.length / 4) return topK(docs, spec, cmp, keep).map((k) => k.item);
  const keyed = docs.map((item, seq) => decorate(item, seq, spec));
  keyed.sort(cmp);
  const out = keyed.map((k) => k.item);
  return keep !== undefined ? out.slice(0, keep) : out;
}

/** Comparator over documents, for callers that sort small arrays. */
export function docComparator(spec: SortSpec): (a: Doc, b: Doc) => number {
  return (a, b) => {
    for (const [p, d] of spec) {
      const c = compareValues(sortKey(a, p, d), sortKey(b, p, d));
      if (c !== 0) return c * d;
    }
    return 0;
  };
}

/** The k smallest items in order, via a max-heap of size k (documents decorated only when kept). */
function topK<T extends Doc>(docs: T[], spec: SortSpec, cmp: (a: Keyed<T>, b: Keyed<T>) => number, k: number): Array<Keyed<T>> {
  if (k <= 0) return [];
  const heap: Array<Keyed<T>> = [];
  const up = (i: number): void => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (cmp(heap[i], heap[p]) <= 0) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && cmp(heap[l], heap[m]) > 0) m = l;
      if (r < heap.length && cmp(heap[r], heap[m]) > 0) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  const probe: Keyed<T> = { k0: undefined, rest: null, item: docs[0], seq: 0 };
  const [p0, d0] = spec[0];
  for (let seq = 0; seq < docs.length; seq++) {
    const item = docs[seq];
    if (heap.length < k) {
      heap.push(decorate(item, seq, spec));
      up(heap.length - 1);
      continue;
    }
    // Cheap rejection on the first key before building the full decoration.
    probe.k0 = sortKey(item, p0, d0);
    probe.seq = seq;
    const c0 = fastCompare(probe.k0, heap[0].k0) * d0;
    if (c0 > 0 || (c0 === 0 && spec.length === 1)) continue;
    const keyed = decorate(item, seq, spec);
    if (cmp(keyed, heap[0]) < 0) {
      heap[0] = keyed;
      down(0);
    }
  }
  return heap.sort(cmp);
}

/**
 * Keyset paging checked against mingo, a MongoDB query evaluator: every
 * record comes out exactly once, in sort order, also with inserts and
 * deletes between pages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal128, ObjectId } from 'mongodb';
import { find } from 'mingo';
import { cursorFilter, decodeCursor, nextCursor, toMongoSort, sortToString, type SortSpec } from '../../core/query/cursor.ts';

type Doc = Record<string, unknown> & { _id: ObjectId };

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const POOLS: Record<string, () => unknown[]> = {
  n: () => [1, 2, 2.5, -1, 0, 1e9],
  i: () => [0, 1, 2, 3],
  s: () => ['', 'a', 'B', 'b', 'Москва', 'ёж', 'zz'],
  d: () => [new Date('2020-01-01T00:00:00Z'), new Date('2024-05-01T10:00:00Z'), new Date(0), new Date('1969-12-31T00:00:00Z')],
  b: () => [true, false],
  m: () => ['0', '1.5', '2', '10', '-3.25'].map((x) => Decimal128.fromString(x)),
};
const FIELDS = Object.keys(POOLS);

function makeDoc(rand: () => number, ids: Set<string>): Doc {
  let hex: string;
  do hex = Array.from({ length: 24 }, () => Math.floor(rand() * 16).toString(16)).join('');
  while (ids.has(hex));
  ids.add(hex);
  const doc: Doc = { _id: ObjectId.createFromHexString(hex) };
  for (const f of FIELDS) {
    const r = rand();
    if (r < 0.1) continue; // missing
    if (r < 0.2) doc[f] = null;
    else {
      const pool = POOLS[f]();
      doc[f] = pool[Math.floor(rand() * pool.length)];
    }
  }
  return doc;
}

function randomSort(rand: () => number): SortSpec {
  const fields = [...FIELDS].sort(() => rand() - 0.5).slice(0, 1 + Math.floor(rand() * 3));
  const dir = () => (rand() < 0.5 ? 1 : -1) as 1 | -1;
  return [...fields.map((field) => ({ field, direction: dir() })), { field: '_id', direction: dir() }];
}

/** One page: mingo filters by the cursor condition; `order` sorts (mingo's own sort, or a rank from it). */
function page(docs: Doc[], sort: SortSpec, cursor: string | undefined, limit: number, order: (docs: Doc[]) => Doc[]): Doc[] {
  const filter = cursor ? cursorFilter(sort, decodeCursor(cursor, sort)) : {};
  return order(find(docs, filter).all() as Doc[]).slice(0, limit);
}

function pageThrough(docs: Doc[], sort: SortSpec, limit: number, order: (docs: Doc[]) => Doc[], between?: () => void): Doc[] {
  const seen: Doc[] = [];
  let cursor: string | undefined;
  // A broken cursor can loop; more items than twice the collection means it did.
  while (seen.length <= docs.length * 2) {
    const items = page(docs, sort, cursor, limit, order);
    seen.push(...items);
    if (items.length < limit) return seen;
    cursor = nextCursor(items[items.length - 1], sort);
    between?.();
  }
  throw new Error(`paging did not end: ${sortToString(sort)} limit ${limit}`);
}

const mingoSort = (sort: SortSpec) => (docs: Doc[]) => find(docs, {}).sort(toMongoSort(sort)).all() as Doc[];

const SEED = Number(process.env.CURSOR_SEED ?? 20241129);

test('paging 2,000 records with random sorts (ties, nulls, missing) yields the full sorted list exactly once', () => {
  const rand = prng(SEED);
  const ids = new Set<string>();
  const all = Array.from({ length: 2000 }, () => makeDoc(rand, ids));
  for (let run = 0; run < 8; run++) {
    // Tiny pages put a page boundary between every pair of records; a 300-record slice keeps them quick.
    const docs = run < 2 ? all.slice(0, 300) : all;
    const sort = randomSort(rand);
    const limit = run < 2 ? 1 + Math.floor(rand() * 5) : 25 + Math.floor(rand() * 125);
    const expected = mingoSort(sort)(docs).map((d) => String(d._id));
    // mingo's sort is slow; sorting each page by the rank from one mingo sort is the same order.
    const rank = new Map(expected.map((id, i) => [id, i]));
    const rankOf = (d: Doc) => rank.get(d._id.toHexString()) ?? -1;
    const byRank = (page: Doc[]) => page.map((d) => [rankOf(d), d] as const).sort((x, y) => x[0] - y[0]).map(([, d]) => d);
    const got = pageThrough(docs, sort, limit, byRank).map((d) => String(d._id));
    const context = `seed ${SEED} sort ${sortToString(sort)} limit ${limit}`;
    assert.equal(got.length, docs.length, context);
    assert.deepEqual(got, expected, context);
  }
});

test('inserts and deletes between pages never repeat or skip a record that stays', () => {
  const rand = prng(SEED + 1);
  const ids = new Set<string>();
  for (let run = 0; run < 4; run++) {
    const docs = Array.from({ length: 2000 }, () => makeDoc(rand, ids));
    const original = new Set(docs.map((d) => String(d._id)));
    const deleted = new Set<string>();
    const sort = randomSort(rand);
    const limit = 60 + Math.floor(rand() * 140);
    const mutate = () => {
      for (let k = 0; k < 15; k++) docs.push(makeDoc(rand, ids));
      const victim = Math.floor(rand() * docs.length);
      deleted.add(String(docs[victim]._id));
      docs.splice(victim, 1);
    };
    const got = pageThrough(docs, sort, limit, mingoSort(sort), mutate).map((d) => String(d._id));
    const context = `seed ${SEED + 1} run ${run} sort ${sortToString(sort)} limit ${limit}`;
    assert.equal(new Set(got).size, got.length, `no record twice: ${context}`);
    const gotSet = new Set(got);
    const missing = [...original].filter((id) => !deleted.has(id) && !gotSet.has(id));
    assert.deepEqual(missing, [], `every surviving original record seen: ${context}`);
    // The concatenated pages are in sort order: the final collection sorted, restricted to what we saw.
    const order = mingoSort(sort)(docs).map((d) => String(d._id)).filter((id) => gotSet.has(id));
    assert.deepEqual(got.filter((id) => !deleted.has(id)), order, `pages in sort order: ${context}`);
  }
});

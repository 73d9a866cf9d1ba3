/**
 * Open cursors: the remaining documents of a find/aggregate result, handed out in batches
 * by getMore. Results are materialised references to immutable document versions (writes
 * replace documents, never mutate them), so a cursor is a stable snapshot.
 */
import { BSON, Long } from 'bson';
import type { Doc } from '../bson/types.ts';

export const DEFAULT_FIRST_BATCH = 101;
/** Replies stay under the 16 MiB document limit with room for the envelope. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;
export const CURSOR_IDLE_MS = 10 * 60 * 1000;

interface CursorState {
  id: number;
  ns: string;
  docs: Doc[];
  pos: number;
  lastUsed: number;
}

export interface Batch {
  docs: Doc[];
  /** 0 when the cursor is exhausted (and closed). */
  cursorId: number;
}

/** Takes up to `batchSize` documents (0/undefined = no count limit) within the byte budget. */
export function takeBatch(docs: Doc[], start: number, batchSize: number | undefined): Doc[] {
  const max = batchSize && batchSize > 0 ? Math.min(batchSize, docs.length - start) : docs.length - start;
  // A single document always fits (stored documents are at most 16 MiB).
  if (max === 1) return [docs[start]];
  const out: Doc[] = [];
  let bytes = 0;
  for (let i = 0; i < max; i++) {
    const d = docs[start + i];
    bytes += BSON.calculateObjectSize(d);
    if (bytes > MAX_BATCH_BYTES && out.length > 0) break;
    out.push(d);
  }
  return out;
}

export class CursorRegistry {
  private readonly cursors = new Map<number, CursorState>();
  private nextId = 1 + Math.floor(Math.random() * 2 ** 40);
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly idleMs = CURSOR_IDLE_MS) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.min(60_000, idleMs / 2)));
    this.sweeper.unref();
  }

  /** Returns the first batch, registering a cursor for the rest when documents remain. */
  open(ns: string, docs: Doc[], batchSize: number | undefined, isSingleBatch = false): Batch {
    // batchSize 0 opens the cursor without returning documents yet.
    const first = batchSize === 0 ? [] : takeBatch(docs, 0, batchSize ?? DEFAULT_FIRST_BATCH);
    if ((first.length >= docs.length && batchSize !== 0) || isSingleBatch) return { docs: first, cursorId: 0 };
    const id = this.nextId++;
    this.cursors.set(id, { id, ns, docs, pos: first.length, lastUsed: Date.now() });
    return { docs: first, cursorId: id };
  }

  has(id: number): boolean {
    return this.cursors.has(id);
  }

  nsOf(id: number): string | undefined {
    return this.cursors.get(id)?.ns;
  }

  next(id: number, batchSize: number | undefined): Batch | null {
    const c = this.cursors.get(id);
    if (!c) return null;
    const docs = takeBatch(c.docs, c.pos, batchSize);
    c.pos += docs.length;
    c.lastUsed = Date.now();
    if (c.pos >= c.docs.length) {
      this.cursors.delete(id);
      return { docs, cursorId: 0 };
    }
    return { docs, cursorId: id };
  }

  kill(id: number): boolean {
    return this.cursors.delete(id);
  }

  get size(): number {
    return this.cursors.size;
  }

  sweep(now = Date.now()): void {
    for (const [id, c] of this.cursors) if (now - c.lastUsed > this.idleMs) this.cursors.delete(id);
  }

  closeAll(): void {
    clearInterval(this.sweeper);
    this.cursors.clear();
  }
}

export function cursorReply(ns: string, batch: Batch, key: 'firstBatch' | 'nextBatch'): Doc {
  return { cursor: { [key]: batch.docs, id: Long.fromNumber(batch.cursorId), ns } };
}

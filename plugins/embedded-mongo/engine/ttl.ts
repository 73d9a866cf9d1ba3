/**
 * TTL monitor: removes documents whose indexed date (earliest, for arrays) is older than the
 * index's expireAfterSeconds. MongoDB runs this every 60 s; the period is configurable.
 */
import type { Doc } from '../bson/types.ts';
import { getPath } from '../query/field-path.ts';
import type { Engine } from './engine.ts';

function expiryBase(doc: Doc, field: string): number | null {
  const v = getPath(doc, field);
  const dates = (Array.isArray(v) ? v : [v]).filter((x): x is Date => x instanceof Date);
  if (dates.length === 0) return null;
  return Math.min(...dates.map((d) => d.getTime()));
}

/** One pass: deletes expired documents, one transaction per collection. Returns the count. */
export function expireOnce(engine: Engine, now = Date.now()): number {
  let removed = 0;
  for (const coll of engine.allCollections()) {
    const ttl = coll.indexes.filter((ix) => ix.ttlSeconds !== null && ix.fields.length === 1);
    if (ttl.length === 0) continue;
    const expired: string[] = [];
    for (const [id, doc] of coll.docs) {
      for (const ix of ttl) {
        if (ix.keysFor(doc) === null) continue; // outside a partial TTL index
        const base = expiryBase(doc, ix.fields[0][0]);
        if (base !== null && base + (ix.ttlSeconds as number) * 1000 <= now) {
          expired.push(id);
          break;
        }
      }
    }
    if (expired.length) {
      engine.write((tx) => expired.forEach((id) => tx.remove(coll, id)));
      removed += expired.length;
    }
  }
  return removed;
}

export function startTtlMonitor(engine: Engine, intervalMs: number, onError: (msg: string) => void): () => void {
  const timer = setInterval(() => {
    try {
      expireOnce(engine);
    } catch (err) {
      onError(`TTL monitor: ${err instanceof Error ? err.message : String(err)}`);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

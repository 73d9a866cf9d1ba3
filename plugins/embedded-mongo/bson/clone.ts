/**
 * Structural copy of a document: plain objects and arrays are copied, BSON value classes
 * (ObjectId, Decimal128, Date …) are shared because the engine never mutates them.
 */
import type { Double, Long } from 'bson';
import { isPlainObject, type Doc } from './types.ts';

export function cloneValue<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneValue) as T;
  if (isPlainObject(v)) return cloneDoc(v) as T;
  return v;
}

export function cloneDoc(doc: Doc): Doc {
  const out: Doc = {};
  for (const k of Object.keys(doc)) out[k] = cloneValue(doc[k]);
  return out;
}

/**
 * Copy for mingo evaluation: like cloneDoc, but `Double` wrappers and int64 values within
 * ±2^53 become plain numbers, which mingo's own operators understand.
 */
export function computeCopy<T>(v: T): T {
  if (Array.isArray(v)) return v.map(computeCopy) as T;
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) out[k] = computeCopy(v[k]);
    return out as T;
  }
  return unwrapNumber(v) as T;
}

function unwrapNumber(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const t = (v as { _bsontype?: unknown })._bsontype;
  if (t === 'Double') return (v as Double).value;
  if (t === 'Long') {
    const n = (v as Long).toNumber();
    return Number.isSafeInteger(n) ? n : v;
  }
  return v;
}

/** True when the value holds a `Double` or `Long` anywhere. */
export function hasNumberWrappers(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(hasNumberWrappers);
  const t = (v as { _bsontype?: unknown })._bsontype;
  if (t === 'Double' || t === 'Long') return true;
  if (!isPlainObject(v)) return false;
  for (const k in v) if (hasNumberWrappers(v[k])) return true;
  return false;
}

/** Stored documents known to hold Double/Long values (recorded when they are written or loaded). */
const withWrappers = new WeakSet<object>();

export function noteNumberWrappers(doc: Doc): void {
  if (hasNumberWrappers(doc)) withWrappers.add(doc);
}

export function isKnownToHaveWrappers(doc: Doc): boolean {
  return withWrappers.has(doc);
}

/**
 * Structural copy of a document: plain objects and arrays are copied, BSON value classes
 * (ObjectId, Decimal128, Date …) are shared because the engine never mutates them.
 */
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

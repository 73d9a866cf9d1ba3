/**
 * MongoDB's field-path traversal for query predicates: a dotted path fans out over arrays,
 * and a terminal array offers both itself and each of its elements as candidate values.
 * Missing branches yield `undefined`, which equality-to-null matches as MongoDB does (but an
 * array element that is not a document is no branch at all).
 */
import { isPlainObject } from '../bson/types.ts';

const DIGITS = /^\d+$/;

export interface Candidates {
  /** Every value reachable at the path (terminal arrays plus their elements). */
  values: unknown[];
}

function collect(value: unknown, parts: string[], i: number, out: unknown[], expandTerminal: boolean): void {
  if (i === parts.length) {
    out.push(value);
    if (expandTerminal && Array.isArray(value)) for (const el of value) out.push(el);
    return;
  }
  const part = parts[i];
  if (Array.isArray(value)) {
    if (DIGITS.test(part)) {
      const idx = Number(part);
      if (idx < value.length) collect(value[idx], parts, i + 1, out, expandTerminal);
    }
    // Only documents in the array are traversed: an array without any (empty, or scalars only)
    // yields nothing, so it matches neither {'a.b': null} nor {'a.b': {$exists: true}}, as in MongoDB 7.0.
    for (const el of value) {
      if (isPlainObject(el)) collect(el[part], parts, i + 1, out, expandTerminal);
    }
    return;
  }
  if (isPlainObject(value)) {
    collect(Object.prototype.hasOwnProperty.call(value, part) ? value[part] : undefined, parts, i + 1, out, expandTerminal);
    return;
  }
  out.push(undefined);
}

const splitCache = new Map<string, string[]>();

export function splitPath(path: string): string[] {
  let parts = splitCache.get(path);
  if (!parts) {
    parts = path.split('.');
    if (splitCache.size > 10_000) splitCache.clear();
    splitCache.set(path, parts);
  }
  return parts;
}

/** Candidate values at `path` (see file comment). */
export function candidatesAt(doc: unknown, path: string, expandTerminal = true): unknown[] {
  const out: unknown[] = [];
  collect(doc, splitPath(path), 0, out, expandTerminal);
  return out;
}

/** Plain lookup without array fan-out: the value at path in nested objects, or undefined. */
export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of splitPath(path)) {
    if (Array.isArray(cur) && DIGITS.test(part)) cur = cur[Number(part)];
    else if (isPlainObject(cur)) cur = Object.prototype.hasOwnProperty.call(cur, part) ? cur[part] : undefined;
    else return undefined;
  }
  return cur;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** A top-level field of a document, never one inherited from Object.prototype. */
export function ownField(doc: unknown, field: string): unknown {
  return doc !== null && typeof doc === 'object' && hasOwn.call(doc, field) ? (doc as Record<string, unknown>)[field] : undefined;
}

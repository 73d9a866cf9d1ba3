/** Values rendered the way mongod prints them in error messages (`{ name: "x" }`, `ObjectId('…')`). */
import type { ObjectId } from 'bson';
import { bsonType, isPlainObject } from './types.ts';

export function formatValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.length ? `[ ${v.map(formatValue).join(', ')} ]` : '[]';
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    return keys.length ? `{ ${keys.map((k) => `${k}: ${formatValue(v[k])}`).join(', ')} }` : '{}';
  }
  switch (bsonType(v)) {
    case 'objectId': return `ObjectId('${(v as ObjectId).toHexString()}')`;
    case 'decimal': return `Decimal128("${String(v)}")`;
    case 'long': return `${String(v)}`;
    default: return String(v);
  }
}

/** `{ a: 1, b: "x" }` for a key document. */
export function formatKey(keyValue: Record<string, unknown>): string {
  return formatValue(keyValue);
}

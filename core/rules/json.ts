import { anyToJson } from '../records/codec.ts';

/** Stored values (ObjectId, Date, Decimal128) as JSON, all the way down. */
export function deepJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(deepJson);
  const converted = anyToJson(value);
  if (converted !== value || value === null || typeof value !== 'object') return converted;
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) => [key, deepJson(item)]));
}

/**
 * Converting field values between their JSON form (API, UI, importer) and
 * their stored BSON form. One handler per field type; a new type without a
 * handler is a compile error.
 *
 * - money travels as a decimal string ("1234.50") and is stored as Decimal128,
 *   so sums are exact;
 * - date travels as "YYYY-MM-DD" and is stored as a Date at UTC midnight;
 * - datetime travels as ISO 8601 and is stored as a Date;
 * - reference(s) travel as 24-hex strings and are stored as ObjectIds.
 * Input has already passed the compiled JSON Schema, so the shapes are known.
 */
import { Decimal128, ObjectId } from 'mongodb';
import type { FieldDefinition, FieldType } from '../metadata/types.ts';

interface FieldCodec {
  toStorage(value: unknown): unknown;
  toJson(value: unknown): unknown;
}

const identity: FieldCodec = { toStorage: (v) => v, toJson: (v) => v };

const objectIdCodec: FieldCodec = {
  toStorage: (v) => (typeof v === 'string' && ObjectId.isValid(v) ? new ObjectId(v) : v),
  toJson: (v) => (v instanceof ObjectId ? v.toHexString() : v),
};

function toJsonNumber(v: unknown): unknown {
  if (v instanceof Decimal128) return Number(v.toString());
  if (typeof v === 'bigint') return Number(v);
  return v;
}

const CODECS: Record<FieldType, FieldCodec> = {
  text: identity,
  longtext: identity,
  email: { toStorage: (v) => (typeof v === 'string' ? v.trim() : v), toJson: (v) => v },
  phone: identity,
  url: identity,
  boolean: identity,
  enum: identity,
  multienum: identity,
  json: identity,
  number: { toStorage: (v) => v, toJson: toJsonNumber },
  integer: { toStorage: (v) => v, toJson: toJsonNumber },
  money: {
    toStorage: (v) => (typeof v === 'string' || typeof v === 'number' ? Decimal128.fromString(String(v)) : v),
    toJson: (v) => (v instanceof Decimal128 ? v.toString() : typeof v === 'number' ? String(v) : v),
  },
  date: {
    toStorage: (v) => (typeof v === 'string' ? new Date(`${v.slice(0, 10)}T00:00:00.000Z`) : v),
    toJson: (v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v),
  },
  datetime: {
    toStorage: (v) => (typeof v === 'string' ? new Date(v) : v),
    toJson: (v) => (v instanceof Date ? v.toISOString() : v),
  },
  reference: objectIdCodec,
  references: {
    toStorage: (v) => (Array.isArray(v) ? v.map((item) => objectIdCodec.toStorage(item)) : v),
    toJson: (v) => (Array.isArray(v) ? v.map((item) => objectIdCodec.toJson(item)) : v),
  },
  // Only for a computed field without a result type; with one, its result type's codec applies.
  computed: {
    toStorage: (v) => v,
    toJson: (v) => (v instanceof Date ? v.toISOString() : v instanceof Decimal128 ? v.toString() : v),
  },
};

/**
 * A computed field's values are stored like values of its result type (a
 * datetime as a Date, money as Decimal128), so they filter, sort and index
 * exactly like written fields of that type.
 */
function codecOf(field: FieldDefinition): FieldCodec {
  return CODECS[field.type === 'computed' ? (field.resultType ?? 'computed') : field.type];
}

export function fieldToStorage(field: FieldDefinition, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  return codecOf(field).toStorage(value);
}

export function fieldToJson(field: FieldDefinition, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  return codecOf(field).toJson(value);
}

/** Generic conversion for values whose field is unknown (system fields, history). */
export function anyToJson(value: unknown): unknown {
  if (value instanceof ObjectId) return value.toHexString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Decimal128) return value.toString();
  if (Array.isArray(value)) return value.map(anyToJson);
  return value;
}

/**
 * Turns one JSON value from a filter into the BSON value a field of a given
 * type is stored as. Strict: numbers must arrive as JSON numbers (a string
 * "5" on a number field is refused, not guessed), booleans as JSON booleans.
 * The exception is money, which also accepts a decimal string because JSON
 * numbers cannot carry exact decimals ("19.99" stays exact in Decimal128).
 */
import { Decimal128, ObjectId } from 'mongodb';
import { assertUnreachable } from '../shared/errors.ts';
import type { QueryType } from './field-map.ts';

export type Coerced = { ok: true; value: unknown } | { ok: false; message: string };

const ok = (value: unknown): Coerced => ({ ok: true, value });
const fail = (message: string): Coerced => ({ ok: false, message });

const OBJECT_ID = /^[0-9a-fA-F]{24}$/;
const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
const MAX_DECIMAL_DIGITS = 34;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// A time zone is required: a local time without one means a different instant on every server.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function isRealDay(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** `YYYY-MM-DD` → midnight UTC of that day. */
export function parseDateOnly(raw: string): Date | undefined {
  const m = DATE_ONLY.exec(raw);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return isRealDay(year, month, day) ? new Date(Date.UTC(year, month - 1, day)) : undefined;
}

/** ISO 8601 date-time with a zone (`2024-05-01T10:00:00Z`), or a date (midnight UTC). */
export function parseDateTime(raw: string): Date | undefined {
  const dateOnly = parseDateOnly(raw);
  if (dateOnly) return dateOnly;
  const m = DATE_TIME.exec(raw);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  if (!isRealDay(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

function coerceMoney(raw: unknown): Coerced {
  let text: string;
  if (typeof raw === 'number' && Number.isFinite(raw)) text = String(raw);
  else if (typeof raw === 'string' && DECIMAL.test(raw) && raw.replace(/[-.]/g, '').length <= MAX_DECIMAL_DIGITS) text = raw;
  else return fail('must be a number or a decimal string such as "19.99"');
  try {
    return ok(Decimal128.fromString(text));
  } catch {
    return fail('is not a representable decimal');
  }
}

/**
 * Coerces a non-null scalar for a field of `type`. Array types are coerced
 * element by element with `elementType` first; `json` passes JSON scalars through.
 */
export function coerceScalar(type: QueryType, raw: unknown): Coerced {
  switch (type) {
    case 'text':
    case 'longtext':
    case 'email':
    case 'phone':
    case 'url':
    case 'enum':
    case 'multienum':
      return typeof raw === 'string' ? ok(raw) : fail('must be a string');
    case 'number':
      return typeof raw === 'number' && Number.isFinite(raw) ? ok(raw) : fail('must be a number');
    case 'integer':
      return typeof raw === 'number' && Number.isSafeInteger(raw) ? ok(raw) : fail('must be an integer');
    case 'money':
      return coerceMoney(raw);
    case 'boolean':
      return typeof raw === 'boolean' ? ok(raw) : fail('must be true or false');
    case 'date': {
      const d = typeof raw === 'string' ? parseDateOnly(raw) : undefined;
      return d ? ok(d) : fail('must be a date as YYYY-MM-DD');
    }
    case 'datetime': {
      const d = typeof raw === 'string' ? parseDateTime(raw) : undefined;
      return d ? ok(d) : fail('must be an ISO 8601 date-time with a time zone, e.g. 2024-05-01T10:00:00Z');
    }
    case 'objectId':
    case 'reference':
    case 'references':
      return typeof raw === 'string' && OBJECT_ID.test(raw) ? ok(ObjectId.createFromHexString(raw)) : fail('must be an id (24 hex characters)');
    case 'json':
      return typeof raw === 'string' || typeof raw === 'boolean' || (typeof raw === 'number' && Number.isFinite(raw))
        ? ok(raw)
        : fail('must be a string, number or boolean');
    default:
      return assertUnreachable(type);
  }
}

/** The type of one element of an array field (the type itself for scalars). */
export function elementType(type: QueryType): QueryType {
  if (type === 'multienum') return 'enum';
  if (type === 'references') return 'reference';
  return type;
}

/**
 * BSON type identification for values in their in-memory form: what `bson` deserialises
 * with promoteValues (Int32/Double/safe Int64 → number; Decimal128, unsafe Long, ObjectId … as classes).
 */
import type { Decimal128, Long } from 'bson';
import { decFromDoubleExact, parseDec, type Dec } from './decimal.ts';

export type Doc = Record<string, unknown>;

export type BsonTypeName =
  | 'missing' | 'minKey' | 'null' | 'undefined' | 'double' | 'int' | 'long' | 'decimal'
  | 'string' | 'symbol' | 'object' | 'array' | 'binData' | 'objectId' | 'bool' | 'date'
  | 'timestamp' | 'regex' | 'javascript' | 'javascriptWithScope' | 'dbPointer' | 'maxKey';

/** Canonical sort order between types (numbers share one bracket, as do strings and symbols). */
const TYPE_ORDER: Record<BsonTypeName, number> = {
  minKey: 1,
  missing: 2,
  undefined: 2,
  null: 2,
  double: 3,
  int: 3,
  long: 3,
  decimal: 3,
  symbol: 4,
  string: 4,
  object: 5,
  array: 6,
  binData: 7,
  objectId: 8,
  bool: 9,
  date: 10,
  timestamp: 11,
  regex: 12,
  dbPointer: 13,
  javascript: 14,
  javascriptWithScope: 15,
  maxKey: 16,
};

/** BSON type numbers, for `$type: <number>` and `$type` expressions. */
export const TYPE_NUMBERS: Record<string, BsonTypeName> = {
  '1': 'double', '2': 'string', '3': 'object', '4': 'array', '5': 'binData', '6': 'undefined',
  '7': 'objectId', '8': 'bool', '9': 'date', '10': 'null', '11': 'regex', '12': 'dbPointer',
  '13': 'javascript', '14': 'symbol', '15': 'javascriptWithScope', '16': 'int', '17': 'timestamp',
  '18': 'long', '19': 'decimal', '-1': 'minKey', '127': 'maxKey',
};

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function bsontypeOf(v: object): string | undefined {
  const t = (v as { _bsontype?: unknown })._bsontype;
  return typeof t === 'string' ? t : undefined;
}

export function bsonType(v: unknown): BsonTypeName {
  switch (typeof v) {
    case 'undefined':
      return 'missing';
    case 'number':
      return Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX && !Object.is(v, -0) ? 'int' : 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'long';
    case 'object':
      break;
    default:
      return 'javascript';
  }
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  const bt = bsontypeOf(v);
  if (bt === undefined) return ArrayBuffer.isView(v) ? 'binData' : 'object';
  switch (bt) {
    case 'ObjectId': return 'objectId';
    case 'Decimal128': return 'decimal';
    case 'Long': return 'long';
    case 'Int32': return 'int';
    case 'Double': return 'double';
    case 'Binary': return 'binData';
    case 'Timestamp': return 'timestamp';
    case 'BSONRegExp': return 'regex';
    case 'MinKey': return 'minKey';
    case 'MaxKey': return 'maxKey';
    case 'Code': return (v as { scope?: unknown }).scope ? 'javascriptWithScope' : 'javascript';
    case 'BSONSymbol': return 'symbol';
    case 'DBRef': return 'object';
    case 'DBPointer': return 'dbPointer';
    default: return 'object';
  }
}

export function typeOrder(t: BsonTypeName): number {
  return TYPE_ORDER[t];
}

export function isNumericType(t: BsonTypeName): boolean {
  return t === 'int' || t === 'double' || t === 'long' || t === 'decimal';
}

export function isNumeric(v: unknown): boolean {
  return typeof v === 'number' || isNumericType(bsonType(v));
}

const decCache = new WeakMap<object, Dec>();

/** Exact decimal value of any numeric BSON value (number, Long, Decimal128, Int32/Double wrappers). */
export function toDec(v: unknown): Dec {
  if (typeof v === 'number') return decFromDoubleExact(v);
  if (typeof v === 'bigint') return { kind: 'num', coef: v, exp: 0 };
  const o = v as object;
  const cached = decCache.get(o);
  if (cached) return cached;
  let d: Dec;
  switch (bsontypeOf(o)) {
    case 'Decimal128':
      d = parseDec((o as Decimal128).toString());
      break;
    case 'Long':
      d = { kind: 'num', coef: BigInt((o as Long).toString()), exp: 0 };
      break;
    default:
      d = decFromDoubleExact(Number((o as { valueOf(): unknown }).valueOf()));
  }
  decCache.set(o, d);
  return d;
}

/** Approximate JS number of a numeric BSON value. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  switch (bsonType(v)) {
    case 'decimal':
      return Number((v as Decimal128).toString());
    case 'long':
      return (v as Long).toNumber();
    default:
      return Number((v as { valueOf(): unknown }).valueOf());
  }
}

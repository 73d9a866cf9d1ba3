/**
 * Aggregation expression operators that replace mingo's where BSON numeric types matter:
 * comparisons in BSON order, arithmetic that keeps Decimal128/Int64 exact, BSON `$type`
 * names and conversions to and from Decimal128/Int64.
 */
import { Decimal128, ObjectId } from 'bson';
import { evalExpr } from 'mingo/core';
import * as expressionOps from 'mingo/operators/expression';
import type { Options } from 'mingo/types';
import { CommandError } from '../errors.ts';
import { compareValues } from '../bson/compare.ts';
import { decFromDoubleRounded, isZeroDec, parseDec } from '../bson/decimal.ts';
import { arith, decimalFromDec, makeDouble, makeLong, numKind, numType, toNumberLoose } from '../bson/numeric.ts';
import { bsonType, toDec } from '../bson/types.ts';

type ExprOp = (obj: Record<string, unknown>, expr: unknown, options: Options) => unknown;

/** Expression comparison: missing sorts below null (unlike query matching). */
export function compareExprValues(a: unknown, b: unknown): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return compareValues(a, b);
}

function args(obj: Record<string, unknown>, expr: unknown, options: Options, name: string, count?: number): unknown[] {
  const v = evalExpr(obj, expr, options);
  const list = Array.isArray(expr) ? (v as unknown[]) : [v];
  if (count !== undefined && list.length !== count) {
    throw new CommandError(16020, `Expression ${name} takes exactly ${count} arguments. ${list.length} were passed in.`);
  }
  return list;
}

const cmpOp = (name: string, test: (c: number) => boolean): ExprOp => (obj, expr, options) => {
  const [a, b] = args(obj, expr, options, name, 2);
  return test(compareExprValues(a, b));
};

const isNil = (v: unknown): boolean => v === null || v === undefined;
const typeName = (v: unknown): string => bsonType(v);

function numericOrThrow(v: unknown, op: string): void {
  if (numKind(v) === null) throw new CommandError(14, `${op} only supports numeric types, not ${typeName(v)}`);
}

const $add: ExprOp = (obj, expr, options) => {
  const list = args(obj, expr, options, '$add');
  let total: unknown = 0;
  let date: Date | null = null;
  for (const v of list) {
    if (isNil(v)) return null;
    if (v instanceof Date) {
      if (date) throw new CommandError(16612, 'only one date allowed in an $add expression');
      date = v;
      continue;
    }
    if (numKind(v) === null) throw new CommandError(14, `$add only supports numeric or date types, not ${typeName(v)}`);
    total = arith('add', total, v);
  }
  return date ? new Date(date.getTime() + Math.round(toNumberLoose(total))) : total;
};

const $subtract: ExprOp = (obj, expr, options) => {
  const [a, b] = args(obj, expr, options, '$subtract', 2);
  if (isNil(a) || isNil(b)) return null;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (a instanceof Date && numKind(b)) return new Date(a.getTime() - Math.round(toNumberLoose(b)));
  if (numKind(a) === null || numKind(b) === null) {
    throw new CommandError(14, `can't $subtract ${typeName(b)} from ${typeName(a)}`);
  }
  return arith('sub', a, b);
};

const $multiply: ExprOp = (obj, expr, options) => {
  let total: unknown = 1;
  for (const v of args(obj, expr, options, '$multiply')) {
    if (isNil(v)) return null;
    numericOrThrow(v, '$multiply');
    total = arith('mul', total, v);
  }
  return total;
};

const $divide: ExprOp = (obj, expr, options) => {
  const [a, b] = args(obj, expr, options, '$divide', 2);
  if (isNil(a) || isNil(b)) return null;
  if (numKind(a) === null || numKind(b) === null) {
    throw new CommandError(14, `$divide only supports numeric types, not ${typeName(a)} and ${typeName(b)}`);
  }
  const kb = numKind(b);
  if ((kb === 'decimal' ? isZeroDec(toDec(b)) : toNumberLoose(b) === 0)) throw new CommandError(2, "can't $divide by zero");
  return arith('div', a, b);
};

const $abs: ExprOp = (obj, expr, options) => {
  const [v] = args(obj, expr, options, '$abs', 1);
  if (isNil(v)) return null;
  numericOrThrow(v, '$abs');
  return compareValues(v, 0) < 0 ? arith('sub', 0, v) : v;
};

function toDecimal(v: unknown): unknown {
  if (isNil(v)) return null;
  switch (bsonType(v)) {
    case 'decimal': return v;
    case 'int': case 'long': return decimalFromDec(toDec(v));
    case 'double': return decimalFromDec(decFromDoubleRounded(toNumberLoose(v)));
    case 'bool': return Decimal128.fromString(v ? '1' : '0');
    case 'date': return Decimal128.fromString(String((v as Date).getTime()));
    case 'string':
      try {
        return decimalFromDec(parseDec(v as string));
      } catch {
        throw new CommandError(241, `Failed to parse number '${String(v)}' in $convert with no onError value`);
      }
    default:
      throw new CommandError(241, `Unsupported conversion from ${typeName(v)} to decimal in $convert with no onError value`);
  }
}

function toInteger(v: unknown, target: 'int' | 'long'): unknown {
  if (isNil(v)) return null;
  let whole: bigint;
  switch (bsonType(v)) {
    case 'int': case 'long':
      whole = BigInt(String(v));
      break;
    case 'double': {
      const x = toNumberLoose(v);
      if (!Number.isFinite(x)) throw new CommandError(241, 'Attempt to convert NaN or infinity value to integer in $convert with no onError value');
      whole = BigInt(Math.trunc(x));
      break;
    }
    case 'decimal': {
      const d = toDec(v);
      if (d.kind !== 'num') throw new CommandError(241, 'Attempt to convert NaN or infinity value to integer in $convert with no onError value');
      whole = d.exp >= 0 ? d.coef * 10n ** BigInt(d.exp) : d.coef / 10n ** BigInt(-d.exp);
      break;
    }
    case 'bool':
      whole = v ? 1n : 0n;
      break;
    case 'date':
      if (target === 'int') throw new CommandError(241, 'Unsupported conversion from date to int in $convert with no onError value');
      whole = BigInt((v as Date).getTime());
      break;
    case 'string':
      if (!/^\s*[+-]?\d+\s*$/.test(v as string)) throw new CommandError(241, `Failed to parse number '${String(v)}' in $convert with no onError value`);
      whole = BigInt((v as string).trim());
      break;
    default:
      throw new CommandError(241, `Unsupported conversion from ${typeName(v)} to ${target} in $convert with no onError value`);
  }
  const limit = target === 'int' ? 2n ** 31n : 2n ** 63n;
  if (whole < -limit || whole >= limit) throw new CommandError(241, 'Conversion would overflow target type in $convert with no onError value');
  return target === 'int' ? Number(whole) : makeLong(whole);
}

function toDouble(v: unknown): unknown {
  if (isNil(v)) return null;
  switch (bsonType(v)) {
    case 'int': case 'double': case 'long': case 'decimal': return makeDouble(toNumberLoose(v));
    case 'bool': return makeDouble(v ? 1 : 0);
    case 'date': return makeDouble((v as Date).getTime());
    case 'string': {
      const n = Number(v);
      if ((v as string).trim() === '' || Number.isNaN(n) && !/^\s*nan\s*$/i.test(v as string)) {
        throw new CommandError(241, `Failed to parse number '${String(v)}' in $convert with no onError value`);
      }
      return makeDouble(n);
    }
    default:
      throw new CommandError(241, `Unsupported conversion from ${typeName(v)} to double in $convert with no onError value`);
  }
}

function toStringValue(v: unknown): unknown {
  if (isNil(v)) return null;
  switch (bsonType(v)) {
    case 'string': return v;
    case 'objectId': return (v as ObjectId).toHexString();
    case 'date': return (v as Date).toISOString();
    case 'decimal': case 'long': return String(v);
    case 'int': case 'double': return String(v);
    case 'bool': return v ? 'true' : 'false';
    default:
      throw new CommandError(241, `Unsupported conversion from ${typeName(v)} to string in $convert with no onError value`);
  }
}

const unary = (name: string, fn: (v: unknown) => unknown): ExprOp => (obj, expr, options) => {
  const [v] = args(obj, expr, options, name, 1);
  return fn(v);
};

const MINGO_ARITHMETIC = expressionOps as unknown as Record<string, ExprOp>;

function placeDefault(name: '$round' | '$trunc'): ExprOp {
  return (obj, expr, options) => MINGO_ARITHMETIC[name](obj, Array.isArray(expr) ? expr : [expr, 0], options);
}

const disabled = (name: string): ExprOp => () => {
  throw new CommandError(31264, `${name} is not allowed: server-side JavaScript is disabled`);
};

export const EXPRESSION_OVERRIDES: Record<string, ExprOp> = {
  $eq: cmpOp('$eq', (c) => c === 0),
  $ne: cmpOp('$ne', (c) => c !== 0),
  $gt: cmpOp('$gt', (c) => c > 0),
  $gte: cmpOp('$gte', (c) => c >= 0),
  $lt: cmpOp('$lt', (c) => c < 0),
  $lte: cmpOp('$lte', (c) => c <= 0),
  $cmp: (obj, expr, options) => {
    const [a, b] = args(obj, expr, options, '$cmp', 2);
    return Math.sign(compareExprValues(a, b));
  },
  $add,
  $subtract,
  $multiply,
  $divide,
  $abs,
  $type: unary('$type', typeName),
  $isNumber: unary('$isNumber', (v) => numType(v) !== null),
  $toDecimal: unary('$toDecimal', toDecimal),
  $toLong: unary('$toLong', (v) => toInteger(v, 'long')),
  $toInt: unary('$toInt', (v) => toInteger(v, 'int')),
  $toDouble: unary('$toDouble', toDouble),
  $toString: unary('$toString', toStringValue),
  $toObjectId: unary('$toObjectId', (v) => {
    if (isNil(v)) return null;
    if (bsonType(v) === 'objectId') return v;
    if (typeof v === 'string' && ObjectId.isValid(v) && v.length === 24) return new ObjectId(v);
    throw new CommandError(241, `Failed to parse objectId '${String(v)}' in $convert with no onError value`);
  }),
  // User input can never carry a JS function (BSON code arrives as bson.Code), so a function
  // body here comes from mingo itself ($setWindowFields builds one); anything else is refused.
  $function: (obj, expr, options) => {
    const spec = evalExpr(obj, expr, options) as { body?: unknown; args?: unknown };
    if (typeof spec?.body !== 'function') return disabled('$function')(obj, expr, options);
    return (spec.body as (...a: unknown[]) => unknown)(...(Array.isArray(spec.args) ? spec.args : []));
  },
  // MongoDB also accepts a single number (place 0).
  $round: placeDefault('$round'),
  $trunc: placeDefault('$trunc'),
};


/**
 * `$convert` built on the engine's own `$to*` operators (so its results carry MongoDB's
 * types), with `onError`/`onNull`, type names or numbers as `to`, and failed conversions
 * reported as ConversionFailure (241); plus small string/size operators mingo lacks or
 * words differently (`$concat`, `$split`, `$binarySize`, `$bsonSize`).
 */
import { Binary, calculateObjectSize } from 'bson';
import { evalExpr } from 'mingo/core';
import * as expressionOps from 'mingo/operators/expression';
import type { Options } from 'mingo/types';
import { CommandError } from '../errors.ts';
import { numType, toNumberLoose } from '../bson/numeric.ts';
import { bsonType, isPlainObject } from '../bson/types.ts';
import { DATE_OPERATORS } from './dates/ops.ts';
import { EXPRESSION_OVERRIDES } from './expr-ops.ts';

type Obj = Record<string, unknown>;
type ExprOp = (obj: Obj, expr: unknown, options: Options) => unknown;

const MINGO = expressionOps as unknown as Record<string, ExprOp>;
const TYPE_CODES: Record<number, string> = { 1: 'double', 2: 'string', 7: 'objectId', 8: 'bool', 9: 'date', 16: 'int', 18: 'long', 19: 'decimal' };
const CONVERTERS: Record<string, () => ExprOp> = {
  double: () => EXPRESSION_OVERRIDES.$toDouble,
  string: () => EXPRESSION_OVERRIDES.$toString,
  objectId: () => EXPRESSION_OVERRIDES.$toObjectId,
  bool: () => MINGO.$toBool,
  date: () => DATE_OPERATORS.$toDate,
  int: () => EXPRESSION_OVERRIDES.$toInt,
  long: () => EXPRESSION_OVERRIDES.$toLong,
  decimal: () => EXPRESSION_OVERRIDES.$toDecimal,
};

function targetName(to: unknown): string {
  if (typeof to === 'string') {
    if (to in CONVERTERS) return to;
    throw new CommandError(2, `Unknown type name: ${to}`);
  }
  const code = numType(to) === null ? NaN : toNumberLoose(to);
  const name = TYPE_CODES[code];
  if (name) return name;
  if (Number.isInteger(code)) throw new CommandError(2, `Unsupported conversion to type code ${code} in $convert`);
  throw new CommandError(14, `$convert's 'to' argument must be a string or number, but is ${bsonType(to)}`);
}

const $convert: ExprOp = (obj, expr, options) => {
  if (!isPlainObject(expr)) throw new CommandError(34420, '$convert expects an object of named arguments but found: ' + bsonType(expr));
  for (const k of Object.keys(expr)) {
    if (!['input', 'to', 'onError', 'onNull'].includes(k)) throw new CommandError(34418, `$convert found an unknown argument: ${k}`);
  }
  if (!('input' in expr)) throw new CommandError(34422, "Missing 'input' parameter to $convert");
  if (!('to' in expr)) throw new CommandError(34423, "Missing 'to' parameter to $convert");
  const input = evalExpr(obj, expr.input, options);
  const to = evalExpr(obj, expr.to, options);
  if (input === null || input === undefined) return 'onNull' in expr ? evalExpr(obj, expr.onNull, options) : null;
  if (to === null || to === undefined) return null;
  const name = targetName(to);
  try {
    const result = CONVERTERS[name]()(obj, { $literal: input }, options);
    return result;
  } catch (error) {
    if ('onError' in expr) return evalExpr(obj, expr.onError, options);
    if (error instanceof CommandError) throw error;
    throw new CommandError(241, `Unsupported conversion from ${bsonType(input)} to ${name} in $convert with no onError value`);
  }
};

const $concat: ExprOp = (obj, expr, options) => {
  const parts = (Array.isArray(expr) ? expr : [expr]).map((e) => evalExpr(obj, e, options));
  let out = '';
  for (const p of parts) {
    if (p === null || p === undefined) return null;
    if (typeof p !== 'string') throw new CommandError(16702, `$concat only supports strings, not ${bsonType(p)}`);
    out += p;
  }
  return out;
};

const $split: ExprOp = (obj, expr, options) => {
  if (!Array.isArray(expr) || expr.length !== 2) throw new CommandError(16020, `Expression $split takes exactly 2 arguments. ${Array.isArray(expr) ? expr.length : 1} were passed in.`);
  const [s, sep] = expr.map((e) => evalExpr(obj, e, options));
  if (s === null || s === undefined) return null;
  if (typeof s !== 'string') throw new CommandError(40085, `$split requires an expression that evaluates to a string as a first argument, found: ${bsonType(s)}`);
  if (typeof sep !== 'string') throw new CommandError(40086, `$split requires an expression that evaluates to a string as a second argument, found: ${bsonType(sep)}`);
  if (sep === '') throw new CommandError(40087, '$split requires a non-empty separator');
  return s.split(sep);
};

const single = (expr: unknown): unknown => (Array.isArray(expr) && expr.length === 1 ? expr[0] : expr);

const $binarySize: ExprOp = (obj, expr, options) => {
  const v = evalExpr(obj, single(expr), options);
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (v instanceof Binary) return v.length();
  throw new CommandError(51276, `$binarySize requires a string or BinData argument, found: ${bsonType(v)}`);
};

const $bsonSize: ExprOp = (obj, expr, options) => {
  const v = evalExpr(obj, single(expr), options);
  if (v === null || v === undefined) return null;
  if (!isPlainObject(v)) throw new CommandError(31393, `$bsonSize requires a document input, found: ${bsonType(v)}`);
  return calculateObjectSize(v);
};

export const CONVERSION_OPERATORS: Record<string, ExprOp> = { $convert, $concat, $split, $binarySize, $bsonSize };

/**
 * Expression operators whose mingo versions differ from MongoDB 7.0 in ways applications
 * notice: `$switch` without a match and default (40066), `$indexOfArray` with a start
 * index, `$arrayToObject` argument forms, `$indexOfCP` (absent from mingo), and a `$project`
 * stage that omits fields whose expression evaluates to missing.
 */
import { evalExpr } from 'mingo/core';
import * as pipelineOps from 'mingo/operators/pipeline';
import type { Iterator } from 'mingo/lazy';
import type { Options } from 'mingo/types';
import { CommandError } from '../errors.ts';
import { valuesEqual } from '../bson/compare.ts';
import { numType, toNumberLoose } from '../bson/numeric.ts';
import { bsonType, isPlainObject } from '../bson/types.ts';

type Obj = Record<string, unknown>;
type ExprOp = (obj: Obj, expr: unknown, options: Options) => unknown;

/** The single argument of an operator written `{$op: x}` or `{$op: [x]}`. */
const single = (expr: unknown): unknown => (Array.isArray(expr) && expr.length === 1 ? expr[0] : expr);

function truthy(v: unknown): boolean {
  return !(v === false || v === null || v === undefined || v === 0 || (numType(v) !== null && toNumberLoose(v) === 0));
}

const $switch: ExprOp = (obj, expr, options) => {
  if (!isPlainObject(expr)) throw new CommandError(40060, '$switch requires an object as an argument');
  const branches = expr.branches;
  if (!Array.isArray(branches)) throw new CommandError(40061, '$switch expected an array for \'branches\'');
  for (const b of branches) {
    if (!isPlainObject(b) || !('case' in b) || !('then' in b)) throw new CommandError(40064, '$switch requires each branch have a \'case\' and a \'then\' expression');
    if (truthy(evalExpr(obj, b.case, options))) return evalExpr(obj, b.then, options);
  }
  if (!('default' in expr)) throw new CommandError(40066, '$switch could not find a matching branch for an input, and no default was specified.');
  return evalExpr(obj, expr.default, options);
};

function indexArg(v: unknown, op: string, which: string): number {
  const n = numType(v) === null ? NaN : toNumberLoose(v);
  if (!Number.isInteger(n)) throw new CommandError(40096, `${op} requires an integral ${which}, found a value of type: ${bsonType(v)}`);
  if (n < 0) throw new CommandError(40097, `${op} requires a nonnegative ${which}, found: ${n}`);
  return n;
}

const $indexOfArray: ExprOp = (obj, expr, options) => {
  if (!Array.isArray(expr) || expr.length < 2 || expr.length > 4) throw new CommandError(28667, 'Expression $indexOfArray takes at least 2 arguments, and at most 4');
  const [arr, search, start, end] = expr.map((e) => evalExpr(obj, e, options));
  if (arr === null || arr === undefined) return null;
  if (!Array.isArray(arr)) throw new CommandError(40090, `$indexOfArray requires an array as a first argument, found: ${bsonType(arr)}`);
  const from = start === undefined ? 0 : indexArg(start, '$indexOfArray', 'starting index');
  const to = end === undefined ? arr.length : Math.min(arr.length, indexArg(end, '$indexOfArray', 'ending index'));
  for (let i = from; i < to; i++) if (valuesEqual(arr[i], search)) return i;
  return -1;
};

const $indexOfCP: ExprOp = (obj, expr, options) => {
  if (!Array.isArray(expr) || expr.length < 2 || expr.length > 4) throw new CommandError(28667, 'Expression $indexOfCP takes at least 2 arguments, and at most 4');
  const [s, sub, start, end] = expr.map((e) => evalExpr(obj, e, options));
  if (s === null || s === undefined) return null;
  if (typeof s !== 'string') throw new CommandError(40093, `$indexOfCP requires a string as the first argument, found: ${bsonType(s)}`);
  if (typeof sub !== 'string') throw new CommandError(40094, `$indexOfCP requires a string as the second argument, found: ${bsonType(sub)}`);
  const cps = Array.from(s);
  const needle = Array.from(sub);
  const from = start === undefined ? 0 : indexArg(start, '$indexOfCP', 'starting index');
  const to = end === undefined ? cps.length : Math.min(cps.length, indexArg(end, '$indexOfCP', 'ending index'));
  for (let i = from; i + needle.length <= to; i++) {
    if (needle.every((c, j) => cps[i + j] === c)) return i;
  }
  return needle.length === 0 && from <= to ? from : -1;
};

const $arrayToObject: ExprOp = (obj, expr, options) => {
  const arr = evalExpr(obj, single(expr), options);
  if (arr === null || arr === undefined) return null;
  if (!Array.isArray(arr)) throw new CommandError(40386, `$arrayToObject requires an array input, found: ${bsonType(arr)}`);
  const out: Obj = {};
  const isPairs = Array.isArray(arr[0]);
  for (const item of arr) {
    let k: unknown;
    let v: unknown;
    if (isPairs && Array.isArray(item) && item.length === 2) [k, v] = item;
    else if (!isPairs && isPlainObject(item) && Object.keys(item).length === 2 && 'k' in item && 'v' in item) ({ k, v } = item);
    else throw new CommandError(40392, '$arrayToObject requires a consistent input format. Elements must all be arrays of two elements or all be objects with the fields k and v');
    if (typeof k !== 'string') throw new CommandError(40395, `$arrayToObject requires an array of key-value pairs, where the key must be of type string. Found key type: ${bsonType(k)}`);
    if (k.includes('\0')) throw new CommandError(4940400, "Key field cannot contain an embedded null byte");
    out[k] = v;
  }
  return out;
};

/** `$in` with BSON equality (5, 5.0, Long 5 and Decimal128 "5" are equal). */
const $in: ExprOp = (obj, expr, options) => {
  if (!Array.isArray(expr) || expr.length !== 2) throw new CommandError(16020, `Expression $in takes exactly 2 arguments. ${Array.isArray(expr) ? expr.length : 1} were passed in.`);
  const [value, arr] = expr.map((e) => evalExpr(obj, e, options));
  if (!Array.isArray(arr)) throw new CommandError(40081, `$in requires an array as a second argument, found: ${arr === undefined ? 'missing' : bsonType(arr)}`);
  return arr.some((el) => valuesEqual(el, value === undefined ? null : value) || (value === undefined && el === undefined));
};

/** `$toLower`/`$toUpper`: null and missing give "", as in MongoDB. */
function caseOp(upper: boolean): ExprOp {
  return (obj, expr, options) => {
    const v = evalExpr(obj, single(expr), options);
    if (v === null || v === undefined) return '';
    const s = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : v instanceof Date ? v.toISOString() : String(v);
    return upper ? s.toUpperCase() : s.toLowerCase();
  };
}

const $size: ExprOp = (obj, expr, options) => {
  const v = evalExpr(obj, single(expr), options);
  if (!Array.isArray(v)) throw new CommandError(17124, `The argument to $size must be an array. Type of argument: ${v === undefined ? 'missing' : bsonType(v)}`);
  return v.length;
};

export const EXPRESSION_FIXES: Record<string, ExprOp> = {
  $size,
  $switch,
  $indexOfArray,
  $indexOfCP,
  $arrayToObject,
  $in,
  $toLower: caseOp(false),
  $toUpper: caseOp(true),
};

/** Removes fields whose value is missing from documents (not from arrays, where missing is null). */
function dropMissing(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const el = value[i];
      if (el === undefined) value[i] = null;
      else if (isPlainObject(el) || Array.isArray(el)) dropMissing(el);
    }
    return value;
  }
  if (!isPlainObject(value)) return value;
  for (const k of Object.keys(value)) {
    const v = value[k];
    if (v === undefined) delete value[k];
    else if (isPlainObject(v) || Array.isArray(v)) dropMissing(v);
  }
  return value;
}

type Stage = (coll: Iterator, expr: unknown, options: Options) => Iterator;
const mingoProject = (pipelineOps as unknown as Record<string, Stage>).$project;

/** mingo's `$project`, without the keys of fields that evaluated to missing. */
export const $project: Stage = (coll, expr, options) => mingoProject(coll, expr, options).map((doc) => dropMissing(doc));

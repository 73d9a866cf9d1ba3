/**
 * Group accumulators that replace mingo's where BSON semantics matter: $sum/$avg keep
 * Decimal128 and Int64 exact, $min/$max use BSON order, $push/$addToSet skip missing values.
 * $sum/$avg/$min/$max are also registered as expression operators (single operand: an array
 * is traversed; several operands: each is one value), as in MongoDB.
 */
import { evalExpr } from 'mingo/core';
import type { Options } from 'mingo/types';
import { resolve } from 'mingo/util';
import { CommandError } from '../errors.ts';
import { compareValues, keyOf } from '../bson/compare.ts';
import { addDec, divDec, decFromDoubleRounded, type Dec } from '../bson/decimal.ts';
import { arith, decimalFromDec, makeDouble, numKind, sumValues, toNumberLoose } from '../bson/numeric.ts';
import { isNumeric, toDec } from '../bson/types.ts';
import { ownField } from './field-path.ts';
import { withRoot } from './mingo-options.ts';

type Doc = Record<string, unknown>;
type Acc = (coll: Doc[], expr: unknown, options: Options) => unknown;
type ExprOp = (obj: Doc, expr: unknown, options: Options) => unknown;

/** Evaluates expr per document; a null expr (mingo's expression-context call) means the items themselves. */
function values(coll: Doc[], expr: unknown, options: Options): unknown[] {
  if (expr === null || expr === undefined) return coll;
  const out: unknown[] = new Array(coll.length);
  // '$field' / '$a.b' (the common case) is read directly instead of through a full evaluation.
  if (typeof expr === 'string' && expr.charCodeAt(0) === 36 && expr.charCodeAt(1) !== 36) {
    const path = expr.slice(1);
    if (!path.includes('.')) for (let i = 0; i < coll.length; i++) out[i] = ownField(coll[i], path);
    else for (let i = 0; i < coll.length; i++) out[i] = resolve(coll[i], path);
    return out;
  }
  for (let i = 0; i < coll.length; i++) out[i] = evalExpr(coll[i], expr, withRoot(options, coll[i]));
  return out;
}

function avgOf(vals: unknown[]): unknown {
  const nums = vals.filter((v) => numKind(v) !== null);
  if (nums.length === 0) return null;
  if (nums.some((v) => numKind(v) === 'decimal')) {
    let total: Dec = { kind: 'num', coef: 0n, exp: 0 };
    for (const v of nums) total = addDec(total, numKind(v) === 'number' ? decFromDoubleRounded(v as number) : toDec(v));
    return decimalFromDec(divDec(total, { kind: 'num', coef: BigInt(nums.length), exp: 0 }));
  }
  let total = 0;
  for (const v of nums) total += toNumberLoose(v);
  return makeDouble(total / nums.length);
}

const extremeOf = (sign: 1 | -1) => (vals: unknown[]): unknown => {
  let best: unknown = undefined;
  for (const v of vals) {
    if (v === null || v === undefined) continue;
    if (best === undefined) best = v;
    else if (typeof v === 'number' && typeof best === 'number' && v === v && best === best) {
      if ((v - best) * sign > 0) best = v;
    } else if (v instanceof Date && best instanceof Date) {
      if ((v.getTime() - best.getTime()) * sign > 0) best = v;
    } else if (compareValues(v, best) * sign > 0) best = v;
  }
  return best === undefined ? null : best;
};

const CORES: Record<'$sum' | '$avg' | '$min' | '$max', (vals: unknown[]) => unknown> = {
  $sum: sumValues,
  $avg: avgOf,
  $min: extremeOf(-1),
  $max: extremeOf(1),
};

function asAccumulator(core: (vals: unknown[]) => unknown): Acc {
  return (coll, expr, options) => core(values(coll, expr, options));
}

/** mingo tries expression operators first, also inside $group (obj is then the group's documents). */
function asExpression(core: (vals: unknown[]) => unknown, acc: Acc): ExprOp {
  return (obj, expr, options) => {
    if (Array.isArray(obj)) return acc(obj as Doc[], expr, options);
    const v = evalExpr(obj, expr, options);
    const operands = Array.isArray(expr) ? (v as unknown[]) : Array.isArray(v) ? v : [v];
    return core(operands);
  };
}

const $push: Acc = (coll, expr, options) => values(coll, expr, options).filter((v) => v !== undefined);

const $addToSet: Acc = (coll, expr, options) => {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const v of values(coll, expr, options)) {
    if (v === undefined) continue;
    const k = keyOf(v);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(v);
    }
  }
  return out;
};

export const ACCUMULATOR_OVERRIDES: Record<string, Acc> = {
  $sum: (coll, expr, options) => (isNumeric(expr) ? arith('mul', coll.length, expr) : CORES.$sum(values(coll, expr, options))),
  $avg: asAccumulator(CORES.$avg),
  $min: asAccumulator(CORES.$min),
  $max: asAccumulator(CORES.$max),
  $push,
  $addToSet,
  $accumulator: () => {
    throw new CommandError(31264, '$accumulator is not allowed: server-side JavaScript is disabled');
  },
};

export const ACCUMULATOR_EXPRESSIONS: Record<string, ExprOp> = {
  $sum: asExpression(CORES.$sum, ACCUMULATOR_OVERRIDES.$sum),
  $avg: asExpression(CORES.$avg, ACCUMULATOR_OVERRIDES.$avg),
  $min: asExpression(CORES.$min, ACCUMULATOR_OVERRIDES.$min),
  $max: asExpression(CORES.$max, ACCUMULATOR_OVERRIDES.$max),
};

/**
 * Group accumulators whose mingo versions differ from MongoDB 7.0: `$top`/`$bottom` yield
 * one value (mingo: a one-element array) and `$mergeObjects` merges the evaluated
 * expression per document (mingo: the whole documents).
 */
import { evalExpr } from 'mingo/core';
import * as accumulatorOps from 'mingo/operators/accumulator';
import type { Options } from 'mingo/types';
import { CommandError } from '../errors.ts';
import { bsonType, isPlainObject, type Doc } from '../bson/types.ts';
import { withRoot } from './mingo-options.ts';

type Acc = (coll: Doc[], expr: unknown, options: Options) => unknown;
const MINGO = accumulatorOps as unknown as Record<string, Acc>;

function single(name: '$topN' | '$bottomN'): Acc {
  return (coll, expr, options) => {
    const spec = isPlainObject(expr) ? expr : {};
    const result = MINGO[name](coll, { ...spec, n: 1 }, options);
    return Array.isArray(result) ? (result.length ? result[0] : null) : result;
  };
}

const $mergeObjects: Acc = (coll, expr, options) => {
  const out: Doc = {};
  for (const doc of coll) {
    const v = evalExpr(doc, expr, withRoot(options, doc));
    if (v === null || v === undefined) continue;
    if (!isPlainObject(v)) throw new CommandError(40400, `$mergeObjects requires object inputs, but input ${JSON.stringify(v)} is of type ${bsonType(v)}`);
    for (const [k, val] of Object.entries(v)) if (val !== undefined) out[k] = val;
  }
  return out;
};

export const ACCUMULATOR_FIXES: Record<string, Acc> = { $top: single('$topN'), $bottom: single('$bottomN'), $mergeObjects };

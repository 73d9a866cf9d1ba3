/**
 * Pipeline stages that replace mingo's: $group groups by MongoDB value equality (5, 5.0,
 * Long(5) and Decimal128("5.0") are one group) and $count emits nothing for empty input.
 */
import { evalExpr, OpType } from 'mingo/core';
import { Lazy, type Iterator } from 'mingo/lazy';
import type { Options } from 'mingo/types';
import { Query } from 'mingo/query';
import { resolve } from 'mingo/util';
import { CommandError } from '../errors.ts';
import { compareValues, keyOf, sameBracket } from '../bson/compare.ts';
import { isPlainObject, type Doc } from '../bson/types.ts';
import { ownField } from './field-path.ts';
import { checkFilter, prepareFilter } from './filter-prep.ts';
import { withRoot } from './mingo-options.ts';

type Accumulator = (coll: Doc[], expr: unknown, options: Options) => unknown;

/** Evaluates a group key quickly for the common `'$field'` form. */
function keyEvaluator(expr: unknown, options: Options): (doc: Doc) => unknown {
  if (typeof expr === 'string' && expr.startsWith('$') && !expr.startsWith('$$')) {
    const path = expr.slice(1);
    if (!path.includes('.')) return (doc) => ownField(doc, path);
    return (doc) => resolve(doc, path);
  }
  if (!isPlainObject(expr) && !Array.isArray(expr) && !(typeof expr === 'string' && expr.startsWith('$'))) return () => expr;
  return (doc) => evalExpr(doc, expr, withRoot(options, doc));
}

export const $group = (coll: Iterator, spec: unknown, options: Options): Iterator => {
  if (!isPlainObject(spec)) throw new CommandError(15947, 'a group\'s fields must be specified in an object');
  if (!('_id' in spec)) throw new CommandError(15955, 'a group specification must include an _id');
  const fields: Array<[string, Accumulator, unknown]> = [];
  for (const [name, acc] of Object.entries(spec)) {
    if (name === '_id') continue;
    if (name.includes('.')) throw new CommandError(40235, `The field name '${name}' cannot contain '.'`);
    if (!isPlainObject(acc) || Object.keys(acc).length !== 1) throw new CommandError(40234, `The field '${name}' must be an accumulator object`);
    const [op] = Object.keys(acc);
    const fn = options.context.getOperator(OpType.ACCUMULATOR, op) as Accumulator | null;
    if (!fn) throw new CommandError(15952, `unknown group operator '${op}'`);
    fields.push([name, fn, acc[op]]);
  }
  const keyOfDoc = keyEvaluator(spec._id, options);
  return coll.transform((items: Doc[]) => {
    // String keys group by the string itself; every other value by its canonical key.
    const byString = new Map<string, { id: unknown; docs: Doc[] }>();
    const byKey = new Map<string, { id: unknown; docs: Doc[] }>();
    const order: Array<{ id: unknown; docs: Doc[] }> = [];
    for (const doc of items) {
      const raw = keyOfDoc(doc);
      const id = raw === undefined ? null : raw;
      const map = typeof id === 'string' ? byString : byKey;
      const k = typeof id === 'string' ? id : keyOf(id);
      const g = map.get(k);
      if (g) g.docs.push(doc);
      else {
        const created = { id, docs: [doc] };
        map.set(k, created);
        order.push(created);
      }
    }
    const out: Doc[] = [];
    for (const g of order) {
      const row: Doc = { _id: g.id };
      for (const [name, fn, arg] of fields) row[name] = fn(g.docs, arg, options);
      out.push(row);
    }
    return Lazy(out);
  });
};

export const $count = (coll: Iterator, name: unknown): Iterator => {
  if (typeof name !== 'string' || name === '') throw new CommandError(40156, 'the count field must be a non-empty string');
  if (name.startsWith('$')) throw new CommandError(40158, 'the count field cannot be a $-prefixed path');
  if (name.includes('.')) throw new CommandError(40160, "the count field cannot contain '.'");
  return coll.transform((items: unknown[]) => Lazy(items.length ? [{ [name]: items.length }] : []));
};

/** $bucket: documents go to the bucket whose [lower, upper) range holds the groupBy value. */
export const $bucket = (coll: Iterator, spec: unknown, options: Options): Iterator => {
  if (!isPlainObject(spec)) throw new CommandError(40201, 'Argument to $bucket stage must be an object');
  const { groupBy, boundaries, output } = spec;
  const hasDefault = 'default' in spec;
  if (!(typeof groupBy === 'string' && groupBy.startsWith('$')) && !isPlainObject(groupBy)) {
    throw new CommandError(40202, "The $bucket 'groupBy' field must be defined as a $-prefixed path or an expression");
  }
  if (!Array.isArray(boundaries) || boundaries.length < 2) throw new CommandError(40192, "The $bucket 'boundaries' field must be an array with at least two values");
  for (let i = 1; i < boundaries.length; i++) {
    if (!sameBracket(boundaries[i - 1], boundaries[i])) throw new CommandError(40193, "All values in the 'boundaries' option to $bucket must have the same type");
    if (compareValues(boundaries[i - 1], boundaries[i]) >= 0) throw new CommandError(40194, "The 'boundaries' option to $bucket must be sorted in ascending order");
  }
  const outputSpec = output === undefined ? { count: { $sum: 1 } } : output;
  if (!isPlainObject(outputSpec)) throw new CommandError(40196, "The $bucket 'output' field must be an object");
  // Validates the accumulators once, before any document is read.
  $group(Lazy([]), { _id: null, ...outputSpec }, options);
  const keyOfDoc = keyEvaluator(groupBy, options);
  const lower = boundaries[0];
  const upper = boundaries[boundaries.length - 1];
  return coll.transform((items: Doc[]) => {
    const buckets: Doc[][] = boundaries.slice(0, -1).map(() => []);
    const others: Doc[] = [];
    for (const doc of items) {
      const v = keyOfDoc(doc) ?? null;
      if (!sameBracket(v, lower) || compareValues(v, lower) < 0 || compareValues(v, upper) >= 0) {
        if (!hasDefault) throw new CommandError(40066, '$switch could not find a matching branch for an input, and no default was specified.');
        others.push(doc);
        continue;
      }
      let i = 0;
      while (compareValues(v, boundaries[i + 1]) >= 0) i++;
      buckets[i].push(doc);
    }
    const rows: Array<[unknown, Doc[]]> = buckets.map((docs, i) => [boundaries[i], docs]);
    if (others.length) rows.push([spec.default, others]);
    const out: Doc[] = [];
    for (const [id, docs] of rows) {
      if (docs.length === 0) continue;
      const [row] = $group(Lazy(docs), { _id: null, ...outputSpec }, options).collect<Doc>();
      out.push({ ...row, _id: id });
    }
    return Lazy(out.map(({ _id, ...rest }) => ({ _id, ...rest })));
  });
};

/** $match with the engine's filter checks and regex handling, evaluated in the stage's scope ($$vars). */
export const $match = (coll: Iterator, spec: unknown, options: Options): Iterator => {
  checkFilter(spec, '$match');
  const q = new Query(prepareFilter(spec as Doc), options);
  return coll.filter((doc: Doc) => q.test(doc));
};

/**
 * The mingo Context the engine evaluates with: every mingo operator, with the BSON-aware
 * overrides from this folder registered in their place, and server-side JavaScript off.
 */
import { Context, OpType, ProcessingMode } from 'mingo/core';
import { Lazy } from 'mingo/lazy';
import type { Iterator } from 'mingo/lazy';
import * as accumulatorOps from 'mingo/operators/accumulator';
import * as expressionOps from 'mingo/operators/expression';
import * as pipelineOps from 'mingo/operators/pipeline';
import * as projectionOps from 'mingo/operators/projection';
import * as queryOps from 'mingo/operators/query';
import * as windowOps from 'mingo/operators/window';
import type { CollectionResolver, Options } from 'mingo/types';
import { ACCUMULATOR_EXPRESSIONS, ACCUMULATOR_OVERRIDES } from './accumulators.ts';
import { EXPRESSION_OVERRIDES } from './expr-ops.ts';
import { DATE_OPERATORS } from './dates/ops.ts';
import { $project, EXPRESSION_FIXES } from './expr-fixes.ts';
import { ACCUMULATOR_FIXES } from './accumulator-fixes.ts';
import { CONVERSION_OPERATORS } from './convert.ts';
import { $densify, $lookup, $replaceRoot, $replaceWith, $sample } from './stage-fixes.ts';
import { queryOverrides } from './query-ops.ts';
import { prepareOptions } from './mingo-options.ts';
import { parseSort, sortDocs } from './sort.ts';
import { $bucket, $count, $group, $match } from './stages.ts';

type Doc = Record<string, unknown>;

const $sort = (coll: Iterator, spec: unknown): Iterator => {
  const parsed = parseSort(spec);
  if (!parsed) throw new Error('$sort stage must have at least one sort key');
  return coll.transform((items: Doc[]) => Lazy(sortDocs(items, parsed)));
};

/** Only the `$name` exports of a mingo operator module (drops interop keys such as `default`). */
function ops(mod: object, overrides: object = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(mod)) if (k.startsWith('$') && typeof v === 'function') out[k] = v;
  return Object.assign(out, overrides);
}

function buildContext(): Context {
  const elemMatch = queryOps.$elemMatch as unknown as Parameters<typeof queryOverrides>[0];
  const pipeline = ops(pipelineOps, { $sort, $group, $count, $bucket, $match, $project, $lookup, $sample, $replaceRoot, $replaceWith, $densify });
  // $out and $merge write through the engine (see agg/), never into a resolver array.
  delete pipeline.$out;
  delete pipeline.$merge;
  const all = {
    query: ops(queryOps, queryOverrides(elemMatch)),
    expression: ops(expressionOps, { ...EXPRESSION_OVERRIDES, ...DATE_OPERATORS, ...EXPRESSION_FIXES, ...CONVERSION_OPERATORS, ...ACCUMULATOR_EXPRESSIONS }),
    accumulator: ops(accumulatorOps, { ...ACCUMULATOR_OVERRIDES, ...ACCUMULATOR_FIXES }),
    pipeline,
    projection: ops(projectionOps),
    window: ops(windowOps),
  };
  return Context.init(all as unknown as Parameters<typeof Context.init>[0]);
}

const CONTEXT = buildContext();

/** Whether `$name` is an aggregation expression operator the engine evaluates. */
export function isExpressionName(name: string): boolean {
  return CONTEXT.getOperator(OpType.EXPRESSION, name) !== null || CONTEXT.getOperator(OpType.ACCUMULATOR, name) !== null || name === '$literal';
}

/** Options for mingo; `collectionResolver` serves $lookup/$unionWith/$graphLookup. */
export function mingoOptions(extra: { collectionResolver?: CollectionResolver; variables?: Doc } = {}): Options {
  return prepareOptions({
    idKey: '_id',
    processingMode: ProcessingMode.CLONE_OFF,
    useStrictMode: true,
    scriptEnabled: false,
    failOnError: true,
    context: CONTEXT,
    ...extra,
  });
}

export const DEFAULT_OPTIONS = mingoOptions();

/**
 * Runs a json-logic expression safely. The expression is checked by
 * `validateLogic` first; the data is a frozen JSON copy (`toLogicData`).
 *
 * Why not call `jsonLogic.apply` on the whole tree: json-logic-js has no
 * bound on work, and a short expression can blow up — a `reduce` whose body
 * doubles its accumulator, or nested `map`s producing shared sub-arrays that
 * a later `==` or `cat` stringifies — hanging the process. So the control
 * operations (if, and, or, map, filter, reduce, all, none, some) and data
 * access (var, missing) are walked here with a work budget, and every other
 * operation is delegated to json-logic-js itself (same semantics), with its
 * arguments passed as data so values read from a record are never
 * re-interpreted as logic. Every failure comes back as a typed result; this
 * function never throws.
 */
import jsonLogic from 'json-logic-js';
import type { RulesLogic } from 'json-logic-js';
import { assertUnreachable, type FieldError } from '../shared/errors.ts';
import { toLogicData, weightOf, type Weights } from './logic-data.ts';
import { validateLogic, type LogicLimits } from './validate-logic.ts';
import { varPathSegments } from './var-path.ts';

export interface EvaluateOptions extends LogicLimits {
  /** Work units one evaluation may spend (1 per node, plus the size of values handed to operations). */
  maxWork?: number;
  /** Largest result (in weight: values, strings by length) that may be returned. */
  maxResultWeight?: number;
}

export type LogicResult =
  | { ok: true; value: unknown }
  | { ok: false; reason: 'invalid' | 'budget' | 'runtime'; errors: FieldError[] };

export const DEFAULT_MAX_WORK = 1_000_000;
export const DEFAULT_MAX_RESULT_WEIGHT = 100_000;

class BudgetExceeded extends Error {}

interface Run {
  weights: Weights;
  work: number;
  maxWork: number;
}

/** Validation of an expression object is cached when the default limits apply. */
const validated = new WeakMap<object, FieldError[]>();

export function evaluateLogic(expr: unknown, data: unknown, options: EvaluateOptions = {}): LogicResult {
  const errors = checked(expr, options);
  if (errors.length > 0) return { ok: false, reason: 'invalid', errors };
  const root = options.path ?? '';
  try {
    const input = toLogicData(data);
    const run: Run = { weights: input.weights, work: 0, maxWork: options.maxWork ?? DEFAULT_MAX_WORK };
    const value = evaluate(run, expr, input.value);
    const maxResult = options.maxResultWeight ?? DEFAULT_MAX_RESULT_WEIGHT;
    if (weightOf(value, run.weights) > maxResult) {
      return { ok: false, reason: 'budget', errors: [{ path: root, message: `the result is too large (over ${maxResult} units)` }] };
    }
    return { ok: true, value };
  } catch (error) {
    if (error instanceof BudgetExceeded) {
      return { ok: false, reason: 'budget', errors: [{ path: root, message: 'the expression needs too much work to evaluate' }] };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: 'runtime', errors: [{ path: root, message: `evaluation failed: ${message}` }] };
  }
}

function checked(expr: unknown, options: EvaluateOptions): FieldError[] {
  const isDefault = options.maxDepth === undefined && options.maxNodes === undefined && options.allowedOps === undefined;
  if (!isDefault || expr === null || typeof expr !== 'object') return validateLogic(expr, options);
  let errors = validated.get(expr);
  if (!errors) {
    errors = validateLogic(expr);
    validated.set(expr, errors);
  }
  const base = options.path;
  return base ? errors.map((e) => ({ ...e, path: base + e.path })) : errors;
}

function charge(run: Run, units: number): void {
  run.work += units;
  if (run.work > run.maxWork) throw new BudgetExceeded();
}

/** Record the weight of an array built here, so passing it on later is charged in O(1). */
function made(run: Run, list: unknown[]): unknown[] {
  charge(run, list.length);
  weightOf(list, run.weights);
  return list;
}

function evaluate(run: Run, logic: unknown, data: unknown): unknown {
  charge(run, 1);
  if (Array.isArray(logic)) {
    return made(run, logic.map((item) => evaluate(run, item, data)));
  }
  if (logic === null || typeof logic !== 'object') return logic;
  const op = Object.keys(logic)[0];
  const raw = (logic as Record<string, unknown>)[op];
  const args = Array.isArray(raw) ? raw : [raw];
  switch (op) {
    case 'var':
      return readVar(run, data, args);
    case 'missing':
      return missing(data, args.length === 1 && Array.isArray(args[0]) ? args[0] : args);
    case 'missing_some': {
      const keys = args[1] as unknown[];
      const absent = missing(data, keys);
      return keys.length - absent.length >= (args[0] as number) ? [] : absent;
    }
    case 'if':
    case '?:': {
      let i = 0;
      for (; i < args.length - 1; i += 2) {
        if (jsonLogic.truthy(evaluate(run, args[i], data))) return evaluate(run, args[i + 1], data);
      }
      return args.length === i + 1 ? evaluate(run, args[i], data) : null;
    }
    case 'and':
    case 'or': {
      let current: unknown;
      for (const arg of args) {
        current = evaluate(run, arg, data);
        if (jsonLogic.truthy(current) === (op === 'or')) return current;
      }
      return current;
    }
    case 'map':
    case 'filter':
    case 'all':
    case 'none':
    case 'some':
      return iterate(run, op, evaluate(run, args[0], data), args[1]);
    case 'reduce': {
      const items = evaluate(run, args[0], data);
      let acc = args[2] !== undefined ? evaluate(run, args[2], data) : null;
      if (!Array.isArray(items)) return acc;
      for (const current of items) acc = evaluate(run, args[1], { current, accumulator: acc });
      return acc;
    }
    default:
      return delegate(run, op, args.map((arg) => evaluate(run, arg, data)));
  }
}

function iterate(run: Run, op: 'map' | 'filter' | 'all' | 'none' | 'some', items: unknown, body: unknown): unknown {
  const isList = Array.isArray(items);
  switch (op) {
    case 'map':
      return made(run, isList ? items.map((item) => evaluate(run, body, item)) : []);
    case 'filter':
      return made(run, isList ? items.filter((item) => jsonLogic.truthy(evaluate(run, body, item))) : []);
    case 'all':
      return isList && items.length > 0 && items.every((item) => jsonLogic.truthy(evaluate(run, body, item)));
    case 'none':
      return !isList || !items.some((item) => jsonLogic.truthy(evaluate(run, body, item)));
    case 'some':
      return isList && items.some((item) => jsonLogic.truthy(evaluate(run, body, item)));
    default:
      return assertUnreachable(op);
  }
}

/** `var` with own-property lookups only; the path was checked literal and safe by validateLogic. */
function readVar(run: Run, data: unknown, args: unknown[]): unknown {
  const found = lookup(data, varPathSegments((args[0] ?? null) as string | number | null));
  if (found !== undefined) return found;
  return args.length > 1 ? evaluate(run, args[1], data) : null;
}

function lookup(data: unknown, segments: string[]): unknown {
  let current = data;
  for (const segment of segments) {
    if (current === null || current === undefined) return undefined;
    if (!Object.hasOwn(Object(current), segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function missing(data: unknown, keys: unknown[]): unknown[] {
  return keys.filter((key) => {
    const value = lookup(data, varPathSegments(key as string));
    return value === undefined || value === null || value === '';
  });
}

const argRefs: Array<Array<{ var: number }>> = [];
function refs(count: number): Array<{ var: number }> {
  argRefs[count] ??= Array.from({ length: count }, (_, i) => ({ var: i }));
  return argRefs[count];
}

/** A leaf operation, run by json-logic-js with the evaluated arguments as its data. */
function delegate(run: Run, op: string, values: unknown[]): unknown {
  // Operations coerce their arguments (an array compared or concatenated is stringified): charge for that.
  let units = 1;
  for (const value of values) units += weightOf(value, run.weights);
  charge(run, units);
  const rule = { [op]: refs(values.length) } as unknown as RulesLogic;
  const result: unknown = jsonLogic.apply(rule, values);
  charge(run, weightOf(result, run.weights));
  return result;
}

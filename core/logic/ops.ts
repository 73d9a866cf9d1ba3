/**
 * The json-logic operations Relata accepts. A whitelist: anything else —
 * `log` (console side effect), `method` (calls arbitrary methods in older
 * json-logic-js), dotted operation paths, operations added at run time — is
 * refused before evaluation.
 */

export const SAFE_OPS = [
  // data access
  'var',
  'missing',
  'missing_some',
  // control
  'if',
  '?:',
  'and',
  'or',
  '!',
  '!!',
  // comparison
  '==',
  '===',
  '!=',
  '!==',
  '>',
  '>=',
  '<',
  '<=',
  // arithmetic
  '+',
  '-',
  '*',
  '/',
  '%',
  'min',
  'max',
  // arrays (the body of map … some runs with the element as its data)
  'map',
  'filter',
  'reduce',
  'all',
  'none',
  'some',
  'merge',
  'in',
  // strings
  'cat',
  'substr',
] as const;
export type LogicOp = (typeof SAFE_OPS)[number];

const SAFE_SET: ReadonlySet<string> = new Set(SAFE_OPS);
export function isSafeOp(op: string): op is LogicOp {
  return SAFE_SET.has(op);
}

/** Operations whose second argument is evaluated once per element with the element as data. */
export const SCOPED_OPS: ReadonlySet<LogicOp> = new Set<LogicOp>(['map', 'filter', 'reduce', 'all', 'none', 'some']);

/** Allowed argument counts, [min, max]; refuses the obvious authoring mistakes early. */
export const ARITY: Partial<Record<LogicOp, readonly [number, number]>> = {
  var: [0, 2],
  missing_some: [2, 2],
  '!': [1, 1],
  '!!': [1, 1],
  '==': [2, 2],
  '===': [2, 2],
  '!=': [2, 2],
  '!==': [2, 2],
  '>': [2, 2],
  '>=': [2, 2],
  '<': [2, 3],
  '<=': [2, 3],
  '-': [1, 2],
  '/': [2, 2],
  '%': [2, 2],
  map: [2, 2],
  filter: [2, 2],
  reduce: [2, 3],
  all: [2, 2],
  none: [2, 2],
  some: [2, 2],
  in: [2, 2],
  substr: [2, 3],
};

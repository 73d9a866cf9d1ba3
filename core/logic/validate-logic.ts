/**
 * Static checks on a json-logic expression before it is stored or run:
 * whitelisted operations only, literal and safe `var` paths, argument counts,
 * and bounds on size and depth. Pure: returns errors, never throws.
 */
import type { FieldError } from '../shared/errors.ts';
import { pointer } from './json-pointer.ts';
import { ARITY, isSafeOp } from './ops.ts';
import { varPathProblem } from './var-path.ts';

export interface LogicLimits {
  /** Deepest nesting of operations and literal arrays (default 10). */
  maxDepth?: number;
  /** Most values in the whole expression (default 500). */
  maxNodes?: number;
  /** Narrow the accepted operations further; operations outside SAFE_OPS are refused regardless. */
  allowedOps?: Iterable<string>;
  /** JSON Pointer of the expression inside its document, prefixed to every error path. */
  path?: string;
}

export const DEFAULT_MAX_DEPTH = 10;
export const DEFAULT_MAX_NODES = 500;
export const MAX_LITERAL_LENGTH = 2000;

interface Walk {
  maxDepth: number;
  maxNodes: number;
  allowed: ReadonlySet<string> | undefined;
  nodes: number;
  errors: FieldError[];
}

export function validateLogic(expr: unknown, options: LogicLimits = {}): FieldError[] {
  const walk: Walk = {
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxNodes: options.maxNodes ?? DEFAULT_MAX_NODES,
    allowed: options.allowedOps ? new Set(options.allowedOps) : undefined,
    nodes: 0,
    errors: [],
  };
  const root = options.path ?? '';
  if (expr === undefined) return [{ path: root, message: 'a json-logic expression is required' }];
  visit(walk, expr, root, 1);
  if (walk.nodes > walk.maxNodes) {
    return [{ path: root, message: `the expression is too large (more than ${walk.maxNodes} nodes)` }, ...walk.errors];
  }
  return walk.errors;
}

function visit(w: Walk, value: unknown, path: string, depth: number): void {
  if (++w.nodes > w.maxNodes) return;
  if (value === null || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) w.errors.push({ path, message: 'numbers must be finite' });
    return;
  }
  if (typeof value === 'string') {
    if (value.length > MAX_LITERAL_LENGTH) w.errors.push({ path, message: `strings must be at most ${MAX_LITERAL_LENGTH} characters` });
    return;
  }
  if (depth > w.maxDepth) {
    w.errors.push({ path, message: `the expression nests deeper than ${w.maxDepth} levels` });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => visit(w, item, pointer(path, i), depth + 1));
    return;
  }
  if (typeof value !== 'object') {
    w.errors.push({ path, message: 'only JSON values are allowed' });
    return;
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    w.errors.push({ path, message: 'an object must be one operation, {"op": [arguments]}' });
    return;
  }
  const op = keys[0];
  const opPath = pointer(path, op);
  if (!isSafeOp(op) || (w.allowed && !w.allowed.has(op))) {
    w.errors.push({ path: opPath, message: `unknown or forbidden operation "${op}"` });
    return;
  }
  const raw = (value as Record<string, unknown>)[op];
  const args = Array.isArray(raw) ? raw : [raw];
  // Unary sugar ({"var": "x"}) has no array in the path; real arrays index into it.
  const argPath = (i: number) => (Array.isArray(raw) ? pointer(opPath, i) : opPath);
  const arity = ARITY[op];
  if (arity && (args.length < arity[0] || args.length > arity[1])) {
    const expected = arity[0] === arity[1] ? `${arity[0]}` : `${arity[0]} to ${arity[1]}`;
    w.errors.push({ path: opPath, message: `"${op}" takes ${expected} argument(s), got ${args.length}` });
    return;
  }
  if (op === 'var') {
    w.nodes += 1;
    const problem = varPathProblem(args[0] ?? null);
    if (problem) w.errors.push({ path: argPath(0), message: problem });
    if (args.length > 1) visit(w, args[1], argPath(1), depth + 1);
    return;
  }
  if (op === 'missing' || op === 'missing_some') {
    checkMissing(w, op, args, argPath);
    return;
  }
  args.forEach((arg, i) => visit(w, arg, argPath(i), depth + 1));
}

/** `missing` / `missing_some` name data paths; like `var`, those must be literal and safe. */
function checkMissing(w: Walk, op: 'missing' | 'missing_some', args: unknown[], argPath: (i: number) => string): void {
  let keys: unknown[] = args;
  let keysPath = argPath;
  if (op === 'missing_some') {
    if (!Number.isSafeInteger(args[0]) || (args[0] as number) < 0) {
      w.errors.push({ path: argPath(0), message: 'the first argument of "missing_some" must be a non-negative integer' });
    }
    if (!Array.isArray(args[1])) {
      w.errors.push({ path: argPath(1), message: 'the second argument of "missing_some" must be an array of var paths' });
      return;
    }
    keys = args[1];
    keysPath = (i) => pointer(argPath(1), i);
  } else if (args.length === 1 && Array.isArray(args[0])) {
    keys = args[0];
    keysPath = (i) => pointer(argPath(0), i);
  }
  w.nodes += keys.length;
  keys.forEach((key, i) => {
    const problem = typeof key === 'string' ? varPathProblem(key) : 'must be a literal var path';
    if (problem) w.errors.push({ path: keysPath(i), message: problem });
  });
}

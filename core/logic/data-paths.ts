/**
 * Which data paths an expression reads at its top level — what a computed
 * field or a rule condition depends on. The bodies of map, filter, reduce,
 * all, none and some read each element, not the record, so they are skipped
 * (their first argument, the list, is still collected). Assumes an expression
 * that passed validateLogic.
 */
import { SCOPED_OPS, isSafeOp } from './ops.ts';

export function dataPaths(expr: unknown): string[] {
  const found = new Set<string>();
  collect(expr, found);
  return [...found];
}

function collect(logic: unknown, found: Set<string>): void {
  if (Array.isArray(logic)) {
    for (const item of logic) collect(item, found);
    return;
  }
  if (logic === null || typeof logic !== 'object') return;
  const op = Object.keys(logic)[0];
  if (op === undefined || !isSafeOp(op)) return;
  const raw = (logic as Record<string, unknown>)[op];
  const args = Array.isArray(raw) ? raw : [raw];
  if (op === 'var') {
    const path = args[0] ?? '';
    found.add(String(path));
    if (args.length > 1) collect(args[1], found);
    return;
  }
  if (op === 'missing' || op === 'missing_some') {
    const keys = op === 'missing_some' ? args[1] : args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
    if (Array.isArray(keys)) for (const key of keys) if (typeof key === 'string') found.add(key);
    return;
  }
  if (SCOPED_OPS.has(op)) {
    collect(args[0], found);
    if (op === 'reduce') collect(args[2], found);
    return;
  }
  collect(args, found);
}

/**
 * Update paths: parsing (`a.b`, `a.$`, `a.$[]`, `a.$[id]`), conflict detection between the
 * paths of one update, and resolution of a path to the (container, key) pairs it targets,
 * creating intermediate documents as `$set` does.
 */
import { CommandError } from '../errors.ts';
import { formatValue } from '../bson/format.ts';
import { isPlainObject, type Doc } from '../bson/types.ts';

const DIGITS = /^\d+$/;

export type Container = Doc | unknown[];

export interface Target {
  container: Container;
  key: string;
}

/** Context for positional elements: the `$` index and the array-filter predicates. */
export interface PositionalContext {
  /** Index of the first array element the query matched, per array path (for `$`). */
  positional: (arrayPath: string) => number;
  arrayFilters: Map<string, (el: unknown) => boolean>;
  usedFilters: Set<string>;
}

export function checkPath(path: string, op: string): string[] {
  if (path === '') throw new CommandError(56, `An empty update path is not valid.`);
  const parts = path.split('.');
  for (const p of parts) {
    if (p === '') throw new CommandError(56, `The update path '${path}' contains an empty field name, which is not allowed.`);
    if (p.startsWith('$') && p !== '$' && p !== '$[]' && !/^\$\[[a-z][a-zA-Z0-9]*\]$/.test(p)) {
      throw new CommandError(52, `The dollar ($) prefixed field '${p}' in '${path}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`);
    }
    if (/^\$\[.*\]$/.test(p) && p !== '$[]' && !/^\$\[[a-z][a-zA-Z0-9]*\]$/.test(p)) {
      throw new CommandError(2, `The array filter identifier in '${path}' is invalid (${op})`);
    }
  }
  return parts;
}

/** Throws ConflictingUpdateOperators (40) when one path is a prefix of (or equal to) another. */
export function checkConflicts(paths: string[]): void {
  const normalized = paths.map((p) => p.split('.').filter((x) => !x.startsWith('$')).join('.'));
  const sorted = normalized.map((p, i) => [p, paths[i]] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const [prev, prevRaw] = sorted[i - 1];
    const [cur] = sorted[i];
    if (cur === prev || cur.startsWith(prev + '.')) {
      throw new CommandError(40, `Updating the path '${sorted[i][1]}' would create a conflict at '${prevRaw}'`);
    }
  }
}

function notViable(part: string, container: unknown): CommandError {
  return new CommandError(28, `Cannot create field '${part}' in element {${formatValue(container).replace(/^\{ ?|\ ?}$/g, '')}}`);
}

/**
 * All (container, key) pairs the path designates. With `create`, missing intermediate
 * documents are created (and arrays padded with null); without it, missing branches are skipped.
 */
export function resolveTargets(doc: Doc, parts: string[], create: boolean, pos: PositionalContext): Target[] {
  const out: Target[] = [];
  const walk = (container: Container, i: number, prefix: string): void => {
    let part = parts[i];
    const isLast = i === parts.length - 1;
    if (part === '$' || part === '$[]' || part.startsWith('$[')) {
      if (!Array.isArray(container)) {
        if (!create) return;
        throw new CommandError(2, `The path '${parts.slice(0, i).join('.')}' must exist in the document in order to apply array updates.`);
      }
      let indexes: number[];
      if (part === '$') indexes = [pos.positional(prefix)];
      else if (part === '$[]') indexes = container.map((_, k) => k);
      else {
        const id = part.slice(2, -1);
        const test = pos.arrayFilters.get(id);
        if (!test) throw new CommandError(2, `No array filter found for identifier '${id}' in path '${parts.join('.')}'`);
        pos.usedFilters.add(id);
        indexes = container.flatMap((el, k) => (test(el) ? [k] : []));
      }
      for (const k of indexes) {
        if (isLast) out.push({ container, key: String(k) });
        else descend(container, String(k), i, `${prefix}.${k}`);
      }
      return;
    }
    if (Array.isArray(container) && !DIGITS.test(part)) {
      if (!create) return;
      throw notViable(part, container);
    }
    if (isLast) {
      out.push({ container, key: part });
      return;
    }
    part = String(part);
    descend(container, part, i, prefix ? `${prefix}.${part}` : part);
  };
  const descend = (container: Container, key: string, i: number, path: string): void => {
    let next = getChild(container, key);
    if (parts[i + 1].startsWith('$') && !Array.isArray(next)) {
      if (!create) return;
      if (next === undefined) throw new CommandError(2, `The path '${parts.slice(0, i + 1).join('.')}' must exist in the document in order to apply array updates.`);
      throw new CommandError(2, `Cannot apply array updates to non-array element ${key}: ${formatValue(next)}`);
    }
    if (next === undefined || next === null) {
      if (!create) return;
      if (next === null) throw notViable(parts[i + 1], { [key]: null });
      next = {};
      setChild(container, key, next);
    }
    if (!isPlainObject(next) && !Array.isArray(next)) {
      if (!create) return;
      throw notViable(parts[i + 1], { [key]: next });
    }
    walk(next as Container, i + 1, path);
  };
  walk(doc, 0, '');
  return out;
}

export function getChild(container: Container, key: string): unknown {
  if (Array.isArray(container)) return container[Number(key)];
  return Object.prototype.hasOwnProperty.call(container, key) ? container[key] : undefined;
}

export function hasChild(container: Container, key: string): boolean {
  if (Array.isArray(container)) return Number(key) < container.length;
  return Object.prototype.hasOwnProperty.call(container, key);
}

export function setChild(container: Container, key: string, value: unknown): void {
  if (Array.isArray(container)) {
    const idx = Number(key);
    while (container.length < idx) container.push(null);
    container[idx] = value;
  } else container[key] = value;
}

export function deleteChild(container: Container, key: string): void {
  if (Array.isArray(container)) {
    if (Number(key) < container.length) container[Number(key)] = null;
  } else delete container[key];
}

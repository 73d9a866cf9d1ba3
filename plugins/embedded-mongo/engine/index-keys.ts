/**
 * Index key extraction as MongoDB does it: a path fans out over arrays (multikey), missing
 * values index as null, and a compound index may hold at most one array field per document.
 */
import { CommandError } from '../errors.ts';
import { keyOf } from '../bson/compare.ts';
import { isPlainObject, type Doc } from '../bson/types.ts';
import { splitPath } from '../query/field-path.ts';

const DIGITS = /^\d+$/;
export const KEY_SEPARATOR = '\u0001';

export interface IndexKey {
  /** Canonical composite key (equal ⇔ MongoDB-equal key values). */
  key: string;
  /** The key values, one per indexed field (null for missing). */
  values: unknown[];
}

export interface ExtractedKeys {
  keys: IndexKey[];
  isMultikey: boolean;
  /** True when no indexed field is present at all (sparse indexes skip such documents). */
  isAllMissing: boolean;
}

function collect(v: unknown, parts: string[], i: number, out: unknown[], flags: { multi: boolean }): void {
  if (i === parts.length) {
    if (Array.isArray(v)) {
      flags.multi = true;
      if (v.length === 0) out.push(undefined);
      else for (const el of v) out.push(el);
    } else out.push(v);
    return;
  }
  const part = parts[i];
  if (Array.isArray(v)) {
    flags.multi = true;
    if (DIGITS.test(part) && Number(part) < v.length) {
      collect(v[Number(part)], parts, i + 1, out, flags);
      return;
    }
    if (v.length === 0) out.push(undefined);
    for (const el of v) {
      if (isPlainObject(el)) collect(el[part], parts, i + 1, out, flags);
      else out.push(undefined);
    }
    return;
  }
  if (isPlainObject(v)) collect(Object.prototype.hasOwnProperty.call(v, part) ? v[part] : undefined, parts, i + 1, out, flags);
  else out.push(undefined);
}

function distinct(values: unknown[]): unknown[] {
  if (values.length < 2) return values;
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const v of values) {
    const k = keyOf(v);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(v);
    }
  }
  return out;
}

export function extractKeys(doc: Doc, fields: ReadonlyArray<readonly [string, number | string]>): ExtractedKeys {
  if (fields.length === 1 && !fields[0][0].includes('.')) {
    // Fast path: one top-level field holding a non-array value (the common index).
    const name = fields[0][0];
    const v = Object.prototype.hasOwnProperty.call(doc, name) ? doc[name] : undefined;
    if (!Array.isArray(v)) {
      const value = v === undefined ? null : v;
      return { keys: [{ key: keyOf(value), values: [value] }], isMultikey: false, isAllMissing: v === undefined };
    }
  }
  const perField: unknown[][] = [];
  const multiFields: string[] = [];
  let isAllMissing = true;
  for (const [path] of fields) {
    const out: unknown[] = [];
    const flags = { multi: false };
    collect(doc, splitPath(path), 0, out, flags);
    if (flags.multi && out.length > 1) multiFields.push(path);
    if (out.some((v) => v !== undefined)) isAllMissing = false;
    perField.push(distinct(out));
  }
  if (multiFields.length > 1) {
    throw new CommandError(171, `cannot index parallel arrays [${multiFields[1]}] [${multiFields[0]}]`);
  }
  let combos: unknown[][] = [[]];
  for (const values of perField) {
    const next: unknown[][] = [];
    for (const c of combos) for (const v of values) next.push([...c, v === undefined ? null : v]);
    combos = next;
  }
  const keys = combos.map((values) => ({ key: values.map(keyOf).join(KEY_SEPARATOR), values }));
  return { keys, isMultikey: perField.some((v) => v.length > 1), isAllMissing };
}

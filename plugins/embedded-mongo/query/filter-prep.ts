/**
 * Filter checks and rewriting that happen before mingo compiles a filter: top-level
 * operator validation and `$regex`/`$options` turned into validated RegExp values.
 */
import { CommandError } from '../errors.ts';
import { toJsRegExp } from '../bson/regex.ts';
import { isPlainObject, type Doc } from '../bson/types.ts';

export function checkFilter(filter: unknown, path: string): void {
  if (!isPlainObject(filter)) throw new CommandError(2, `${path} must be an object`);
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' || k === '$or' || k === '$nor') {
      if (!Array.isArray(v) || v.length === 0) throw new CommandError(2, `${k} must be a nonempty array`);
      for (const sub of v) {
        if (!isPlainObject(sub)) throw new CommandError(2, `${k}/$or/$nor entries need to be full objects`);
        checkFilter(sub, path);
      }
    } else if (k.startsWith('$') && !['$expr', '$where', '$text', '$comment', '$jsonSchema', '$alwaysTrue', '$alwaysFalse'].includes(k)) {
      throw new CommandError(2, `unknown top level operator: ${k}. If you have a field name that starts with a '$' symbol, consider using $getField or $setField.`);
    }
  }
}

/** Operator objects with `$regex` become `{ $regex: RegExp }` (validated, `x` emulated). */
function prepareCondition(cond: unknown): unknown {
  if (!isPlainObject(cond)) return cond;
  const keys = Object.keys(cond);
  if (!keys.some((k) => k.startsWith('$'))) return cond;
  const out: Doc = {};
  for (const [op, v] of Object.entries(cond)) {
    if (op === '$options') {
      if (!('$regex' in cond)) throw new CommandError(2, '$options needs a $regex');
      continue;
    }
    if (op === '$regex') {
      const options = cond.$options ?? '';
      if (typeof options !== 'string') throw new CommandError(2, '$options has to be a string');
      if (v instanceof RegExp && options && v.flags) throw new CommandError(51075, 'options set in both $regex and $options');
      if (v instanceof RegExp) out.$regex = options ? toJsRegExp(v.source, v.flags + options) : v;
      else if (typeof v === 'string') out.$regex = toJsRegExp(v, options);
      else throw new CommandError(2, '$regex has to be a string');
    } else if (op === '$not') {
      if (!(v instanceof RegExp) && !isPlainObject(v)) throw new CommandError(2, '$not needs a regex or a document');
      if (isPlainObject(v) && Object.keys(v).length === 0) throw new CommandError(2, '$not cannot be empty');
      out.$not = prepareCondition(v);
    }
    else if (op === '$elemMatch' && isPlainObject(v)) out.$elemMatch = Object.keys(v).some((k) => k.startsWith('$') && !['$and', '$or', '$nor', '$expr'].includes(k)) ? prepareCondition(v) : prepareFilter(v);
    else out[op] = v;
  }
  return out;
}

/** Validates `$regex`/`$options` and rewrites them as RegExp values (`x` emulated). */
export function prepareFilter(filter: Doc): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(filter)) {
    if ((k === '$and' || k === '$or' || k === '$nor') && Array.isArray(v)) out[k] = v.map((sub) => (isPlainObject(sub) ? prepareFilter(sub) : sub));
    else if (k.startsWith('$')) out[k] = v;
    else out[k] = prepareCondition(v);
  }
  return out;
}

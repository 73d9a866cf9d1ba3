/**
 * Compiles query filters into predicates (mingo Query with the engine's context).
 * Compiled filters are cached by canonical key, since applications repeat the same
 * filters; filters that read the clock ($$NOW) are never cached.
 */
import { Query } from 'mingo/query';
import { CommandError } from '../errors.ts';
import { keyOf } from '../bson/compare.ts';
import { isPlainObject, type Doc } from '../bson/types.ts';
import { toJsRegExp } from '../bson/regex.ts';
import { DEFAULT_OPTIONS, mingoOptions } from './context.ts';

export type DocPredicate = (doc: Doc) => boolean;

const CACHE_LIMIT = 500;
const cache = new Map<string, DocPredicate>();
const MATCH_ALL: DocPredicate = () => true;

function checkFilter(filter: unknown, path: string): void {
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
      if (v instanceof RegExp) out.$regex = options ? toJsRegExp(v.source, v.flags + options) : v;
      else if (typeof v === 'string') out.$regex = toJsRegExp(v, options);
      else throw new CommandError(2, '$regex has to be a string');
    } else if (op === '$not') out.$not = prepareCondition(v);
    else if (op === '$elemMatch' && isPlainObject(v)) out.$elemMatch = Object.keys(v).some((k) => k.startsWith('$') && !['$and', '$or', '$nor', '$expr'].includes(k)) ? prepareCondition(v) : prepareFilter(v);
    else out[op] = v;
  }
  return out;
}

function prepareFilter(filter: Doc): Doc {
  const out: Doc = {};
  for (const [k, v] of Object.entries(filter)) {
    if ((k === '$and' || k === '$or' || k === '$nor') && Array.isArray(v)) out[k] = v.map((sub) => (isPlainObject(sub) ? prepareFilter(sub) : sub));
    else if (k.startsWith('$')) out[k] = v;
    else out[k] = prepareCondition(v);
  }
  return out;
}

function compile(filter: Doc, variables?: Doc): DocPredicate {
  const { $comment: _comment, ...rest } = prepareFilter(filter);
  if (Object.keys(rest).length === 0) return MATCH_ALL;
  const options = variables ? mingoOptions({ variables }) : DEFAULT_OPTIONS;
  try {
    const q = new Query(rest, options);
    return (doc) => q.test(doc);
  } catch (err) {
    if (err instanceof CommandError) throw err;
    const msg = err instanceof Error ? err.message : String(err);
    throw new CommandError(2, msg.replace(/^unknown query operator /, 'unknown operator: '));
  }
}

/** A predicate for `filter`; `variables` are the command's `let` values. */
export function compileFilter(filter: unknown, variables?: Doc): DocPredicate {
  if (filter === undefined || filter === null) return MATCH_ALL;
  checkFilter(filter, 'filter');
  const f = filter as Doc;
  if (variables) return compile(f, variables);
  const key = keyOf(f);
  const hit = cache.get(key);
  if (hit) return hit;
  const pred = compile(f);
  if (!key.includes('"$expr"') && !key.includes('$$NOW')) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, pred);
  }
  return pred;
}

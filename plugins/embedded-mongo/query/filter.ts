/**
 * Compiles query filters into predicates (mingo Query with the engine's context).
 * Compiled filters are cached by canonical key, since applications repeat the same
 * filters; filters that read the clock ($$NOW) are never cached.
 */
import { Query } from 'mingo/query';
import { CommandError } from '../errors.ts';
import { keyOf } from '../bson/compare.ts';
import { isPlainObject, type Doc } from '../bson/types.ts';
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

function compile(filter: Doc, variables?: Doc): DocPredicate {
  const { $comment: _comment, ...rest } = filter;
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

/**
 * Compiles query filters into predicates (mingo Query with the engine's context).
 * Compiled filters are cached by canonical key, since applications repeat the same
 * filters; filters that read the clock ($$NOW) are never cached.
 */
import { Query } from 'mingo/query';
import { CommandError } from '../errors.ts';
import { keyOf } from '../bson/compare.ts';
import type { Doc } from '../bson/types.ts';
import { DEFAULT_OPTIONS, mingoOptions } from './context.ts';
import { checkFilter, prepareFilter } from './filter-prep.ts';

export type DocPredicate = (doc: Doc) => boolean;

const CACHE_LIMIT = 500;
const cache = new Map<string, DocPredicate>();
const MATCH_ALL: DocPredicate = () => true;

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

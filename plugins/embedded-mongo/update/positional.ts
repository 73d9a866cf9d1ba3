/**
 * The positional `$` of an update: the index of the first element of the array field that
 * the query's conditions on that field matched, as MongoDB records it during matching.
 */
import { CommandError } from '../errors.ts';
import { isPlainObject, type Doc } from '../bson/types.ts';
import { getPath } from '../query/field-path.ts';
import { compileFilter } from '../query/filter.ts';

function conditionsOn(filter: Doc, arrayPath: string, out: Doc[]): void {
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) conditionsOn(sub, arrayPath, out);
    } else if (k === arrayPath || k.startsWith(arrayPath + '.')) out.push({ [k]: v });
  }
}

function nest(path: string, value: unknown): Doc {
  const parts = path.split('.');
  let cur: unknown = value;
  for (let i = parts.length - 1; i >= 0; i--) cur = { [parts[i]]: cur };
  return cur as Doc;
}

const noMatch = (): CommandError => new CommandError(2, 'The positional operator did not find the match needed from the query.');

export function positionalIndex(doc: Doc, filter: Doc | undefined, arrayPath: string, isInsert: boolean): number {
  if (isInsert || !filter) throw noMatch();
  const conds: Doc[] = [];
  conditionsOn(filter, arrayPath, conds);
  const arr = getPath(doc, arrayPath);
  if (conds.length === 0 || !Array.isArray(arr)) throw noMatch();
  const preds = conds.map((c) => compileFilter(c));
  for (let i = 0; i < arr.length; i++) {
    const probe = nest(arrayPath, [arr[i]]);
    if (preds.every((p) => p(probe))) return i;
  }
  throw noMatch();
}

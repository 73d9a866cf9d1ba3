/**
 * The list parameters of `GET /api/v1/data/:entity` (API.md, "Records"),
 * checked together: every problem is reported at once, as a JSON Pointer into
 * the parameters (`/limit`, `/sort`, `/filter/rating/$gte`), and any problem
 * is a 400 before the database is touched.
 *
 * Unknown parameters are refused rather than ignored: a misspelt `filters=`
 * or `sort_by=` silently ignored would return unfiltered or misordered data,
 * which is worse for an integrator than a clear 400. Cache-busting
 * parameters are therefore not accepted either.
 */
import type { EntityDefinition } from '../metadata/types.ts';
import { isAppError, queryInvalid, type FieldError } from '../shared/errors.ts';
import { SEARCH_FIELD, searchableFields, searchFilter } from '../search/normalize.ts';
import { cursorFilter, decodeCursor, toMongoSort, type CursorValue, type SortKey, type SortSpec } from './cursor.ts';
import type { FieldMap } from './field-map.ts';
import type { ListQuery } from './list-query.ts';
import { parseFilter, type MongoFilter } from './parse-filter.ts';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
export const MAX_OFFSET = 100_000;
export const MAX_SORT_KEYS = 5;
export const MAX_EXPAND = 10;
export const MAX_Q_LENGTH = 200;

export const LIST_PARAMS = ['filter', 'q', 'sort', 'limit', 'offset', 'cursor', 'fields', 'expand', 'count'] as const;
type ListParam = (typeof LIST_PARAMS)[number];
const KNOWN: ReadonlySet<string> = new Set(LIST_PARAMS);

export interface ListParamsOptions {
  fieldMap: FieldMap;
  entity: EntityDefinition;
  /** HMAC key for cursors (see cursor.ts). */
  cursorSecret?: string;
}

type Params = Partial<Record<ListParam, string>>;

/** One value per known parameter; blank values count as absent. */
function readParams(input: URLSearchParams | Record<string, string | undefined>, errors: FieldError[]): Params {
  const entries: [string, string | undefined][] = input instanceof URLSearchParams ? [...input.entries()] : Object.entries(input);
  const out: Params = {};
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    if (!KNOWN.has(name)) {
      errors.push({ path: `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: `unknown parameter; known: ${LIST_PARAMS.join(', ')}` });
    } else if (seen.has(name)) {
      errors.push({ path: `/${name}`, message: 'must be given once' });
    } else {
      seen.add(name);
      if (value !== undefined && value.trim() !== '') out[name as ListParam] = value;
    }
  }
  return out;
}

function integer(raw: string | undefined, name: string, fallback: number, min: number, max: number, errors: FieldError[]): number {
  if (raw === undefined) return fallback;
  const n = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  errors.push({ path: `/${name}`, message: `must be an integer from ${min} to ${max}` });
  return fallback;
}

const names = (raw: string | undefined) => (raw === undefined ? [] : raw.split(',').map((s) => s.trim()));

function parseSort(raw: string | undefined, fieldMap: FieldMap, errors: FieldError[]): SortSpec | undefined {
  const keys: SortKey[] = [];
  const before = errors.length;
  for (const item of names(raw)) {
    const isDescending = item.startsWith('-');
    const name = isDescending ? item.slice(1) : item;
    const field = fieldMap.get(name);
    if (!field) errors.push({ path: '/sort', message: `unknown field "${name}"` });
    else if (!field.isSortable) errors.push({ path: '/sort', message: `cannot sort by "${name}" (${field.type})` });
    else if (keys.some((k) => k.field === name)) errors.push({ path: '/sort', message: `"${name}" is given twice` });
    else if (keys.some((k) => k.field === '_id')) errors.push({ path: '/sort', message: '"_id" is unique, so nothing may follow it' });
    else keys.push({ field: name, direction: isDescending ? -1 : 1 });
  }
  if (keys.filter((k) => k.field !== '_id').length > MAX_SORT_KEYS) errors.push({ path: '/sort', message: `at most ${MAX_SORT_KEYS} fields` });
  if (errors.length > before) return undefined;
  // `_id` makes every position unique: the tie-breaker that keyset cursors need.
  if (!keys.some((k) => k.field === '_id')) keys.push({ field: '_id', direction: 1 });
  return keys;
}

function parseNames(raw: string | undefined, param: 'fields' | 'expand', fieldMap: FieldMap, errors: FieldError[]): string[] {
  const out: string[] = [];
  for (const name of names(raw)) {
    const field = fieldMap.get(name);
    if (!field) errors.push({ path: `/${param}`, message: `unknown field "${name}"` });
    else if (param === 'expand' && !field.isExpandable) errors.push({ path: '/expand', message: `"${name}" is not a reference field` });
    else if (!out.includes(name)) out.push(name);
  }
  if (param === 'expand' && out.length > MAX_EXPAND) errors.push({ path: '/expand', message: `at most ${MAX_EXPAND} fields` });
  return out;
}

/**
 * Runs a parser that throws QUERY_INVALID and keeps its errors; `prefix`
 * moves paths relative to a parameter's own document (the filter's) under it.
 */
function collect<T>(errors: FieldError[], parse: () => T, prefix = ''): T | undefined {
  try {
    return parse();
  } catch (e) {
    if (!isAppError(e) || e.code !== 'QUERY_INVALID') throw e;
    const inner = e.errors.length > 0 ? e.errors : [{ path: '', message: e.message }];
    errors.push(...inner.map((x) => ({ path: prefix + x.path, message: x.message })));
    return undefined;
  }
}

function parseCount(raw: string | undefined, errors: FieldError[]): boolean {
  if (raw === undefined || raw === 'true') return true;
  if (raw === 'false') return false;
  errors.push({ path: '/count', message: 'must be true or false' });
  return true;
}

export function parseListParams(input: URLSearchParams | Record<string, string | undefined>, options: ListParamsOptions): ListQuery {
  const { fieldMap, entity } = options;
  const errors: FieldError[] = [];
  const p = readParams(input, errors);

  const filter = collect(errors, () => parseFilter(p.filter, fieldMap), '/filter') ?? {};
  const sort = parseSort(p.sort, fieldMap, errors);
  const limit = integer(p.limit, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT, errors);
  const offset = integer(p.offset, 'offset', 0, 0, MAX_OFFSET, errors);
  if (p.offset !== undefined && p.cursor !== undefined) errors.push({ path: '/cursor', message: 'use either offset or cursor, not both' });
  let cursor: CursorValue[] | undefined;
  if (p.cursor !== undefined && sort) {
    const token = p.cursor;
    cursor = collect(errors, () => decodeCursor(token, sort, { secret: options.cursorSecret }));
  }
  const expand = parseNames(p.expand, 'expand', fieldMap, errors);
  const requested = p.fields === undefined ? undefined : parseNames(p.fields, 'fields', fieldMap, errors);
  const count = parseCount(p.count, errors);

  const q = p.q?.trim();
  let search: MongoFilter | undefined;
  if (q !== undefined) {
    if (q.length > MAX_Q_LENGTH) errors.push({ path: '/q', message: `must be at most ${MAX_Q_LENGTH} characters` });
    else if (searchableFields(entity).length === 0) errors.push({ path: '/q', message: `${entity.name} has no searchable fields` });
    else search = collect(errors, () => searchFilter(q));
  }

  if (errors.length > 0 || !sort) throw queryInvalid('The list parameters are invalid', errors);

  const fields = requested && [...new Set(['_id', 'version', ...requested, ...expand])];
  const projection: Record<string, 0 | 1> = {};
  if (fields) for (const name of [...fields, ...sort.map((k) => k.field)]) projection[name] = 1;
  else projection[SEARCH_FIELD] = 0;

  const query: ListQuery = { filter, sort, mongoSort: toMongoSort(sort), limit, offset, projection, expand, count };
  if (q !== undefined) query.q = q;
  if (search) query.search = search;
  if (cursor) {
    query.cursor = cursor;
    query.after = cursorFilter(sort, cursor);
  }
  if (fields) query.fields = fields;
  return query;
}

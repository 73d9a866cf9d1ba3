/**
 * Parameters of `GET /api/v1/data/:entity/:id/timeline`: `type` (comma
 * list), `actor` (a user id), `limit` (1–200, default 50) and `cursor` (from
 * the previous page). Unknown parameters and bad values are a 400 listing
 * every problem, as for record lists.
 */
import { ObjectId } from 'mongodb';
import { decodeCursor, type SortSpec } from '../../query/cursor.ts';
import { isAppError, queryInvalid, type FieldError } from '../../shared/errors.ts';
import type { TimelineSource } from '../sources.ts';

export const TIMELINE_PARAMS = ['type', 'actor', 'limit', 'cursor'] as const;
export const DEFAULT_TIMELINE_LIMIT = 50;
export const MAX_TIMELINE_LIMIT = 200;
/** The order a timeline cursor is bound to. */
export const TIMELINE_SORT: SortSpec = [
  { field: 'at', direction: -1 },
  { field: 'entity', direction: 1 },
  { field: '_id', direction: -1 },
];

export interface TimelinePosition {
  at: Date;
  entity: string;
  id: ObjectId;
}

export interface TimelineParams {
  types?: string[];
  actor?: ObjectId;
  limit: number;
  after?: TimelinePosition;
}

/** Every type a timeline of these sources can show: typeField options, or the entity name. */
export function knownTypes(sources: readonly TimelineSource[]): Set<string> {
  const types = new Set<string>();
  for (const { entity, options } of sources) {
    if (options.typeField === undefined) {
      types.add(entity.name);
      continue;
    }
    const field = entity.fields.find((f) => f.name === options.typeField);
    for (const option of field?.options ?? []) types.add(option.value);
  }
  return types;
}

export function parseTimelineParams(params: URLSearchParams, sources: readonly TimelineSource[], cursorSecret?: string): TimelineParams {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (!(TIMELINE_PARAMS as readonly string[]).includes(name)) errors.push({ path: `/${name}`, message: `unknown parameter; known: ${TIMELINE_PARAMS.join(', ')}` });
    else if (seen.has(name)) errors.push({ path: `/${name}`, message: 'must be given once' });
    seen.add(name);
  }
  const out: TimelineParams = { limit: DEFAULT_TIMELINE_LIMIT };
  const type = params.get('type')?.trim();
  if (type) {
    const known = knownTypes(sources);
    const types = [...new Set(type.split(',').map((t) => t.trim()).filter(Boolean))];
    const unknown = types.filter((t) => !known.has(t));
    if (unknown.length > 0) errors.push({ path: '/type', message: `unknown type(s) ${unknown.join(', ')}; known: ${[...known].join(', ')}` });
    out.types = types;
  }
  const actor = params.get('actor')?.trim();
  if (actor) {
    if (/^[0-9a-f]{24}$/i.test(actor)) out.actor = new ObjectId(actor);
    else errors.push({ path: '/actor', message: 'must be a user id' });
  }
  const limit = params.get('limit')?.trim();
  if (limit) {
    const n = /^\d{1,4}$/.test(limit) ? Number(limit) : NaN;
    if (n >= 1 && n <= MAX_TIMELINE_LIMIT) out.limit = n;
    else errors.push({ path: '/limit', message: `must be an integer from 1 to ${MAX_TIMELINE_LIMIT}` });
  }
  const cursor = params.get('cursor')?.trim();
  if (cursor) {
    try {
      const [at, entity, id] = decodeCursor(cursor, TIMELINE_SORT, { secret: cursorSecret });
      if (at instanceof Date && typeof entity === 'string' && id instanceof ObjectId) out.after = { at, entity, id };
      else errors.push({ path: '/cursor', message: 'is malformed' });
    } catch (error) {
      if (!isAppError(error)) throw error;
      errors.push(...(error.errors.length > 0 ? error.errors : [{ path: '/cursor', message: error.message }]));
    }
  }
  if (errors.length > 0) throw queryInvalid('The timeline parameters are invalid', errors);
  return out;
}

/**
 * Opaque keyset cursors. A cursor holds the last item's sort-key values (with
 * their BSON types) and the sort it was made for; the next page is "strictly
 * after" those values in MongoDB sort order, so inserts and deletes between
 * pages never shift, repeat or skip items the way an offset does.
 *
 * Tokens are `base64url(payload).base64url(mac)`. The MAC (HMAC-SHA256,
 * truncated) makes edited tokens a 400; pass a deployment secret to also make
 * them unforgeable. Either way a token only ever yields typed values, never
 * operators, so a forged one can reposition a page but not widen a query.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Decimal128, ObjectId } from 'mongodb';
import { queryInvalid } from '../shared/errors.ts';
import type { MongoFilter } from './parse-filter.ts';

export type SortDirection = 1 | -1;
export interface SortKey {
  field: string;
  direction: SortDirection;
}
/** Ordered sort keys; the list-params parser always ends it with `_id`. */
export type SortSpec = readonly SortKey[];
/** A sort-key value as stored; null stands for null and missing alike (MongoDB sorts them together). */
export type CursorValue = null | string | number | boolean | Date | ObjectId | Decimal128;

export interface CursorOptions {
  /** HMAC key; without one the MAC is only a checksum. */
  secret?: string;
}

const DEFAULT_SECRET = 'relata-cursor-v1';
const MAC_BYTES = 12;
export const MAX_CURSOR_LENGTH = 8192;

type Tagged = null | ['s', string] | ['n', number] | ['b', boolean] | ['d', number] | ['o', string] | ['m', string];

/** `-rating,name,_id`: the canonical text of a sort, also what a cursor is bound to. */
export function sortToString(sort: SortSpec): string {
  return sort.map((k) => (k.direction === -1 ? '-' : '') + k.field).join(',');
}

/** The sort as a MongoDB sort document (key order is the sort order). */
export function toMongoSort(sort: SortSpec): Record<string, SortDirection> {
  const out: Record<string, SortDirection> = {};
  for (const k of sort) out[k.field] = k.direction;
  return out;
}

function tag(value: unknown, field: string): Tagged {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return ['s', value];
  if (typeof value === 'number' && Number.isFinite(value)) return ['n', value];
  if (typeof value === 'boolean') return ['b', value];
  if (value instanceof Date && !Number.isNaN(value.getTime())) return ['d', value.getTime()];
  if (value instanceof ObjectId) return ['o', value.toHexString()];
  if (value instanceof Decimal128) return ['m', value.toString()];
  // Arrays, objects, NaN, Long …: not sortable values; the field map keeps such fields out of sorts.
  throw new Error(`Cannot build a cursor from the value of "${field}"`);
}

function untag(t: unknown): CursorValue | undefined {
  if (t === null) return null;
  if (!Array.isArray(t) || t.length !== 2) return undefined;
  const [kind, v] = t as [unknown, unknown];
  if (kind === 's' && typeof v === 'string') return v;
  if (kind === 'n' && typeof v === 'number' && Number.isFinite(v)) return v;
  if (kind === 'b' && typeof v === 'boolean') return v;
  if (kind === 'd' && typeof v === 'number' && Number.isFinite(v) && !Number.isNaN(new Date(v).getTime())) return new Date(v);
  if (kind === 'o' && typeof v === 'string' && /^[0-9a-f]{24}$/.test(v)) return ObjectId.createFromHexString(v);
  if (kind === 'm' && typeof v === 'string' && /^-?\d+(\.\d+)?(E[+-]\d+)?$/i.test(v)) {
    try {
      return Decimal128.fromString(v);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const mac = (payload: string, options: CursorOptions) =>
  createHmac('sha256', options.secret ?? DEFAULT_SECRET).update(payload).digest().subarray(0, MAC_BYTES);

/** The sort-key values of `record` (a nested path is read with dots). */
export function cursorValuesOf(record: Record<string, unknown>, sort: SortSpec): CursorValue[] {
  return sort.map((k) => {
    let v: unknown = record;
    for (const part of k.field.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
    tag(v, k.field); // refuses values a cursor cannot carry
    return v === undefined ? null : (v as CursorValue);
  });
}

export function encodeCursor(sort: SortSpec, values: readonly CursorValue[], options: CursorOptions = {}): string {
  if (values.length !== sort.length) throw new Error('A cursor needs one value per sort key');
  const payload = Buffer.from(JSON.stringify({ s: sortToString(sort), k: values.map((v, i) => tag(v, sort[i].field)) })).toString('base64url');
  return `${payload}.${mac(payload, options).toString('base64url')}`;
}

/** The cursor for the page after `record` (the last item of the current page). */
export function nextCursor(record: Record<string, unknown>, sort: SortSpec, options: CursorOptions = {}): string {
  return encodeCursor(sort, cursorValuesOf(record, sort), options);
}

const invalid = (message: string) => queryInvalid(`The cursor ${message}`, [{ path: '/cursor', message }]);

/** The values in `token`, checked for integrity and for being made for `sort`; any problem is a 400. */
export function decodeCursor(token: string, sort: SortSpec, options: CursorOptions = {}): CursorValue[] {
  if (token.length > MAX_CURSOR_LENGTH) throw invalid('is too long');
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
  if (!match) throw invalid('is malformed');
  const [, payload, sig] = match;
  // Compare the text, not decoded bytes: base64url decoding ignores stray trailing characters.
  const expected = Buffer.from(mac(payload, options).toString('base64url'));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('is damaged or was not issued by this server');
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid('is malformed');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('is malformed');
  const { s, k } = body as { s?: unknown; k?: unknown };
  if (s !== sortToString(sort)) throw invalid('was made for a different sort; start again without a cursor');
  if (!Array.isArray(k) || k.length !== sort.length) throw invalid('is malformed');
  const values = k.map(untag);
  if (values.some((v) => v === undefined)) throw invalid('is malformed');
  return values as CursorValue[];
}

/** `field` strictly after `value` in the key's direction (null/missing sort first ascending). */
function after(key: SortKey, value: CursorValue): MongoFilter | undefined {
  if (key.direction === 1) return { [key.field]: value === null ? { $ne: null } : { $gt: value } };
  // Descending: smaller values, then null/missing last; nothing comes after null.
  if (value === null) return undefined;
  return { $or: [{ [key.field]: { $lt: value } }, { [key.field]: null }] };
}

/**
 * A bound on the first sort key implied by every keyset term. It changes no
 * result, but gives the planner an index range on that key instead of
 * leaving it to plan each `$or` branch.
 */
function leadingBound(key: SortKey, value: CursorValue): unknown {
  if (key.direction === 1) return value === null ? undefined : { $gte: value };
  return value === null ? null : { $not: { $gt: value } };
}

/**
 * The keyset condition selecting the records strictly after `values` in
 * `sort`: OR over i of (keys before i equal, key i after). The last key must
 * be unique (`_id`) for "strictly after" to be a total order.
 */
export function cursorFilter(sort: SortSpec, values: readonly CursorValue[]): MongoFilter {
  if (values.length !== sort.length) throw new Error('A cursor needs one value per sort key');
  const terms: MongoFilter[] = [];
  sort.forEach((key, i) => {
    const tail = after(key, values[i]);
    if (!tail) return;
    const term: MongoFilter = {};
    for (let j = 0; j < i; j++) term[sort[j].field] = values[j];
    terms.push({ ...term, ...tail });
  });
  // No term: the cursor sits after the very last possible position.
  if (terms.length === 0) return { _id: { $in: [] } };
  if (terms.length === 1) return terms[0];
  const bound = leadingBound(sort[0], values[0]);
  return bound === undefined ? { $or: terms } : { [sort[0].field]: bound, $or: terms };
}

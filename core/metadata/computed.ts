/**
 * Computed fields are evaluated ON WRITE and stored with the record.
 *
 * Why on write: a stored value can be filtered, sorted, indexed and searched
 * by the database like any other field; evaluated on read, a computed field
 * could be shown but never used in a list filter, a sort, a saved segment or
 * a permission filter, and every read would pay for it. The cost is keeping
 * stored values current: the record service calls `computeFields` on every
 * create and update (after defaults and the client's changes are merged, so
 * the expression sees the whole record), and when an administrator changes
 * an expression, `fieldsToRecompute` names the fields a background pass must
 * recompute over the existing records. Computed fields read only fields of
 * the same record, so no other write can make them stale.
 *
 * Clients never write computed fields (the compiled schemas leave them out).
 * Values come back in their JSON form per result type: money as a decimal
 * string with the field's scale, date as YYYY-MM-DD, datetime as ISO 8601,
 * integer rounded to the nearest whole number. A value that cannot be
 * computed or does not fit the result type is stored as null and reported.
 */
import jsonLogic from 'json-logic-js';
import type { FieldError } from '../shared/errors.ts';
import { evaluateLogic } from '../logic/evaluate-logic.ts';
import { toLogicData } from '../logic/logic-data.ts';
import { computedDependencies, computedOrder } from './entity-graph.ts';
import { DEFAULT_MONEY_SCALE } from './decimal.ts';
import type { ComputedResultType, EntityDefinition, FieldDefinition } from './types.ts';

export interface ComputedValues {
  /** every live computed field of the entity → its value (null when it could not be computed) */
  values: Record<string, unknown>;
  /** why a value could not be computed, at `/<field>` */
  errors: FieldError[];
}

/** Evaluates the entity's computed fields over `record` (stored or JSON form), in dependency order. */
export function computeFields(def: EntityDefinition, record: Readonly<Record<string, unknown>>): ComputedValues {
  const input = logicInput(def, record);
  const values: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const field of computedOrder(def)) {
    const result = evaluateLogic(field.expression, input);
    let value: unknown = null;
    if (!result.ok) {
      errors.push(...result.errors.map((e) => ({ path: `/${field.name}`, message: e.message })));
    } else {
      const coerced = coerce(field, result.value);
      if (coerced.ok) value = coerced.value;
      else errors.push({ path: `/${field.name}`, message: coerced.message });
    }
    values[field.name] = value;
    input[field.name] = value; // later computed fields read this value
  }
  return { values, errors };
}

/** The record as json-logic sees it: plain JSON, each field in the form its type is written in. */
function logicInput(def: EntityDefinition, record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const plain = toLogicData(record).value;
  const input: Record<string, unknown> = plain && typeof plain === 'object' && !Array.isArray(plain) ? { ...(plain as Record<string, unknown>) } : {};
  for (const field of def.fields) {
    const value = input[field.name];
    if (value === undefined || value === null) continue;
    // money travels as a decimal string: arithmetic and comparison need a number
    if (field.type === 'money' && typeof value === 'string') input[field.name] = Number(value);
    // a stored date is a Date at UTC midnight: read it as the YYYY-MM-DD it was written as
    if (field.type === 'date' && typeof value === 'string') input[field.name] = value.slice(0, 10);
  }
  return input;
}

type Coerced = { ok: true; value: unknown } | { ok: false; message: string };
const describe = (value: unknown): string => (typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value)).slice(0, 100));
const fail = (type: string, value: unknown): Coerced => ({ ok: false, message: `the expression gave ${describe(value)}, which is not a valid ${type}` });

const COERCE: Record<ComputedResultType, (value: unknown, field: FieldDefinition) => Coerced> = {
  text: asString,
  longtext: asString,
  email: asString,
  phone: asString,
  url: asString,
  enum: (v, f) => (typeof v === 'string' && (f.options ?? []).some((o) => o.value === v) ? { ok: true, value: v } : fail('option', v)),
  boolean: (v) => ({ ok: true, value: jsonLogic.truthy(v) }),
  number: (v) => (typeof v === 'number' && Number.isFinite(v) ? { ok: true, value: v } : fail('number', v)),
  integer: (v) => (typeof v === 'number' && Number.isFinite(v) ? { ok: true, value: Math.round(v) } : fail('integer', v)),
  money: (v, f) => {
    const n = typeof v === 'string' ? Number(v) : v;
    return typeof n === 'number' && Number.isFinite(n) ? { ok: true, value: n.toFixed(f.scale ?? DEFAULT_MONEY_SCALE) } : fail('amount', v);
  },
  date: (v) => {
    const d = toDate(v);
    return d ? { ok: true, value: d.toISOString().slice(0, 10) } : fail('date', v);
  },
  datetime: (v) => {
    const d = toDate(v);
    return d ? { ok: true, value: d.toISOString() } : fail('date-time', v);
  },
};

function asString(value: unknown): Coerced {
  if (typeof value === 'string') return { ok: true, value };
  if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value: String(value) };
  return fail('text', value);
}

function toDate(value: unknown): Date | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function coerce(field: FieldDefinition, value: unknown): Coerced {
  if (value === null || value === undefined) return { ok: true, value: null };
  if (!field.resultType) return { ok: false, message: 'the field has no result type' };
  return COERCE[field.resultType](value, field);
}

/**
 * Computed fields whose stored values are stale after the entity changed from
 * `before` to `after`: new ones, ones whose expression or result options
 * changed, and every computed field that reads one of those.
 */
export function fieldsToRecompute(before: EntityDefinition, after: EntityDefinition): string[] {
  const old = new Map(before.fields.map((f) => [f.name, f]));
  const stale = new Set<string>();
  const ordered = computedOrder(after);
  for (const field of ordered) {
    const prev = old.get(field.name);
    const isChanged =
      !prev || prev.type !== 'computed' || prev.retired || JSON.stringify([prev.expression, prev.resultType, prev.scale, prev.options]) !== JSON.stringify([field.expression, field.resultType, field.scale, field.options]);
    if (isChanged || computedDependencies(field).some((dep) => stale.has(dep))) stale.add(field.name);
  }
  return ordered.filter((f) => stale.has(f.name)).map((f) => f.name);
}

/**
 * Which query operators exist in the filter language and which field types
 * each one applies to. Everything not listed here is refused by name.
 */
import { STRING_TYPES, type QueryType } from './field-map.ts';

/** What a condition is applied to: a field, a json sub-path, or one array element. */
export interface Target {
  type: QueryType;
  isArray: boolean;
}

export const targetOf = (type: QueryType): Target => ({ type, isArray: type === 'multienum' || type === 'references' });

/** Field-level operators, by the kind of field they make sense on. */
const OPERATOR_RULES: Record<string, (t: Target) => string | undefined> = {
  $eq: () => undefined,
  $ne: () => undefined,
  $in: () => undefined,
  $nin: () => undefined,
  $exists: () => undefined,
  $not: () => undefined,
  $gt: ordered,
  $gte: ordered,
  $lt: ordered,
  $lte: ordered,
  $regex: (t) => (STRING_TYPES.has(t.type) || t.type === 'json' ? undefined : `$regex applies only to text fields, not ${t.type}`),
  $options: () => undefined,
  $all: arrayOnly,
  $size: arrayOnly,
  $elemMatch: arrayOnly,
};

function ordered(t: Target): string | undefined {
  if (t.isArray) return `comparisons apply to single values, not to ${t.type} arrays; use $elemMatch`;
  if (t.type === 'boolean') return 'comparisons do not apply to booleans';
  return undefined;
}

function arrayOnly(t: Target): string | undefined {
  return t.isArray ? undefined : `applies only to multienum and references fields, not ${t.type}`;
}

/** MongoDB operators refused with a reason of their own (server-side code, full scans, joins). */
const FORBIDDEN: ReadonlySet<string> = new Set([
  '$where',
  '$expr',
  '$function',
  '$accumulator',
  '$text',
  '$jsonSchema',
  '$lookup',
  '$mod',
  '$type',
  '$bitsAllSet',
  '$bitsAnySet',
  '$bitsAllClear',
  '$bitsAnyClear',
  '$geoWithin',
  '$geoIntersects',
  '$near',
  '$nearSphere',
  '$comment',
  '$sampleRate',
]);

/**
 * Why `op` may not be used on `target`, or undefined when it may. With no
 * target (a `$` key where a field name belongs) known field operators pass,
 * so the caller can explain where they go.
 */
export function checkOperator(op: string, target: Target | undefined): string | undefined {
  if (FORBIDDEN.has(op)) return `${op} is not allowed`;
  if (target && (op === '$and' || op === '$or' || op === '$nor')) return `${op} belongs at the level of fields, not under a field`;
  const rule = Object.hasOwn(OPERATOR_RULES, op) ? OPERATOR_RULES[op] : undefined;
  if (!rule) return `unknown operator ${op}`;
  return target ? rule(target) : undefined;
}

/** A JSON object (not an array, not null, not a class instance). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

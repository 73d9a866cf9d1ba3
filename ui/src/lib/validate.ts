/**
 * A small interpreter for the subset of JSON Schema that the server's
 * schema compiler emits (core/metadata/compile-schema.ts), so forms are
 * checked in the browser with the very schema the API enforces, without
 * shipping Ajv (~40 KB gzipped, and it compiles code at run time).
 * Keywords: type (incl. ["x","null"]), enum, minLength, maxLength, pattern,
 * format (email, uri, date, date-time, and the Russian registration numbers
 * inn, kpp, ogrn with the server's own check and message), minimum, maximum,
 * items, uniqueItems, maxItems, properties, required, additionalProperties:false and the money
 * bounds x-decimal-minimum / x-decimal-maximum. Annotations are ignored;
 * an unknown keyword is ignored too (the server still checks).
 * Errors carry JSON Pointer paths like the server's 400 `errors[].path`.
 */
import { compareDecimal, numberToDecimal } from '../../../core/metadata/decimal.ts';
import { isRussianIdFormat, isValidRussianId, russianIdMessage } from '../../../core/metadata/russian-ids.ts';
import type { FieldError } from './api.ts';

export type JsonSchema = { [keyword: string]: unknown };

const FORMATS: Record<string, (value: string) => boolean> = {
  email: (v) => /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i.test(v),
  uri: (v) => {
    try {
      return new URL(v).protocol.length > 1;
    } catch {
      return false;
    }
  },
  date: (v) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
    if (!m) return false;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    return mo >= 1 && mo <= 12 && d >= 1 && d <= days[mo - 1]!;
  },
  'date-time': (v) => {
    const m = /^(\d{4}-\d{2}-\d{2})[tT\s]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([zZ]|[+-]\d{2}(:?\d{2})?)$/.exec(v);
    return m !== null && FORMATS.date!(m[1]!);
  },
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(value: unknown, wanted: string): boolean {
  const actual = typeOf(value);
  return actual === wanted || (wanted === 'number' && actual === 'integer');
}

const patternCache = new Map<string, RegExp>();
function regex(source: string): RegExp {
  let re = patternCache.get(source);
  if (!re) patternCache.set(source, (re = new RegExp(source, 'u')));
  return re;
}

export function validate(schema: JsonSchema, value: unknown, path = ''): FieldError[] {
  const errors: FieldError[] = [];
  const fail = (message: string, at = path) => errors.push({ path: at, message });

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((type) => hasType(value, type))) {
      fail(`must be ${types.join(',')}`);
      return errors;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => option === value)) fail('must be equal to one of the allowed values');

  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) fail(`must NOT have more than ${schema.maxLength} characters`);
    if (typeof schema.minLength === 'number' && length < schema.minLength) fail(`must NOT have fewer than ${schema.minLength} characters`);
    if (typeof schema.pattern === 'string' && !regex(schema.pattern).test(value)) fail(`must match pattern "${schema.pattern}"`);
    const format = schema.format;
    if (typeof format === 'string' && isRussianIdFormat(format)) {
      if (!isValidRussianId(format, value)) fail(russianIdMessage(format, value));
    } else if (typeof format === 'string' && FORMATS[format] && !FORMATS[format]!(value)) fail(`must match format "${format}"`);
    for (const [keyword, isMinimum] of [['x-decimal-minimum', true], ['x-decimal-maximum', false]] as const) {
      const bound = schema[keyword];
      if (typeof bound !== 'number') continue;
      const limit = numberToDecimal(bound);
      const order = limit === undefined ? undefined : compareDecimal(value, limit);
      if (order !== undefined && (isMinimum ? order < 0 : order > 0)) fail(isMinimum ? `must be >= ${bound}` : `must be <= ${bound}`);
    }
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) fail(`must be >= ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) fail(`must be <= ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) fail(`must NOT have more than ${schema.maxItems} items`);
    if (schema.uniqueItems === true && new Set(value.map((item) => JSON.stringify(item))).size !== value.length) fail('must NOT have duplicate items');
    if (typeof schema.items === 'object' && schema.items !== null) {
      value.forEach((item, index) => errors.push(...validate(schema.items as JsonSchema, item, `${path}/${index}`)));
    }
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const name of (schema.required ?? []) as string[]) {
      if (object[name] === undefined) fail('is required', `${path}/${name}`);
    }
    for (const [name, item] of Object.entries(object)) {
      if (item === undefined) continue;
      const property = properties[name];
      if (property) errors.push(...validate(property, item, `${path}/${name}`));
      else if (schema.additionalProperties === false) fail('is not a field of this entity', `${path}/${name}`);
    }
  }
  return errors;
}

/**
 * The `filter` list parameter: a whitelisted subset of MongoDB query syntax
 * over an entity's known fields, rebuilt (never passed through) with every
 * value coerced to its field's type. Anything outside the subset is a 400
 * with JSON-Pointer paths into the filter; nothing reaches the database.
 */
import { queryInvalid } from '../shared/errors.ts';
import type { FieldError } from '../shared/errors.ts';
import type { FieldMap } from './field-map.ts';
import { MAX_FILTER_DEPTH, MAX_FILTER_NODES, MAX_LIST_LENGTH, rawFilterProblem } from './filter-limits.ts';
import { checkOperator, isPlainObject, targetOf, type Target } from './filter-operators.ts';
import { coerceScalar, elementType } from './coerce.ts';
import { regexProblem } from './regex-guard.ts';

export type MongoFilter = Record<string, unknown>;

const MAX_ERRORS = 20;
const LOGICAL = new Set(['$and', '$or', '$nor']);
/** Keys that would reach an object's prototype machinery if ever used as property names. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Thrown inside the walk to stop at once (too many errors or nodes); never escapes this module. */
class Abort extends Error {}

const pointer = (base: string, key: string | number) => `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

class Walker {
  readonly errors: FieldError[] = [];
  private nodes = 0;

  constructor(private readonly fieldMap: FieldMap) {}

  error(path: string, message: string): undefined {
    this.errors.push({ path, message });
    if (this.errors.length >= MAX_ERRORS) throw new Abort();
    return undefined;
  }

  private countNode(path: string): void {
    if (++this.nodes > MAX_FILTER_NODES) {
      this.error(path, `the filter has more than ${MAX_FILTER_NODES} conditions and operators`);
      throw new Abort();
    }
  }

  private tooDeep(path: string, depth: number): boolean {
    if (depth <= MAX_FILTER_DEPTH) return false;
    this.error(path, `must not nest deeper than ${MAX_FILTER_DEPTH} levels`);
    return true;
  }

  /** A query document: `{ field: condition, $and: [...], ... }` at JSON depth `depth`. */
  clause(value: unknown, path: string, depth: number): MongoFilter | undefined {
    if (this.tooDeep(path, depth)) return undefined;
    if (!isPlainObject(value)) return this.error(path, 'must be an object of conditions');
    const out: MongoFilter = {};
    for (const [key, inner] of Object.entries(value)) {
      const at = pointer(path, key);
      this.countNode(at);
      if (RESERVED_KEYS.has(key)) {
        this.error(at, `"${key}" is a reserved name`);
      } else if (LOGICAL.has(key)) {
        const branches = this.branches(inner, at, depth + 1);
        if (branches) out[key] = branches;
      } else if (key.startsWith('$')) {
        const problem = checkOperator(key, undefined);
        this.error(at, problem ?? `${key} belongs under a field, e.g. {"field": {"${key}": …}}`);
      } else {
        const target = this.resolve(key, at);
        if (target) {
          const condition = this.condition(target, inner, at, depth + 1);
          if (condition !== undefined) out[key] = condition;
        }
      }
    }
    return out;
  }

  private branches(value: unknown, path: string, depth: number): MongoFilter[] | undefined {
    if (this.tooDeep(path, depth)) return undefined;
    if (!Array.isArray(value) || value.length === 0) return this.error(path, 'must be a non-empty array of conditions');
    if (value.length > MAX_LIST_LENGTH) return this.error(path, `must have at most ${MAX_LIST_LENGTH} entries`);
    const out: MongoFilter[] = [];
    value.forEach((branch, i) => {
      const parsed = this.clause(branch, pointer(path, i), depth + 1);
      if (parsed) out.push(parsed);
    });
    return out.length === value.length ? out : undefined;
  }

  /** A field name, or a dotted path into a `json` field (`address.city`). */
  private resolve(key: string, path: string): Target | undefined {
    const segments = key.split('.');
    const reserved = segments.find((s) => RESERVED_KEYS.has(s));
    if (reserved) return this.error(path, `"${reserved}" is a reserved name`);
    const field = this.fieldMap.get(segments[0]);
    if (!field) return this.error(path, `unknown field "${segments[0]}"`);
    if (segments.length === 1) return targetOf(field.type);
    if (field.type !== 'json') return this.error(path, `"${field.name}" has no sub-fields; dotted paths go only into json fields`);
    if (segments.length > 6 || !segments.slice(1).every((s) => /^[A-Za-z0-9_-]{1,64}$/.test(s))) {
      return this.error(path, 'a json path is up to 5 names of letters, digits, "_" or "-"');
    }
    return targetOf('json');
  }

  /** What follows a field name: a plain value (implicit $eq) or an operator object. */
  private condition(target: Target, value: unknown, path: string, depth: number): unknown {
    if (isPlainObject(value)) return this.operators(target, value, path, depth);
    return this.equalityValue(target, value, path, depth, true);
  }

  /** `{ $gte: 4, $lt: 9 }` for one field (or one array element, inside $elemMatch). */
  private operators(target: Target, ops: Record<string, unknown>, path: string, depth: number): MongoFilter | undefined {
    if (this.tooDeep(path, depth)) return undefined;
    const keys = Object.keys(ops);
    if (keys.length === 0) return this.error(path, 'must not be an empty object');
    if (!keys.every((k) => k.startsWith('$'))) {
      return this.error(path, 'an object is not a value here; use operators such as {"$eq": …}');
    }
    const out: MongoFilter = {};
    for (const op of keys) {
      const at = pointer(path, op);
      this.countNode(at);
      const problem = checkOperator(op, target);
      if (problem) {
        this.error(at, problem);
        continue;
      }
      const value = this.operand(target, op, ops[op], ops, at, depth);
      if (value !== undefined) out[op] = value;
    }
    return out;
  }

  private operand(target: Target, op: string, value: unknown, ops: Record<string, unknown>, path: string, depth: number): unknown {
    switch (op) {
      case '$eq':
      case '$ne':
        return this.equalityValue(target, value, path, depth + 1, true);
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        return this.scalar(target, value, path);
      case '$in':
      case '$nin':
        return this.list(value, path, depth + 1, false, (v, at) => this.equalityValue(target, v, at, depth + 2, false));
      case '$all':
        return this.list(value, path, depth + 1, true, (v, at) => this.scalar(target, v, at));
      case '$exists':
        return typeof value === 'boolean' ? value : this.error(path, 'must be true or false');
      case '$size':
        return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : this.error(path, 'must be a non-negative integer');
      case '$not':
        return isPlainObject(value) ? this.operators(target, value, path, depth + 1) : this.error(path, 'must be an object of operators');
      case '$elemMatch': {
        if (!isPlainObject(value)) return this.error(path, 'must be an object of operators');
        return this.operators(targetOf(elementType(target.type)), value, path, depth + 1);
      }
      case '$regex': {
        const problem = regexProblem(value, ops.$options);
        return problem ? this.error(path, problem) : value;
      }
      case '$options':
        if (!('$regex' in ops)) return this.error(path, '$options is only allowed next to $regex');
        return ops.$options === 'i' ? 'i' : undefined; // other values were reported under $regex
      default:
        return this.error(path, `${op} is not supported`);
    }
  }

  private list(value: unknown, path: string, depth: number, isNonEmpty: boolean, each: (v: unknown, at: string) => unknown): unknown[] | undefined {
    if (!Array.isArray(value)) return this.error(path, 'must be an array of values');
    if (this.tooDeep(path, depth)) return undefined;
    if (isNonEmpty && value.length === 0) return this.error(path, 'must not be empty');
    if (value.length > MAX_LIST_LENGTH) return this.error(path, `must have at most ${MAX_LIST_LENGTH} values`);
    const out: unknown[] = [];
    const errorsBefore = this.errors.length;
    value.forEach((v, i) => out.push(each(v, pointer(path, i))));
    return this.errors.length === errorsBefore ? out : undefined;
  }

  /** One non-null value of the field's (element) type. */
  private scalar(target: Target, value: unknown, path: string): unknown {
    if (isPlainObject(value) || Array.isArray(value)) return this.error(path, 'must be a plain value, not an object or array');
    if (value === null) return this.error(path, 'must not be null');
    const coerced = coerceScalar(elementType(target.type), value);
    return coerced.ok ? coerced.value : this.error(path, coerced.message);
  }

  /**
   * A value compared for equality: null (null or missing), a scalar, or, for
   * array fields and where `isWholeArrayAllowed`, an array of element values
   * (exact match of the whole array).
   */
  private equalityValue(target: Target, value: unknown, path: string, depth: number, isWholeArrayAllowed: boolean): unknown {
    if (value === null) return null;
    if (Array.isArray(value) && target.isArray && isWholeArrayAllowed) {
      return this.list(value, path, depth, false, (v, at) => this.scalar(target, v, at));
    }
    return this.scalar(target, value, path);
  }
}

/** Validates and rebuilds an already-parsed filter (saved views, permission filters). */
export function parseFilterValue(value: unknown, fieldMap: FieldMap): MongoFilter {
  const walker = new Walker(fieldMap);
  let out: MongoFilter | undefined;
  try {
    out = walker.clause(value, '', 1);
  } catch (e) {
    if (!(e instanceof Abort)) throw e;
  }
  if (walker.errors.length > 0 || !out) throw queryInvalid('The filter is invalid', walker.errors);
  return out;
}

/** Parses the `filter` parameter; absent or blank means no condition (`{}`). */
export function parseFilter(raw: string | undefined, fieldMap: FieldMap): MongoFilter {
  if (raw === undefined || raw.trim() === '') return {};
  const problem = rawFilterProblem(raw);
  if (problem) throw queryInvalid(`The filter ${problem}`, [{ path: '', message: problem }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw queryInvalid('The filter is not valid JSON', [{ path: '', message: 'must be valid JSON' }]);
  }
  return parseFilterValue(parsed, fieldMap);
}

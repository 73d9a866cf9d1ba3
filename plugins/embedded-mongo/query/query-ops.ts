/**
 * Query operators registered into mingo's Context in place of mingo's own, so that
 * comparisons follow BSON semantics: numbers compare across int/long/double/decimal,
 * objects compare in field order, and ObjectId/Date/… order as in MongoDB.
 */
import type { Options } from 'mingo/types';
import { CommandError } from '../errors.ts';
import { compareValues, keyOf, sameBracket, valuesEqual } from '../bson/compare.ts';
import { bsonType, isNumeric, toDec, toNumber, TYPE_NUMBERS, type BsonTypeName } from '../bson/types.ts';
import { candidatesAt } from './field-path.ts';

type Predicate = (doc: Record<string, unknown>) => boolean;
type QueryOp = (selector: string, value: unknown, options: Options) => Predicate;

function isRegex(v: unknown): boolean {
  return bsonType(v) === 'regex';
}

function regexTest(re: unknown, s: unknown): boolean {
  if (typeof s !== 'string') return false;
  const r = re instanceof RegExp ? re : new RegExp((re as { pattern: string }).pattern, (re as { options: string }).options.replace(/[^imsu]/g, ''));
  r.lastIndex = 0;
  return r.test(s);
}

/** Integer part of a numeric value, exact for Int64 and Decimal128. */
function truncToBigInt(v: unknown): bigint {
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  const d = toDec(v);
  if (d.kind !== 'num') return 0n;
  return d.exp >= 0 ? d.coef * 10n ** BigInt(d.exp) : d.coef / 10n ** BigInt(-d.exp);
}

/** Bit tests on integral numeric fields; the mask is a number or a list of bit positions. */
function bitOp(name: string, test: (value: bigint, mask: bigint) => boolean): QueryOp {
  return (selector, spec) => {
    let mask = 0n;
    if (Array.isArray(spec)) {
      for (const p of spec) {
        if (!isNumeric(p) || toNumber(p) < 0 || !Number.isInteger(toNumber(p))) throw new CommandError(2, `bit positions must be non-negative integers in ${name}`);
        mask |= 1n << BigInt(toNumber(p));
      }
    } else if (isNumeric(spec) && Number.isInteger(toNumber(spec)) && toNumber(spec) >= 0) mask = truncToBigInt(spec);
    else throw new CommandError(2, `${name} takes an Array, a number, or a BinData but received: ${bsonType(spec)}`);
    const width = 64n;
    return anyCandidate(selector, (c) => {
      if (!isNumeric(c) || !Number.isInteger(toNumber(c))) return false;
      // Two's complement over 64 bits, as MongoDB evaluates negative values.
      const v = BigInt.asUintN(Number(width), truncToBigInt(c));
      return test(v, mask);
    });
  };
}

/** Equality as a query sees it: null also matches missing. */
function eqCandidate(c: unknown, v: unknown): boolean {
  if (v === null) return c === null || c === undefined;
  if (c === undefined) return false;
  return valuesEqual(c, v);
}

/**
 * Builds a predicate true when any candidate value at the path satisfies `test`.
 * Top-level scalar fields (the common case) skip the general traversal and its allocations.
 */
function anyCandidate(selector: string, test: (c: unknown) => boolean, expandTerminal = true): Predicate {
  if (selector.includes('.')) return (doc) => candidatesAt(doc, selector, expandTerminal).some(test);
  return (doc) => {
    const v = Object.prototype.hasOwnProperty.call(doc, selector) ? doc[selector] : undefined;
    if (!Array.isArray(v)) return test(v);
    if (test(v)) return true;
    if (expandTerminal) for (const el of v) if (test(el)) return true;
    return false;
  };
}

const makeEq = (selector: string, value: unknown): Predicate => anyCandidate(selector, (c) => eqCandidate(c, value));

function rangeOp(test: (c: number) => boolean): QueryOp {
  return (selector, value) => {
    if (isRegex(value)) throw new CommandError(2, `Can't have RegEx as arg to predicate over field '${selector}'.`);
    if (typeof value === 'number' && !Number.isNaN(value)) {
      return anyCandidate(selector, (c) =>
        typeof c === 'number' ? !Number.isNaN(c) && test(c < value ? -1 : c > value ? 1 : 0) : c !== undefined && isNumeric(c) && test(compareValues(c, value)));
    }
    const rhsType = bsonType(value);
    if (rhsType === 'minKey' || rhsType === 'maxKey') {
      // MinKey/MaxKey bounds are not type-bracketed: every other value (missing too) lies between them.
      const sign = rhsType === 'minKey' ? 1 : -1;
      return anyCandidate(selector, (c) => test(c !== undefined && bsonType(c) === rhsType ? 0 : sign));
    }
    return anyCandidate(selector, (c) => {
      if (c === undefined) return value === null && test(0);
      return sameBracket(c, value) && test(compareValues(c, value));
    });
  };
}

function inPredicate(selector: string, value: unknown, op: string): Predicate {
  if (!Array.isArray(value)) throw new CommandError(2, `${op} needs an array`);
  const keys = new Set<string>();
  const regexes: unknown[] = [];
  let hasNull = false;
  for (const v of value) {
    if (isRegex(v)) regexes.push(v);
    else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).some((k) => k.startsWith('$'))) {
      throw new CommandError(2, `cannot nest $ under ${op}`);
    } else {
      keys.add(keyOf(v));
      if (v === null) hasNull = true;
    }
  }
  return anyCandidate(selector, (c) => {
    if (c === undefined) return hasNull;
    if (keys.has(keyOf(c))) return true;
    for (const re of regexes) if (regexTest(re, c) || (isRegex(c) && valuesEqual(c, re))) return true;
    return false;
  });
}

const TYPE_ALIASES: Record<string, BsonTypeName[] | 'number'> = { number: 'number' };

function typeMatcher(spec: unknown): (t: BsonTypeName) => boolean {
  const one = (s: unknown): ((t: BsonTypeName) => boolean) => {
    if (isNumeric(s)) {
      const name = TYPE_NUMBERS[String(s)];
      if (!name) throw new CommandError(2, `Invalid numerical type code: ${s}`);
      return (t) => t === name;
    }
    if (typeof s !== 'string') throw new CommandError(14, 'type must be represented as a number or a string');
    if (TYPE_ALIASES[s] === 'number') return (t) => t === 'int' || t === 'long' || t === 'double' || t === 'decimal';
    if (!Object.values(TYPE_NUMBERS).includes(s as BsonTypeName)) throw new CommandError(2, `Unknown type name alias: ${s}`);
    return (t) => t === s;
  };
  const list = (Array.isArray(spec) ? spec : [spec]).map(one);
  return (t) => list.some((f) => f(t));
}

/** The overriding operators; `elemMatch` is mingo's $elemMatch, used inside $all. */
export const queryOverrides = (elemMatch: QueryOp): Record<string, QueryOp> => ({
  $eq: (selector, value) => makeEq(selector, value),
  $ne: (selector, value) => {
    const eq = makeEq(selector, value);
    return (doc) => !eq(doc);
  },
  $gt: rangeOp((c) => c > 0),
  $gte: rangeOp((c) => c >= 0),
  $lt: rangeOp((c) => c < 0),
  $lte: rangeOp((c) => c <= 0),
  $in: (selector, value) => inPredicate(selector, value, '$in'),
  $nin: (selector, value) => {
    const p = inPredicate(selector, value, '$nin');
    return (doc) => !p(doc);
  },
  $exists: (selector, value) => {
    const want = !(value === false || value === 0 || value === null);
    const exists = anyCandidate(selector, (c) => c !== undefined, false);
    return (doc) => exists(doc) === want;
  },
  $type: (selector, value) => {
    const matches = typeMatcher(value);
    return anyCandidate(selector, (c) => c !== undefined && matches(bsonType(c)));
  },
  $mod: (selector, value) => {
    if (!Array.isArray(value) || value.length !== 2) {
      throw new CommandError(2, value instanceof Array && value.length < 2 ? 'malformed mod, not enough elements' : 'malformed mod, too many elements');
    }
    if (!isNumeric(value[0]) || !isNumeric(value[1])) throw new CommandError(2, 'malformed mod, divisor and remainder must be numbers');
    const d = truncToBigInt(value[0]);
    const r = truncToBigInt(value[1]);
    if (d === 0n) throw new CommandError(2, 'divisor cannot be 0');
    return anyCandidate(selector, (c) => {
      if (!isNumeric(c) || !Number.isFinite(toNumber(c))) return false;
      return truncToBigInt(c) % d === r;
    });
  },
  $size: (selector, value) => {
    if (!isNumeric(value)) throw new CommandError(2, '$size needs a number');
    const n = toNumber(value);
    return anyCandidate(selector, (c) => Array.isArray(c) && c.length === n, false);
  },
  $all: (selector, value, options) => {
    if (!Array.isArray(value)) throw new CommandError(2, '$all needs an array');
    if (value.length === 0) return () => false;
    const parts: Predicate[] = value.map((v) => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && '$elemMatch' in v) {
        return elemMatch(selector, (v as Record<string, unknown>).$elemMatch, options);
      }
      if (isRegex(v)) return anyCandidate(selector, (c) => regexTest(v, c));
      return makeEq(selector, v);
    });
    return (doc) => parts.every((p) => p(doc));
  },
  $bitsAllSet: bitOp('$bitsAllSet', (v, m) => (v & m) === m),
  $bitsAnySet: bitOp('$bitsAnySet', (v, m) => (v & m) !== 0n),
  $bitsAllClear: bitOp('$bitsAllClear', (v, m) => (v & m) === 0n),
  $bitsAnyClear: bitOp('$bitsAnyClear', (v, m) => (v & m) !== m),
  $where: () => {
    throw new CommandError(2, '$where is not allowed: server-side JavaScript is disabled');
  },
  $jsonSchema: () => {
    throw new CommandError(2, '$jsonSchema is not supported by the embedded engine');
  },
  $text: () => {
    throw new CommandError(2, '$text is not supported by the embedded engine (no text indexes)');
  },
});

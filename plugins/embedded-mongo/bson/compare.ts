/**
 * MongoDB's comparison order for BSON values, value equality, and a canonical key string
 * that is equal for exactly the values MongoDB treats as equal (5, 5.0, Long(5), Decimal128("5.00")).
 */
import type { Binary, BSONRegExp, ObjectId, Timestamp } from 'bson';
import { compareDec, decFromDoubleExact, decToCanonical, decToNumber, type Dec } from './decimal.ts';
import { bsonType, toDec, typeOrder, type BsonTypeName } from './types.ts';

type OidInternals = ObjectId & { i0?: unknown; i1?: number; i2?: number; i3?: number };

/**
 * The ObjectId's 12 bytes as four 24-bit big-endian words. bson 7 keeps them as fields
 * i0..i3; reading them avoids the Buffer that the public `id` getter allocates each call.
 * Falls back to `id` if the internals ever change.
 */
function oidWords(o: ObjectId): readonly [number, number, number, number] {
  const x = o as OidInternals;
  if (typeof x.i0 === 'number') return [x.i0, x.i1 as number, x.i2 as number, x.i3 as number];
  const b = o.id;
  return [(b[0] << 16) | (b[1] << 8) | b[2], (b[3] << 16) | (b[4] << 8) | b[5], (b[6] << 16) | (b[7] << 8) | b[8], (b[9] << 16) | (b[10] << 8) | b[11]];
}

function cmp<T extends string | number | bigint>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareNumbers(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a < b) return -1;
    if (a > b) return 1;
    if (a === b) return 0;
    // NaN sorts below every other number and equals itself.
    const an = Number.isNaN(a);
    const bn = Number.isNaN(b);
    return an && bn ? 0 : an ? -1 : 1;
  }
  return compareDec(toDec(a), toDec(b));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return cmp(a.length, b.length);
}

function binaryParts(v: unknown): { sub: number; bytes: Uint8Array } {
  if (ArrayBuffer.isView(v)) return { sub: 0, bytes: new Uint8Array(v.buffer, v.byteOffset, v.byteLength) };
  const b = v as Binary;
  return { sub: b.sub_type, bytes: b.buffer.subarray(0, b.position) };
}

function regexParts(v: unknown): [string, string] {
  if (v instanceof RegExp) return [v.source, v.flags];
  const r = v as BSONRegExp;
  return [r.pattern, r.options];
}

function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const va = a[ka[i]];
    const vb = b[kb[i]];
    const t = typeOrder(bsonType(va)) - typeOrder(bsonType(vb));
    if (t !== 0) return t < 0 ? -1 : 1;
    const k = cmp(ka[i], kb[i]);
    if (k !== 0) return k;
    const c = compareValues(va, vb);
    if (c !== 0) return c;
  }
  return cmp(ka.length, kb.length);
}

function compareArrays(a: unknown[], b: unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return cmp(a.length, b.length);
}

/** Compares two values of the same canonical type bracket. */
function compareSameBracket(t: BsonTypeName, a: unknown, b: unknown): number {
  switch (t) {
    case 'missing': case 'null': case 'undefined': case 'minKey': case 'maxKey':
      return 0;
    case 'int': case 'double': case 'long': case 'decimal':
      return compareNumbers(a, b);
    case 'string': case 'symbol':
      return cmp(String((a as object).valueOf()), String((b as object).valueOf()));
    case 'object':
      return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
    case 'array':
      return compareArrays(a as unknown[], b as unknown[]);
    case 'binData': {
      const pa = binaryParts(a);
      const pb = binaryParts(b);
      return cmp(pa.bytes.length, pb.bytes.length) || cmp(pa.sub, pb.sub) || compareBytes(pa.bytes, pb.bytes);
    }
    case 'objectId': {
      const x = oidWords(a as ObjectId);
      const y = oidWords(b as ObjectId);
      for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
      return 0;
    }
    case 'bool':
      return cmp(Number(a), Number(b));
    case 'date':
      return cmp((a as Date).getTime(), (b as Date).getTime());
    case 'timestamp': {
      const ta = a as Timestamp;
      const tb = b as Timestamp;
      return cmp(ta.t, tb.t) || cmp(ta.i, tb.i);
    }
    case 'regex': {
      const [sa, fa] = regexParts(a);
      const [sb, fb] = regexParts(b);
      return cmp(sa, sb) || cmp(fa, fb);
    }
    default:
      return cmp(String(a), String(b));
  }
}

/** Total order over BSON values as MongoDB sorts them (arrays compared element-wise). */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (typeof a === 'number' && typeof b === 'number') return compareNumbers(a, b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : 1;
  const ta = bsonType(a);
  const tb = bsonType(b);
  const oa = typeOrder(ta);
  const ob = typeOrder(tb);
  if (oa !== ob) return oa < ob ? -1 : 1;
  return compareSameBracket(ta, a, b);
}

export function valuesEqual(a: unknown, b: unknown): boolean {
  return compareValues(a, b) === 0;
}

/** True if both values fall in the same comparison bracket (numbers with numbers, etc.). */
export function sameBracket(a: unknown, b: unknown): boolean {
  return typeOrder(bsonType(a)) === typeOrder(bsonType(b));
}

function numberKey(x: number): string {
  if (Number.isSafeInteger(x)) return Object.is(x, -0) ? '0' : String(x);
  if (Number.isInteger(x)) return BigInt(x).toString();
  return String(x);
}

function decKey(d: Dec): string {
  if (d.kind !== 'num') return d.kind === 'nan' ? 'NaN' : d.kind === 'inf' ? 'Infinity' : '-Infinity';
  // A decimal equal to some double must produce that double's key; others get a distinct form.
  const asDouble = decToNumber(d);
  if (Number.isFinite(asDouble) && compareDec(decFromDoubleExact(asDouble), d) === 0) return numberKey(asDouble);
  return 'D' + decToCanonical(d);
}

/** Canonical key: equal strings ⇔ MongoDB-equal values (type bracket + value). */
export function keyOf(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return 's' + JSON.stringify(v);
    case 'number':
      return 'n' + (Number.isNaN(v) ? 'NaN' : numberKey(v));
    case 'boolean':
      return v ? 'b1' : 'b0';
    case 'undefined':
      return 'z';
    default:
      break;
  }
  const t = bsonType(v);
  switch (t) {
    case 'null': case 'missing': case 'undefined':
      return 'z';
    case 'objectId': {
      // The 12 bytes as a 12-char latin1 string: cheaper to build and hash than hex, and
      // stored losslessly in SQLite TEXT (unlike 16-bit code units, which may be surrogates).
      const [a, b, c, d] = oidWords(v as ObjectId);
      return 'o' + String.fromCharCode(
        (a >>> 16) & 255, (a >>> 8) & 255, a & 255, (b >>> 16) & 255, (b >>> 8) & 255, b & 255,
        (c >>> 16) & 255, (c >>> 8) & 255, c & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255,
      );
    }
    case 'long': case 'decimal': case 'int': case 'double':
      return 'n' + decKey(toDec(v));
    case 'date':
      return 'd' + (v as Date).getTime();
    case 'array':
      return '[' + (v as unknown[]).map(keyOf).join(',') + ']';
    case 'object': {
      const o = v as Record<string, unknown>;
      return '{' + Object.keys(o).map((k) => JSON.stringify(k) + ':' + keyOf(o[k])).join(',') + '}';
    }
    case 'binData': {
      const p = binaryParts(v);
      return 'x' + p.sub + ':' + Buffer.from(p.bytes).toString('base64');
    }
    case 'timestamp':
      return 't' + (v as Timestamp).t + ':' + (v as Timestamp).i;
    case 'regex': {
      const [s, f] = regexParts(v);
      return 'r' + JSON.stringify(s) + f;
    }
    case 'symbol':
      return 's' + JSON.stringify(String((v as object).valueOf()));
    case 'minKey':
      return 'm-';
    case 'maxKey':
      return 'm+';
    default:
      return t + ':' + String(v);
  }
}

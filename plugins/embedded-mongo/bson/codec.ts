/**
 * BSON encoding and decoding. Decoding keeps every numeric type recoverable while using JS
 * numbers wherever the encoder would write the same type back: int32 → number; double →
 * number unless it is integral and within int32 range (then it stays a `Double`, or it would
 * come back as int32); int64 → always `Long`; Decimal128 as is.
 */
import { BSON, type BSONRegExp, type Double, type Int32 } from 'bson';
import { toJsRegExp } from './regex.ts';
import type { Doc } from './types.ts';

const DECODE_OPTIONS = {
  promoteValues: false,
  promoteBuffers: false,
  bsonRegExp: true,
} as const;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** True for a double the encoder would write as int32 if it were a plain number. */
export function needsDoubleWrapper(x: number): boolean {
  return Number.isInteger(x) && x >= INT32_MIN && x <= INT32_MAX && !Object.is(x, -0);
}

function settle(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = settle(v[i]);
    return v;
  }
  const t = (v as { _bsontype?: unknown })._bsontype;
  if (t === 'Int32') return (v as Int32).value;
  if (t === 'Double') {
    const x = (v as Double).value;
    return needsDoubleWrapper(x) ? v : x;
  }
  if (t === 'BSONRegExp') {
    const re = v as BSONRegExp;
    try {
      return toJsRegExp(re.pattern, re.options);
    } catch {
      return v;
    }
  }
  if (t !== undefined || v instanceof Date || v instanceof RegExp || ArrayBuffer.isView(v)) return v;
  const o = v as Doc;
  for (const k in o) o[k] = settle(o[k]);
  return v;
}

export function decode(bytes: Uint8Array): Doc {
  return settle(BSON.deserialize(bytes, DECODE_OPTIONS)) as Doc;
}

export function encode(doc: Doc): Buffer {
  const u8 = BSON.serialize(doc, { checkKeys: false, ignoreUndefined: false });
  return Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

export function encodedSize(doc: Doc): number {
  return BSON.calculateObjectSize(doc, { ignoreUndefined: false });
}

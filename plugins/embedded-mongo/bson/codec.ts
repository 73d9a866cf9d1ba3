/**
 * BSON encoding and decoding. Decoding keeps every numeric type recoverable while using JS
 * numbers wherever the encoder would write the same type back: int32 → number; double →
 * number unless it is integral and within int32 range (then it stays a `Double`, or it would
 * come back as int32); int64 → always `Long`; Decimal128 as is; Binary copied out of the
 * decoded buffer.
 */
import { BSON, Binary as BinaryClass, type Binary, type BSONRegExp, type Double, type Int32 } from 'bson';
import { valueSize } from './raw.ts';
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
  if (t === 'Binary') {
    // bson's Binary is a view into the decoded buffer (a whole wire message): keep a copy.
    const b = v as Binary;
    return new BinaryClass(Buffer.from(b.buffer.subarray(0, b.position)), b.sub_type);
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

/** Decoding when no value needs a wrapper: numbers promoted, Int64 kept as Long. */
const FAST_OPTIONS = { promoteValues: true, promoteLongs: false, promoteBuffers: false, bsonRegExp: true } as const;

/**
 * True when the document (scanned at byte level, nested documents included) holds no
 * integral double and no regular expression, so the fast decoding gives the engine's form
 * directly: no Int32/Double wrappers to allocate and no settling walk.
 */
function isPlainDecodable(buf: Uint8Array, start: number, end: number, view: DataView): boolean {
  let p = start + 4;
  while (p < end - 1) {
    const type = buf[p];
    let q = p + 1;
    while (q < end && buf[q] !== 0) q++;
    q++;
    if (type === 0x01) {
      if (needsDoubleWrapper(view.getFloat64(q, true))) return false;
    } else if (type === 0x03 || type === 0x04) {
      if (!isPlainDecodable(buf, q, q + view.getInt32(q, true), view)) return false;
    } else if (type === 0x0b || type === 0x0f || type === 0x05) return false;
    const size = valueSize(buf, type, q);
    if (size < 0) return false;
    p = q + size;
  }
  return true;
}

export function decode(bytes: Uint8Array): Doc {
  if (bytes.length >= 5) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const size = view.getInt32(0, true);
    if (size === bytes.length && isPlainDecodable(bytes, 0, size, view)) return BSON.deserialize(bytes, FAST_OPTIONS) as Doc;
  }
  return settle(BSON.deserialize(bytes, DECODE_OPTIONS)) as Doc;
}

/**
 * A field whose value is JS `undefined` is a missing field (computed values, e.g. an
 * expression object with a missing operand), so it is not written, as MongoDB omits it;
 * inside arrays undefined is written as null, as MongoDB does.
 */
export function encode(doc: Doc): Buffer {
  const u8 = BSON.serialize(doc, { checkKeys: false, ignoreUndefined: true });
  return Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

export function encodedSize(doc: Doc): number {
  return BSON.calculateObjectSize(doc, { ignoreUndefined: true });
}

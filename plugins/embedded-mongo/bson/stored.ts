/**
 * Documents kept as their stored-form BSON (`_id` first) until first read. An insert into a
 * collection that needs no decoded copy (no secondary index, no validator) stores the bytes
 * as they arrived: decoding 1000 documents per batch, and collecting the objects it
 * allocates, was most of the cost of a bulk insert.
 *
 * `isLazyStorable` is deliberately narrow: it answers true only when the bytes are
 * well-formed and use only types whose decoding cannot fail, so a document kept raw always
 * decodes later. Anything unusual answers false and the caller decodes at once (which
 * reports invalid BSON with its proper error).
 */
import { isUtf8 } from 'node:buffer';
import { ObjectId } from 'bson';
import { decode } from './codec.ts';
import { valueSize } from './raw.ts';

const MAX_DEPTH = 100;
const SHORT_TEXT = 64;

/** A document of an insert's document sequence, kept as its stored-form bytes (owned: not a view into a message). */
export class StoredBson {
  constructor(readonly bytes: Buffer) {}
}

const int32 = (b: Uint8Array, p: number): number => b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);

function isValidText(buf: Buffer, start: number, end: number): boolean {
  if (end - start > SHORT_TEXT) return isUtf8(buf.subarray(start, end));
  for (let i = start; i < end; i++) if (buf[i] >= 0x80) return isUtf8(buf.subarray(start, end));
  return true;
}

/** Size of a value of `type` at `p` that can be kept raw, or -1. */
function plainValueSize(buf: Buffer, type: number, p: number, last: number, depth: number): number {
  switch (type) {
    case 0x01: case 0x09: case 0x11: case 0x12: case 0x07: case 0x13: case 0x10: case 0x0a: case 0xff: case 0x7f:
      return valueSize(buf, type, p);
    case 0x08:
      return buf[p] === 0 || buf[p] === 1 ? 1 : -1;
    case 0x02: {
      if (p + 4 > last) return -1;
      const n = int32(buf, p);
      if (n < 1 || p + 4 + n > last || buf[p + 4 + n - 1] !== 0) return -1;
      return isValidText(buf, p + 4, p + 3 + n) ? 4 + n : -1;
    }
    case 0x03: case 0x04:
      return isPlainDocument(buf, p, last, depth + 1, false) ? int32(buf, p) : -1;
    case 0x05: {
      if (p + 5 > last) return -1;
      const n = int32(buf, p);
      const subtype = buf[p + 4];
      return n >= 0 && (subtype === 0x00 || subtype === 0x80) ? 5 + n : -1;
    }
    default:
      return -1;
  }
}

function isPlainDocument(buf: Buffer, start: number, limit: number, depth: number, isTop: boolean): boolean {
  if (depth > MAX_DEPTH || start + 5 > limit) return false;
  const size = int32(buf, start);
  if (size < 5 || start + size > limit) return false;
  const last = start + size - 1;
  if (buf[last] !== 0) return false;
  let p = start + 4;
  while (p < last) {
    const type = buf[p];
    const nameEnd = buf.indexOf(0, p + 1);
    if (nameEnd < 0 || nameEnd >= last || !isValidText(buf, p + 1, nameEnd)) return false;
    // Top level: `$` names and odd `_id` types take the decoding path and its proper errors.
    if (isTop && buf[p + 1] === 0x24) return false;
    const size = plainValueSize(buf, type, nameEnd + 1, last, depth);
    if (size < 0 || nameEnd + 1 + size > last) return false;
    p = nameEnd + 1 + size;
  }
  return p === last;
}

/** True when `bytes` (stored form, `_id` first) is one well-formed document that can be kept raw. */
export function isLazyStorable(bytes: Buffer): boolean {
  if (bytes.length < 5 || int32(bytes, 0) !== bytes.length) return false;
  // `_id` first, of a type an _id may have and one decoding is sure to read.
  const idType = bytes[4];
  if (bytes[5] !== 0x5f || bytes[6] !== 0x69 || bytes[7] !== 0x64 || bytes[8] !== 0) return false;
  if (idType === 0x04 || idType === 0x0b || idType === 0x06) return false;
  return isPlainDocument(bytes, 0, bytes.length, 0, true);
}

/** The `_id` value of a stored-form document (its first element). */
export function storedId(bytes: Buffer): unknown {
  if (bytes[4] === 0x07) return new ObjectId(bytes.subarray(9, 21));
  const end = 9 + valueSize(bytes, bytes[4], 9);
  const mini = Buffer.alloc(end - 4 + 5);
  mini.writeInt32LE(mini.length, 0);
  bytes.copy(mini, 4, 4, end);
  return decode(mini)._id;
}

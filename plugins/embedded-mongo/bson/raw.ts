/**
 * BSON at byte level, for inserts that store documents as they arrived in an OP_MSG
 * document sequence instead of encoding them again. Drivers append a generated `_id`
 * last, while mongod stores `_id` first: the `_id` element is moved (or prepended).
 */
import { ObjectId } from 'bson';

const int32 = (b: Uint8Array, p: number): number => (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24));

/** Size of the value of an element of `type` at `p`, or -1 if unknown/truncated. */
export function valueSize(buf: Uint8Array, type: number, p: number): number {
  switch (type) {
    case 0x01: case 0x09: case 0x11: case 0x12: return 8;
    case 0x02: case 0x0d: case 0x0e: return 4 + int32(buf, p);
    case 0x03: case 0x04: case 0x0f: return int32(buf, p);
    case 0x05: return 5 + int32(buf, p);
    case 0x06: case 0x0a: case 0xff: case 0x7f: return 0;
    case 0x07: return 12;
    case 0x08: return 1;
    case 0x0b: {
      const a = buf.indexOf(0, p);
      const b = a < 0 ? -1 : buf.indexOf(0, a + 1);
      return b < 0 ? -1 : b + 1 - p;
    }
    case 0x0c: return 4 + int32(buf, p) + 12;
    case 0x10: return 4;
    case 0x13: return 16;
    default: return -1;
  }
}

/** [start, end) of the top-level `_id` element, null if absent, undefined if unparseable. */
function findId(buf: Buffer): { start: number; end: number; type: number } | null | undefined {
  const end = buf.readInt32LE(0) - 1;
  let p = 4;
  while (p < end) {
    const type = buf[p];
    const nameEnd = buf.indexOf(0, p + 1);
    if (nameEnd < 0 || nameEnd >= end) return undefined;
    const size = valueSize(buf, type, nameEnd + 1);
    if (size < 0) return undefined;
    const next = nameEnd + 1 + size;
    if (nameEnd - p === 4 && buf[p + 1] === 0x5f && buf[p + 2] === 0x69 && buf[p + 3] === 0x64) {
      return { start: p, end: next, type };
    }
    p = next;
  }
  return null;
}

/**
 * Bytes of `raw` with its `_id` element first; a new ObjectId is prepended when the document
 * has none. Returns null when the bytes cannot be rearranged (the caller decodes/encodes).
 */
export function idFirstBytes(raw: Buffer): Buffer | null {
  if (raw.length < 5 || raw.readInt32LE(0) !== raw.length) return null;
  const id = findId(raw);
  if (id === undefined) return null;
  if (id === null) {
    const generated = new ObjectId();
    const out = Buffer.allocUnsafe(raw.length + 17);
    out.writeInt32LE(raw.length + 17, 0);
    out[4] = 0x07;
    out.write('_id\0', 5, 'latin1');
    out.set(generated.id, 9);
    raw.copy(out, 21, 4);
    return out;
  }
  if (id.type === 0x06) return null;
  if (id.start === 4) return raw;
  const out = Buffer.allocUnsafe(raw.length);
  raw.copy(out, 0, 0, 4);
  raw.copy(out, 4, id.start, id.end);
  raw.copy(out, 4 + id.end - id.start, 4, id.start);
  raw.copy(out, id.end, id.end);
  return out;
}

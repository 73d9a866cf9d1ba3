/**
 * The wire bytes of documents that arrived in an OP_MSG document sequence, so inserts can
 * store them without encoding again. Drivers append a generated `_id` last, while mongod
 * stores `_id` first: the `_id` element is moved (or prepended) at byte level.
 */
import type { ObjectId } from 'bson';
import type { Doc } from './types.ts';

const rawBytes = new WeakMap<object, Buffer>();

export function rememberRaw(doc: Doc, bytes: Buffer): void {
  rawBytes.set(doc, bytes);
}

export function rawOf(doc: Doc): Buffer | undefined {
  return rawBytes.get(doc);
}

/** Size of the value of an element of `type` at `p`, or -1 if unknown/truncated. */
function valueSize(buf: Buffer, type: number, p: number): number {
  switch (type) {
    case 0x01: case 0x09: case 0x11: case 0x12: return 8;
    case 0x02: case 0x0d: case 0x0e: return 4 + buf.readInt32LE(p);
    case 0x03: case 0x04: case 0x0f: return buf.readInt32LE(p);
    case 0x05: return 5 + buf.readInt32LE(p);
    case 0x06: case 0x0a: case 0xff: case 0x7f: return 0;
    case 0x07: return 12;
    case 0x08: return 1;
    case 0x0b: {
      const a = buf.indexOf(0, p);
      const b = a < 0 ? -1 : buf.indexOf(0, a + 1);
      return b < 0 ? -1 : b + 1 - p;
    }
    case 0x0c: return 4 + buf.readInt32LE(p) + 12;
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
 * Bytes of `raw` with its `_id` element first; `generated` is prepended when the document
 * had none. Returns null when the bytes cannot be rearranged (the caller encodes instead).
 */
export function idFirstBytes(raw: Buffer, generated: ObjectId | undefined): Buffer | null {
  const id = findId(raw);
  if (id === undefined) return null;
  if (id === null) {
    if (!generated) return null;
    const out = Buffer.allocUnsafe(raw.length + 17);
    out.writeInt32LE(raw.length + 17, 0);
    out[4] = 0x07;
    out.write('_id\0', 5, 'latin1');
    out.set(generated.id, 9);
    raw.copy(out, 21, 4);
    return out;
  }
  if (generated || id.type === 0x06) return null;
  if (id.start === 4) return raw;
  const out = Buffer.allocUnsafe(raw.length);
  raw.copy(out, 0, 0, 4);
  raw.copy(out, 4, id.start, id.end);
  raw.copy(out, 4 + id.end - id.start, 4, id.start);
  raw.copy(out, id.end, id.end);
  return out;
}

/** BSON encoding and decoding with the options the engine relies on everywhere. */
import { BSON } from 'bson';
import type { Doc } from './types.ts';

const DECODE_OPTIONS = {
  promoteValues: true,
  promoteLongs: true,
  promoteBuffers: false,
  bsonRegExp: false,
} as const;

export function decode(bytes: Uint8Array): Doc {
  return BSON.deserialize(bytes, DECODE_OPTIONS) as Doc;
}

export function encode(doc: Doc): Buffer {
  const u8 = BSON.serialize(doc, { checkKeys: false, ignoreUndefined: false });
  return Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

export function encodedSize(doc: Doc): number {
  return BSON.calculateObjectSize(doc, { ignoreUndefined: false });
}

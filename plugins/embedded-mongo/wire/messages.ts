/**
 * MongoDB wire messages: OP_MSG (kind-0 body, kind-1 document sequences) and the legacy
 * OP_QUERY/OP_REPLY pair that drivers use for the first handshake.
 */
import { CommandError } from '../errors.ts';
import { decode } from '../bson/codec.ts';
import { idFirstBytes } from '../bson/raw.ts';
import type { Doc } from '../bson/types.ts';
import { isLazyStorable, StoredBson } from '../bson/stored.ts';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
export const OP_COMPRESSED = 2012;

export const HEADER_SIZE = 16;
export const MAX_MESSAGE_SIZE = 48_000_000;
export const MAX_BSON_SIZE = 16 * 1024 * 1024;

const FLAG_CHECKSUM = 1 << 0;
const FLAG_MORE_TO_COME = 1 << 1;
const FLAG_EXHAUST_ALLOWED = 1 << 16;
/** Bits 0–15 are "required": a receiver must reject unknown ones. */
const KNOWN_REQUIRED = FLAG_CHECKSUM | FLAG_MORE_TO_COME;

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export interface CommandRequest {
  /** The command document with kind-1 sequences merged in under their identifiers. */
  body: Doc;
  /** OP_MSG with moreToCome: the client expects no reply. */
  moreToCome: boolean;
  /** Arrived as OP_QUERY: reply with OP_REPLY. */
  isLegacy: boolean;
  /** Stored-form BSON of each document of an insert's `documents` sequence, by position. */
  insertBytes?: Buffer[];
}

export function readHeader(buf: Buffer): Header {
  return {
    length: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

const protocolError = (msg: string): CommandError => new CommandError(17, msg);

function readBsonAt(buf: Buffer, offset: number, end: number): { doc: Doc; next: number } {
  if (offset + 5 > end) throw protocolError('truncated BSON document in message');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new CommandError(22, `invalid BSON document length ${size}`);
  if (size > MAX_BSON_SIZE + 16 * 1024) throw new CommandError(10334, `BSONObj size: ${size} is invalid`);
  let doc: Doc;
  try {
    doc = decode(buf.subarray(offset, offset + size));
  } catch (err) {
    throw new CommandError(22, `invalid BSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { doc, next: offset + size };
}

/**
 * A document of an insert sequence in its stored form (`_id` first): kept as bytes when they
 * are sure to decode later (see bson/stored.ts), otherwise decoded now, with those bytes.
 */
function readInsertDocAt(buf: Buffer, offset: number, end: number): { doc: Doc | StoredBson; next: number; stored?: Buffer } {
  if (offset + 5 > end) throw protocolError('truncated BSON document in message');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new CommandError(22, `invalid BSON document length ${size}`);
  const raw = buf.subarray(offset, offset + size);
  const stored = idFirstBytes(raw);
  if (!stored) return readBsonAt(buf, offset, end);
  // Kept bytes must not pin the whole wire message: a view into it is copied out.
  if (isLazyStorable(stored)) return { doc: new StoredBson(stored === raw ? Buffer.from(raw) : stored), next: offset + size };
  const { doc } = readBsonAt(stored, 0, stored.length);
  return { doc, next: offset + size, stored };
}

function readCString(buf: Buffer, offset: number, end: number): { text: string; next: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw protocolError('unterminated C string in message');
  return { text: buf.toString('utf8', offset, zero), next: zero + 1 };
}

/** Parses an OP_MSG body (after the 16-byte header). */
export function parseOpMsg(msg: Buffer): CommandRequest {
  const flags = msg.readUInt32LE(HEADER_SIZE);
  if ((flags & 0xffff & ~KNOWN_REQUIRED) !== 0) throw protocolError(`unsupported OP_MSG flag bits ${flags}`);
  const end = flags & FLAG_CHECKSUM ? msg.length - 4 : msg.length;
  let offset = HEADER_SIZE + 4;
  let body: Doc | undefined;
  const sequences: Array<[string, Array<Doc | StoredBson>]> = [];
  let insertBytes: Buffer[] | undefined;
  while (offset < end) {
    const kind = msg[offset++];
    if (kind === 0) {
      if (body) throw protocolError('OP_MSG has more than one body section');
      const r = readBsonAt(msg, offset, end);
      body = r.doc;
      offset = r.next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw protocolError('truncated document sequence');
      const size = msg.readInt32LE(offset);
      const seqEnd = offset + size;
      if (size < 5 || seqEnd > end) throw protocolError(`invalid document sequence length ${size}`);
      const id = readCString(msg, offset + 4, seqEnd);
      const docs: Array<Doc | StoredBson> = [];
      let p = id.next;
      // Documents to insert are stored as they arrive, with `_id` moved (or added) first.
      const isInsert = id.text === 'documents';
      const bytes: Buffer[] = [];
      while (p < seqEnd) {
        if (isInsert) {
          const r = readInsertDocAt(msg, p, seqEnd);
          docs.push(r.doc);
          if (r.stored) bytes[docs.length - 1] = r.stored;
          p = r.next;
        } else {
          const r = readBsonAt(msg, p, seqEnd);
          docs.push(r.doc);
          p = r.next;
        }
      }
      if (isInsert) insertBytes = bytes;
      sequences.push([id.text, docs]);
      offset = seqEnd;
    } else {
      throw protocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw protocolError('OP_MSG has no body section');
  for (const [id, docs] of sequences) {
    if (id in body) throw protocolError(`duplicate field '${id}' in body and document sequence`);
    body[id] = docs;
  }
  return { body, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0, isLegacy: false, insertBytes };
}

/** Parses an OP_QUERY on `<db>.$cmd`; the command is returned with `$db` set. */
export function parseOpQuery(msg: Buffer): CommandRequest {
  let offset = HEADER_SIZE + 4;
  const ns = readCString(msg, offset, msg.length);
  offset = ns.next + 8; // numberToSkip, numberToReturn
  let { doc } = readBsonAt(msg, offset, msg.length);
  const dot = ns.text.indexOf('.');
  const db = dot < 0 ? ns.text : ns.text.slice(0, dot);
  if (!ns.text.endsWith('.$cmd')) {
    throw new CommandError(352, `Unsupported OP_QUERY on namespace ${ns.text}: only commands on <db>.$cmd are supported`);
  }
  // Old drivers wrap the command as {$query: {...}, $readPreference: ...}.
  const wrapped = doc.$query ?? doc.query;
  if (wrapped && typeof wrapped === 'object' && !Array.isArray(wrapped)) doc = wrapped as Doc;
  return { body: { ...doc, $db: db }, moreToCome: false, isLegacy: true };
}

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.allocUnsafe(HEADER_SIZE);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** OP_MSG reply: header, flags = 0, one kind-0 section. */
export function encodeOpMsgReply(body: Buffer, requestId: number, responseTo: number): Buffer[] {
  const h = Buffer.allocUnsafe(HEADER_SIZE + 5);
  header(HEADER_SIZE + 5 + body.length, requestId, responseTo, OP_MSG).copy(h, 0);
  h.writeUInt32LE(0, HEADER_SIZE);
  h[HEADER_SIZE + 4] = 0;
  return [h, body];
}

/** OP_REPLY with a single document. */
export function encodeOpReply(body: Buffer, requestId: number, responseTo: number): Buffer[] {
  const h = Buffer.alloc(HEADER_SIZE + 20);
  header(HEADER_SIZE + 20 + body.length, requestId, responseTo, OP_REPLY).copy(h, 0);
  // responseFlags 0, cursorId 0 (int64), startingFrom 0, numberReturned 1
  h.writeInt32LE(1, HEADER_SIZE + 16);
  return [h, body];
}

export { FLAG_EXHAUST_ALLOWED };

/**
 * The wire protocol on raw sockets: OP_MSG sections and flags, the legacy OP_QUERY
 * handshake, and bad input (malformed, oversize, invalid BSON, unknown opcode), which must
 * produce a clean error reply or a closed connection while other connections keep working.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { BSON, type Document } from 'bson';
import { startHarness, type Harness } from './helpers.ts';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
let nextId = 1;

function header(length: number, opCode: number, requestId = nextId++): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

function opMsg(body: Document, opts: { flags?: number; sequences?: Array<[string, Document[]]>; checksum?: boolean } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(BSON.serialize(body))];
  for (const [id, docs] of opts.sequences ?? []) {
    const payload = Buffer.concat([Buffer.from(id + '\0'), ...docs.map((d) => Buffer.from(BSON.serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4, 0);
    parts.push(Buffer.from([1]), size, payload);
  }
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE((opts.flags ?? 0) | (opts.checksum ? 1 : 0), 0);
  const checksum = opts.checksum ? Buffer.alloc(4) : Buffer.alloc(0);
  const bodyBuf = Buffer.concat([flags, ...parts, checksum]);
  return Buffer.concat([header(16 + bodyBuf.length, OP_MSG), bodyBuf]);
}

function opQuery(ns: string, query: Document): Buffer {
  const q = Buffer.from(BSON.serialize(query));
  const fixed = Buffer.alloc(4);
  const nums = Buffer.alloc(8);
  nums.writeInt32LE(-1, 4);
  const bodyBuf = Buffer.concat([fixed, Buffer.from(ns + '\0'), nums, q]);
  return Buffer.concat([header(16 + bodyBuf.length, OP_QUERY), bodyBuf]);
}

class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  isClosed = false;
  constructor(readonly socket: net.Socket) {
    socket.on('data', (c: Buffer) => {
      this.buf = Buffer.concat([this.buf, c]);
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('close', () => {
      this.isClosed = true;
      this.waiters.splice(0).forEach((w) => w());
    });
    socket.on('error', () => {});
  }
  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }
  send(b: Buffer): void {
    this.socket.write(b);
  }
  /** Next whole reply message, or null if the server closed the connection. */
  async reply(timeoutMs = 2000): Promise<{ opCode: number; doc: Document } | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.buf.length >= 4 && this.buf.length >= this.buf.readInt32LE(0)) {
        const len = this.buf.readInt32LE(0);
        const msg = this.buf.subarray(0, len);
        this.buf = this.buf.subarray(len);
        const opCode = msg.readInt32LE(12);
        const docStart = opCode === OP_MSG ? 21 : 36;
        return { opCode, doc: BSON.deserialize(msg.subarray(docStart)) };
      }
      if (this.isClosed) return null;
      if (Date.now() > deadline) throw new Error('timed out waiting for a reply');
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
  close(): void {
    this.socket.destroy();
  }
}

describe('wire protocol on raw sockets', () => {
  let h: Harness;
  let port: number;
  before(async () => {
    h = await startHarness();
    port = h.engine.port;
  });
  after(async () => h.close());

  async function stillServes(): Promise<void> {
    assert.equal((await h.db.command({ ping: 1 })).ok, 1);
    const c = await RawClient.connect(port);
    c.send(opMsg({ ping: 1, $db: 'admin' }));
    assert.equal((await c.reply())?.doc.ok, 1);
    c.close();
  }

  test('legacy OP_QUERY isMaster on admin.$cmd answers with OP_REPLY', async () => {
    const c = await RawClient.connect(port);
    c.send(opQuery('admin.$cmd', { isMaster: 1, helloOk: true }));
    const r = await c.reply();
    assert.equal(r?.opCode, OP_REPLY);
    assert.equal(r?.doc.ismaster, true);
    assert.equal(r?.doc.helloOk, true);
    assert.equal(r?.doc.maxWireVersion, 21);
    c.close();
  });

  test('OP_QUERY for anything but the handshake is refused (352)', async () => {
    const c = await RawClient.connect(port);
    c.send(opQuery('test.$cmd', { find: 'x' }));
    const r = await c.reply();
    assert.equal(r?.doc.ok, 0);
    assert.equal(r?.doc.code, 352);
    c.close();
  });

  test('a kind-1 document sequence carries the documents of an insert', async () => {
    const c = await RawClient.connect(port);
    c.send(opMsg({ insert: 'seq', $db: 'test' }, { sequences: [['documents', [{ _id: 1 }, { _id: 2 }, { _id: 3 }]]] }));
    assert.deepEqual((await c.reply())?.doc, { n: 3, ok: 1 });
    assert.equal(await h.db.collection('seq').countDocuments(), 3);
    c.close();
  });

  test('invalid BSON inside an insert sequence is refused whole: nothing is stored, the connection stays usable', async () => {
    const c = await RawClient.connect(port);
    const message = (docs: Document[]) => opMsg({ insert: 'badseq', $db: 'test' }, { sequences: [['documents', docs]] });
    const good = { _id: 1, name: 'ok' };
    const corruptions: Array<[string, (msg: Buffer) => void]> = [
      // The second document's string value bytes (after its _id) are replaced.
      ['invalid UTF-8 in a string', (msg) => msg.set([0xc3, 0x28], msg.lastIndexOf(Buffer.from('bad!')))],
      ['a boolean byte other than 0 or 1', (msg) => (msg[msg.lastIndexOf(Buffer.from('flag\0')) + 5] = 7)],
      ['a nested document length past its parent', (msg) => msg.writeInt32LE(999, msg.lastIndexOf(Buffer.from('sub\0')) + 4)],
    ];
    for (const [what, corrupt] of corruptions) {
      const msg = message([good, { _id: 2, s: 'bad!', flag: true, sub: { x: 1 } }]);
      corrupt(msg);
      c.send(msg);
      const r = await c.reply();
      assert.equal(r?.doc.ok, 0, what);
      assert.equal(r?.doc.code, 22, what);
      assert.equal(await h.db.collection('badseq').countDocuments(), 0, `${what}: nothing stored`);
    }
    c.send(message([good]));
    assert.deepEqual((await c.reply())?.doc, { n: 1, ok: 1 });
    c.close();
    await stillServes();
  });

  test('the checksum flag is tolerated', async () => {
    const c = await RawClient.connect(port);
    c.send(opMsg({ ping: 1, $db: 'admin' }, { checksum: true }));
    assert.equal((await c.reply())?.doc.ok, 1);
    c.close();
  });

  test('moreToCome: the write is applied and no reply is sent', async () => {
    const c = await RawClient.connect(port);
    c.send(opMsg({ insert: 'fire', documents: [{ _id: 'a' }], $db: 'test' }, { flags: 2 }));
    c.send(opMsg({ ping: 1, $db: 'admin' }));
    const r = await c.reply();
    assert.equal(r?.doc.ok, 1);
    assert.equal(r?.doc.n, undefined, 'the first reply is the ping, not the insert');
    assert.equal(await h.db.collection('fire').countDocuments({ _id: 'a' } as Document), 1);
    c.close();
  });

  test('invalid BSON in the body gets an error reply and the connection stays usable', async () => {
    const c = await RawClient.connect(port);
    const good = opMsg({ ping: 1, $db: 'admin' });
    const bad = Buffer.from(good);
    bad.writeInt32LE(9999, 21); // BSON length pointing past the message
    c.send(bad);
    const r = await c.reply();
    assert.equal(r?.doc.ok, 0);
    assert.ok(typeof r?.doc.code === 'number');
    const corrupt = Buffer.from(good);
    corrupt[21 + 4] = 0x7f; // unknown BSON element type
    c.send(corrupt);
    assert.equal((await c.reply())?.doc.ok, 0);
    c.send(good);
    assert.equal((await c.reply())?.doc.ok, 1);
    c.close();
    await stillServes();
  });

  test('an unknown section kind or flag bit is answered with an error', async () => {
    const c = await RawClient.connect(port);
    const msg = opMsg({ ping: 1, $db: 'admin' });
    const badKind = Buffer.from(msg);
    badKind[20] = 9;
    c.send(badKind);
    assert.equal((await c.reply())?.doc.ok, 0);
    c.send(opMsg({ ping: 1, $db: 'admin' }, { flags: 1 << 4 }));
    assert.equal((await c.reply())?.doc.ok, 0);
    c.close();
    await stillServes();
  });

  test('a message over 48 MB is refused from its header alone: the connection is closed', async () => {
    const c = await RawClient.connect(port);
    c.send(header(48_000_001, OP_MSG));
    assert.equal(await c.reply(), null);
    await stillServes();
  });

  test('a length shorter than a header closes the connection', async () => {
    const c = await RawClient.connect(port);
    c.send(header(3, OP_MSG));
    assert.equal(await c.reply(), null);
    await stillServes();
  });

  test('an unknown opcode closes the connection', async () => {
    const c = await RawClient.connect(port);
    const body = Buffer.alloc(8);
    c.send(Buffer.concat([header(24, 4242), body]));
    assert.equal(await c.reply(), null);
    await stillServes();
  });

  test('a truncated message followed by a disconnect leaves the server healthy', async () => {
    const c = await RawClient.connect(port);
    c.send(opMsg({ ping: 1, $db: 'admin' }).subarray(0, 20));
    c.close();
    await stillServes();
  });

  test('an OP_MSG without $db is an error reply', async () => {
    const c = await RawClient.connect(port);
    c.send(opMsg({ ping: 1 }));
    const r = await c.reply();
    assert.equal(r?.doc.ok, 0);
    assert.equal(r?.doc.code, 40571);
    c.close();
  });
});

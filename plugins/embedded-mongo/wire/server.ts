/**
 * TCP server speaking the MongoDB wire protocol. Each connection frames messages by their
 * header length (rejecting oversize ones before buffering), answers OP_MSG and OP_QUERY,
 * and closes itself on anything it cannot frame or does not understand.
 */
import net from 'node:net';
import { CommandError, errorReply } from '../errors.ts';
import { encode } from '../bson/codec.ts';
import type { Doc } from '../bson/types.ts';
import {
  encodeOpMsgReply, encodeOpReply, HEADER_SIZE, MAX_MESSAGE_SIZE, OP_MSG, OP_QUERY,
  parseOpMsg, parseOpQuery, readHeader, type CommandRequest,
} from './messages.ts';

export interface ConnectionInfo {
  readonly id: number;
  readonly remote: string;
}

/** Executes one command and returns the reply document (errors become ok:0 replies). */
export type CommandExecutor = (body: Doc, conn: ConnectionInfo, isLegacy: boolean, insertBytes?: Buffer[]) => Doc;

export interface WireServer {
  readonly port: number;
  close(): Promise<void>;
}

interface Logger {
  info(msg: string): void;
  error(msg: string): void;
}

let nextRequestId = 1;
const SMALL_REPLY = 64 * 1024;

class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  readonly info: ConnectionInfo;

  constructor(
    private readonly socket: net.Socket,
    id: number,
    private readonly execute: CommandExecutor,
    private readonly logger: Logger,
  ) {
    this.info = { id, remote: `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}` };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => socket.destroy());
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4 && !this.socket.destroyed) {
      const first = this.chunks[0].length >= 4 ? this.chunks[0] : Buffer.concat(this.chunks);
      const length = first.readInt32LE(0);
      if (length < HEADER_SIZE + 1 || length > MAX_MESSAGE_SIZE) {
        this.logger.error(`connection ${this.info.id}: invalid message length ${length}, closing`);
        this.socket.destroy();
        return;
      }
      if (this.buffered < length) return;
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
      const message = all.subarray(0, length);
      const rest = all.subarray(length);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
      this.onMessage(message);
    }
  }

  private onMessage(message: Buffer): void {
    const header = readHeader(message);
    if (header.opCode !== OP_MSG && header.opCode !== OP_QUERY) {
      // Unknown or unsupported opcode (incl. OP_COMPRESSED, never negotiated): no reply format to use.
      this.logger.error(`connection ${this.info.id}: unsupported opcode ${header.opCode}, closing`);
      this.socket.destroy();
      return;
    }
    const isLegacy = header.opCode === OP_QUERY;
    let reply: Doc;
    let request: CommandRequest | undefined;
    try {
      request = isLegacy ? parseOpQuery(message) : parseOpMsg(message);
      reply = this.execute(request.body, this.info, isLegacy, request.insertBytes);
    } catch (err) {
      // Only parse errors reach here: the executor turns command failures into replies itself.
      const e = err instanceof CommandError ? err : new CommandError(17, String(err));
      reply = errorReply(e);
    }
    if (request?.moreToCome) return;
    this.send(reply, header.requestId, isLegacy);
  }

  private send(reply: Doc, responseTo: number, isLegacy: boolean): void {
    let body: Buffer;
    try {
      body = encode(reply);
    } catch (err) {
      body = encode(errorReply(new CommandError(10334, `reply could not be encoded: ${String(err)}`)));
    }
    const requestId = nextRequestId++ & 0x7fffffff;
    const parts = isLegacy ? encodeOpReply(body, requestId, responseTo) : encodeOpMsgReply(body, requestId, responseTo);
    const size = parts.reduce((n, p) => n + p.length, 0);
    if (size <= SMALL_REPLY) {
      // Most replies are small: one buffer and one write is cheaper than a corked writev.
      this.socket.write(parts.length === 1 ? parts[0] : Buffer.concat(parts, size));
      return;
    }
    this.socket.cork();
    for (const p of parts) this.socket.write(p);
    this.socket.uncork();
  }
}

export function startWireServer(opts: {
  host: string;
  port: number;
  execute: CommandExecutor;
  logger: Logger;
}): Promise<WireServer> {
  const sockets = new Set<net.Socket>();
  let nextConnectionId = 1;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    new Connection(socket, nextConnectionId++, opts.execute, opts.logger);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : opts.port;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

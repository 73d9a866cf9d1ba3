/**
 * Test helper: a real SMTP server (`smtp-server`) on 127.0.0.1 that keeps
 * every message it accepted. A message counts as accepted only once the
 * server answered 250 to its DATA — as for a real mail server. Tests can
 * make it refuse the next messages (4xx/5xx), or hold its answer to DATA
 * (to kill a client in the middle of the SMTP transaction).
 */
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface SunkMessage {
  from: string;
  to: string[];
  raw: string;
  messageId: string | undefined;
  /** decoded (RFC 2047) */
  subject: string | undefined;
  /** the body of a single-part message, decoded (base64 or quoted-printable) */
  text: string;
  user: string | undefined;
}

export interface SmtpSink {
  url: string;
  port: number;
  messages: SunkMessage[];
  /** the next `count` messages get this SMTP reply instead of 250 */
  refuseNext(code: number, text: string, count?: number): void;
  /** the next message's DATA is never answered (until close) */
  holdNext(): Promise<void>;
  waitForMessages(count: number, timeoutMs?: number): Promise<SunkMessage[]>;
  close(): Promise<void>;
}

function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const match = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded);
  return match?.[1]?.trim();
}

function decodeQuotedPrintable(body: string): string {
  const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function decodeBody(raw: string): string {
  const [, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  const encoding = header(raw, 'Content-Transfer-Encoding')?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= / =?UTF-8?Q?…?=). */
function decodeWords(value: string | undefined): string | undefined {
  return value
    ?.replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, kind: string, text: string) =>
      kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

export async function startSmtpSink(options: { auth?: { user: string; pass: string } } = {}): Promise<SmtpSink> {
  const messages: SunkMessage[] = [];
  const refusals: Array<{ code: number; text: string }> = [];
  let holdResolve: (() => void) | undefined;
  let isHolding = false;
  const server = new SMTPServer({
    disabledCommands: options.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !options.auth,
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (isHolding) {
          isHolding = false;
          holdResolve?.();
          return; // never answered: the client sees no 250
        }
        const refusal = refusals.shift();
        if (refusal) return callback(Object.assign(new Error(refusal.text), { responseCode: refusal.code }));
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw,
          messageId: header(raw, 'Message-ID'),
          subject: decodeWords(header(raw, 'Subject')),
          text: decodeBody(raw),
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    refuseNext(code, text, count = 1) {
      for (let i = 0; i < count; i++) refusals.push({ code, text });
    },
    holdNext() {
      isHolding = true;
      return new Promise<void>((resolve) => {
        holdResolve = resolve;
      });
    },
    async waitForMessages(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} message(s); got ${messages.length}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

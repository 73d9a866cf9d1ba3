/** Handshake and server-information commands. */
import { CommandError } from '../errors.ts';
import type { Doc } from '../bson/types.ts';
import { MAX_BSON_SIZE, MAX_MESSAGE_SIZE } from '../wire/messages.ts';
import type { CommandContext, CommandHandler } from './types.ts';

export const SERVER_VERSION = '7.0.0';
export const MAX_WIRE_VERSION = 21;
export const MAX_WRITE_BATCH_SIZE = 100_000;

function hello(ctx: CommandContext): Doc {
  const isLegacyName = ctx.name !== 'hello';
  const reply: Doc = {};
  if (ctx.body.helloOk === true) reply.helloOk = true;
  reply[isLegacyName ? 'ismaster' : 'isWritablePrimary'] = true;
  // No topologyVersion (the driver then polls instead of streaming) and no
  // logicalSessionTimeoutMinutes: sessions and transactions are not offered.
  Object.assign(reply, {
    maxBsonObjectSize: MAX_BSON_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
    localTime: new Date(),
    connectionId: ctx.conn.id,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
  });
  return reply;
}

const PARAMETERS: Doc = {
  featureCompatibilityVersion: { version: '7.0' },
  authenticationMechanisms: [],
  javascriptEnabled: false,
};

function getParameter(ctx: CommandContext): Doc {
  const arg = ctx.body.getParameter;
  if (arg === '*' || (typeof arg === 'object' && arg !== null && (arg as Doc).allParameters === true)) return { ...PARAMETERS };
  const out: Doc = {};
  for (const k of Object.keys(ctx.body)) {
    if (k === 'getParameter' || k.startsWith('$') || k === 'lsid' || k === 'comment') continue;
    if (!(k in PARAMETERS)) throw new CommandError(72, `no option found to get: ${k}`);
    out[k] = PARAMETERS[k];
  }
  if (Object.keys(out).length === 0) throw new CommandError(72, 'no option found to get');
  return out;
}

function buildInfo(): Doc {
  return {
    version: SERVER_VERSION,
    gitVersion: 'relata-embedded',
    modules: [],
    allocator: 'system',
    javascriptEngine: 'none',
    sysInfo: 'deprecated',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_SIZE,
    storageEngines: ['relata-embedded-sqlite'],
    buildEnvironment: {},
  };
}

const empty: CommandHandler = () => ({});

export const HANDSHAKE_COMMANDS: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: empty,
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] } }),
  endSessions: empty,
  killAllSessions: empty,
  killSessions: empty,
  refreshSessions: empty,
  logout: empty,
  whatsmyuri: (ctx) => ({ you: ctx.conn.remote }),
  saslStart: () => {
    throw new CommandError(18, 'Authentication failed.');
  },
  saslContinue: () => {
    throw new CommandError(18, 'Authentication failed.');
  },
  authenticate: () => {
    throw new CommandError(18, 'Authentication failed.');
  },
};

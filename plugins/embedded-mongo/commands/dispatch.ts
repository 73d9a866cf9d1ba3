/**
 * Turns a command document into a reply: finds the handler, applies the checks every
 * command shares (`$db`, no transactions), and maps failures to `{ok: 0, code, errmsg}`.
 */
import { CommandError, errorReply } from '../errors.ts';
import type { Doc } from '../bson/types.ts';
import type { Engine } from '../engine/engine.ts';
import type { ConnectionInfo } from '../wire/server.ts';
import { checkDbName } from './args.ts';
import { COMMANDS } from './registry.ts';

/** Commands the legacy OP_QUERY path may carry (mongod ≥ 5.1 allows only the handshake). */
const LEGACY_ALLOWED = new Set(['hello', 'isMaster', 'ismaster', 'saslStart', 'saslContinue', 'ping', 'buildInfo', 'buildinfo']);

function toError(err: unknown): CommandError {
  if (err instanceof CommandError) return err;
  if (err instanceof Error && (err.name === 'MingoError' || err.constructor.name === 'MingoError' || err.name === 'BSONError')) {
    return new CommandError(2, err.message);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new CommandError(1, `internal error: ${message}`);
}

export function createExecutor(engine: Engine, logError: (msg: string) => void) {
  return (body: Doc, conn: ConnectionInfo, isLegacy: boolean, insertBytes?: Buffer[]): Doc => {
    try {
      const name = Object.keys(body)[0];
      if (name === undefined) throw new CommandError(59, 'no such command: \'\'');
      const handler = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
      if (!handler) throw new CommandError(59, `no such command: '${name}'`);
      if (isLegacy && !LEGACY_ALLOWED.has(name)) {
        throw new CommandError(352, `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade.`);
      }
      const db = body.$db;
      if (typeof db !== 'string') throw new CommandError(40571, 'OP_MSG requests require a $db argument');
      checkDbName(db);
      if (body.txnNumber !== undefined || body.startTransaction !== undefined || body.autocommit !== undefined) {
        throw new CommandError(20, 'Transaction numbers are only allowed on a replica set member or mongos');
      }
      const reply = handler({ engine, db, body, conn, name, insertBytes });
      reply.ok = 1;
      return reply;
    } catch (err) {
      const e = toError(err);
      if (e.code === 1) logError(`command failed: ${e.message}${err instanceof Error && err.stack ? `\n${err.stack}` : ''}`);
      return errorReply(e);
    }
  };
}

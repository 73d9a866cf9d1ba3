/** What every command handler receives and returns. */
import type { Doc } from '../bson/types.ts';
import type { Engine } from '../engine/engine.ts';
import type { ConnectionInfo } from '../wire/server.ts';

export interface CommandContext {
  engine: Engine;
  /** `$db` of the request. */
  db: string;
  /** The command document (first key is the command name). */
  body: Doc;
  conn: ConnectionInfo;
  /** The first field's name as sent (e.g. `isMaster` vs `hello`). */
  name: string;
  /** For inserts sent as a document sequence: each document's stored-form BSON, by position. */
  insertBytes?: Buffer[];
}

/** Returns the reply without `ok` (the dispatcher appends `ok: 1`). */
export type CommandHandler = (ctx: CommandContext) => Doc;

/** Every command the engine answers, by name. Anything else is CommandNotFound (59). */
import { ADMIN_COMMANDS } from './admin.ts';
import { aggregateCommand } from './aggregate.ts';
import { countCommand, distinctCommand } from './count.ts';
import { FIND_COMMANDS } from './find.ts';
import { HANDSHAKE_COMMANDS } from './handshake.ts';
import { INDEX_COMMANDS } from './indexes.ts';
import { deleteCommand } from './delete.ts';
import { findAndModifyCommand } from './find-and-modify.ts';
import { insertCommand } from './insert.ts';
import { updateCommand } from './update.ts';
import type { CommandHandler } from './types.ts';

export const COMMANDS: Record<string, CommandHandler> = {
  ...HANDSHAKE_COMMANDS,
  ...ADMIN_COMMANDS,
  ...INDEX_COMMANDS,
  ...FIND_COMMANDS,
  insert: insertCommand,
  update: updateCommand,
  delete: deleteCommand,
  findAndModify: findAndModifyCommand,
  findandmodify: findAndModifyCommand,
  aggregate: aggregateCommand,
  count: countCommand,
  distinct: distinctCommand,
};

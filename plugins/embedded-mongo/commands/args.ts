/** Argument readers that fail with mongod's error codes and wording. */
import { CommandError } from '../errors.ts';
import { bsonType, isNumeric, isPlainObject, toNumber, type Doc } from '../bson/types.ts';
import type { CommandContext } from './types.ts';

const typeNameForError = (v: unknown): string => bsonType(v);

function wrongType(ctx: CommandContext, field: string, v: unknown, expected: string): CommandError {
  return new CommandError(14, `BSON field '${ctx.name}.${field}' is the wrong type '${typeNameForError(v)}', expected type '${expected}'`);
}

export function optDoc(ctx: CommandContext, field: string): Doc | undefined {
  const v = ctx.body[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) throw wrongType(ctx, field, v, 'object');
  return v;
}

export function optArray(ctx: CommandContext, field: string): unknown[] | undefined {
  const v = ctx.body[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw wrongType(ctx, field, v, 'array');
  return v;
}

export function optNumber(ctx: CommandContext, field: string): number | undefined {
  const v = ctx.body[field];
  if (v === undefined || v === null) return undefined;
  if (!isNumeric(v)) throw wrongType(ctx, field, v, 'number');
  return toNumber(v);
}

export function optBool(ctx: CommandContext, field: string): boolean | undefined {
  const v = ctx.body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (isNumeric(v)) return toNumber(v) !== 0;
  throw wrongType(ctx, field, v, 'bool');
}

export function optString(ctx: CommandContext, field: string): string | undefined {
  const v = ctx.body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw wrongType(ctx, field, v, 'string');
  return v;
}

export function checkDbName(db: string): void {
  if (!db || /[/\\. "$\0]/.test(db) || db.length > 63) throw new CommandError(73, `Invalid database name: '${db}'`);
}

export function checkCollName(db: string, name: string): void {
  if (!name || name.includes('\0') || name.startsWith('.') || name.includes('$') || name.startsWith('system.')) {
    throw new CommandError(73, `Invalid collection name: ${db}.${name}`);
  }
}

/** The collection name carried by the command's first field. */
export function collectionArg(ctx: CommandContext): string {
  const v = ctx.body[ctx.name];
  if (typeof v !== 'string') {
    throw new CommandError(73, `collection name has invalid type ${typeNameForError(v)}`);
  }
  checkCollName(ctx.db, v);
  return v;
}

/** Fields any command may carry (driver and server plumbing). */
export const GENERIC_FIELDS = new Set([
  'lsid', 'txnNumber', 'autocommit', 'startTransaction', 'readConcern', 'writeConcern', 'maxTimeMS', 'comment',
  'apiVersion', 'apiStrict', 'apiDeprecationErrors', 'mayBypassWriteBlocking', 'readPreference',
]);

/** Rejects fields the command does not define (40415), as mongod's IDL parser does. */
export function checkFields(ctx: CommandContext, allowed: readonly string[]): void {
  for (const k of Object.keys(ctx.body)) {
    if (k === ctx.name || k.startsWith('$') || GENERIC_FIELDS.has(k) || allowed.includes(k)) continue;
    throw new CommandError(40415, `BSON field '${ctx.name}.${k}' is an unknown field.`);
  }
}

/** A required field (40414 when missing). */
export function required<T>(ctx: CommandContext, field: string, value: T | undefined): T {
  if (value === undefined) throw new CommandError(40414, `BSON field '${ctx.name}.${field}' is missing but a required field`);
  return value;
}

/** Per-item write errors as MongoDB reports them inside `writeErrors`. */
import { CommandError } from '../errors.ts';
import type { Doc } from '../bson/types.ts';

export function writeError(index: number, err: unknown): Doc {
  const e = err instanceof CommandError ? err : new CommandError(1, err instanceof Error ? err.message : String(err));
  const out: Doc = { index, code: e.code };
  if (e.extra.keyPattern) out.keyPattern = e.extra.keyPattern;
  if (e.extra.keyValue) out.keyValue = e.extra.keyValue;
  if (e.extra.errInfo) out.errInfo = e.extra.errInfo;
  out.errmsg = e.message;
  return out;
}

/** Only engine errors become per-item write errors; anything else is a bug and must surface. */
export function isItemError(err: unknown): err is CommandError {
  return err instanceof CommandError;
}

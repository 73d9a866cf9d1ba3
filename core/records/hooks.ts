/**
 * Per-entity write hooks for entities whose records need platform logic
 * beyond metadata (the system entity `user`: its write-only password, who may
 * grant roles). Two kinds, as everywhere: `before` may change or refuse a
 * write; `after` runs once it is stored and never undoes it.
 */
import type { RequestContext } from '../context.ts';
import type { StoredRecord } from './stored-record.ts';

export type HookedOperation = 'create' | 'update' | 'delete';

export interface RecordWriteHook {
  /**
   * Input keys that are not fields of the entity, taken out of the body
   * before validation and handed to the hook (write-only inputs such as
   * `password`). They never reach the record, its history or its events.
   */
  writeOnly?: readonly string[];
  /** Before the write: may change `record` (stored form) or throw to refuse. `record` is undefined on delete. */
  before?(input: { ctx: RequestContext; op: HookedOperation; record?: StoredRecord; current?: StoredRecord; writeOnly: Record<string, unknown> }): Promise<void>;
  /** After the write is stored. On update it runs even when only write-only inputs changed. */
  after?(input: { ctx: RequestContext; op: HookedOperation; record: StoredRecord; current?: StoredRecord; writeOnly: Record<string, unknown> }): Promise<void>;
}

/** Entity name → its hook. */
export type RecordHooks = ReadonlyMap<string, RecordWriteHook>;

/** Splits the write-only keys off a body (the body itself is left untouched). */
export function takeWriteOnly(hook: RecordWriteHook | undefined, body: Record<string, unknown>): { body: Record<string, unknown>; writeOnly: Record<string, unknown> } {
  const names = hook?.writeOnly ?? [];
  if (names.length === 0) return { body, writeOnly: {} };
  // fromEntries defines own properties, so a `__proto__` key stays a key (and is refused later).
  const entries = Object.entries(body);
  return {
    body: Object.fromEntries(entries.filter(([key]) => !names.includes(key))),
    writeOnly: Object.fromEntries(entries.filter(([key]) => names.includes(key))),
  };
}

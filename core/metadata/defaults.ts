/** Default values of a new record, applied to a create body before validation. */
import { isWritableField } from './compile-schema.ts';
import type { EntityDefinition } from './types.ts';

/** A copy of `data` with each absent writable field that has a default set to (a copy of) it. */
export function withDefaults(def: EntityDefinition, data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...data };
  for (const field of def.fields) {
    if (field.default === undefined || !isWritableField(field) || out[field.name] !== undefined) continue;
    out[field.name] = structuredClone(field.default);
  }
  return out;
}

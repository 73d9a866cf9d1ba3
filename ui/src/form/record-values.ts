/**
 * A record as the form edits it: expanded references turned back into ids
 * (their titles kept aside), and the merge patch of what changed.
 */
import type { EntityDefinition } from '../../../core/metadata/types.ts';
import { entityByName, titleOf, visibleFields } from '../lib/meta.ts';

export function toFormValues(entity: EntityDefinition, record: Record<string, unknown>): { values: Record<string, unknown>; titles: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const titles: Record<string, string> = {};
  const idOf = (target: string | undefined, value: unknown): unknown => {
    if (typeof value === 'object' && value !== null && typeof (value as { _id?: unknown })._id === 'string') {
      const id = (value as { _id: string })._id;
      titles[id] = titleOf(entityByName(target ?? ''), value as Record<string, unknown>);
      return id;
    }
    return value;
  };
  for (const field of visibleFields(entity)) {
    const value = record[field.name];
    if (value === undefined) continue;
    values[field.name] = field.type === 'references' && Array.isArray(value) ? value.map((v) => idOf(field.entity, v)) : field.type === 'reference' ? idOf(field.entity, value) : value;
  }
  return { values, titles };
}

export function createDefaults(entity: EntityDefinition): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of entity.fields) if (field.default !== undefined && !field.retired && field.type !== 'computed') values[field.name] = field.default;
  return values;
}

/** Only the writable keys; on update only those that changed (null clears). */
export function payloadOf(input: { values: Record<string, unknown>; original: Record<string, unknown> | null; writable: Set<string> }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input.values)) {
    if (!input.writable.has(name)) continue;
    if (input.original === null) {
      if (value !== null && value !== undefined && value !== '') out[name] = value;
    } else if (JSON.stringify(value ?? null) !== JSON.stringify(input.original[name] ?? null)) {
      out[name] = value ?? null;
    }
  }
  return out;
}

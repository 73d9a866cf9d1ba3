/**
 * Values the platform derives on every write: computed fields (json-logic,
 * evaluated on write so they can be filtered, sorted and indexed) and the
 * hidden `_search` tokens of the searchable fields.
 */
import { computeFields } from '../metadata/computed.ts';
import type { EntityDefinition } from '../metadata/types.ts';
import { searchableFields, searchTokens } from '../search/normalize.ts';
import { fieldToStorage } from './codec.ts';
import type { StoredRecord } from './stored-record.ts';

export function deriveFields(entity: EntityDefinition, record: StoredRecord): Record<string, unknown> {
  const derived: Record<string, unknown> = {};
  // computeFields answers JSON forms; store them in their result type's form (a datetime as a Date).
  const byName = new Map(entity.fields.map((field) => [field.name, field]));
  for (const [name, value] of Object.entries(computeFields(entity, record).values)) {
    const field = byName.get(name);
    derived[name] = field ? fieldToStorage(field, value) : value;
  }
  const searchable = searchableFields(entity);
  if (searchable.length > 0) derived._search = searchTokens({ ...record, ...derived }, searchable);
  return derived;
}

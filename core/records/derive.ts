/**
 * Values the platform derives on every write: computed fields (json-logic,
 * evaluated on write so they can be filtered, sorted and indexed), the
 * hidden `_search` tokens of the searchable fields and the hidden
 * `_dupKeys` of entities with duplicate control.
 */
import { DUPLICATE_KEYS_FIELD, duplicateKeys } from '../engagement/duplicates/keys.ts';
import { computeFields } from '../metadata/computed.ts';
import type { EntityDefinition } from '../metadata/types.ts';
import { searchableFields, searchTokens } from '../search/normalize.ts';
import { fieldToStorage } from './codec.ts';
import type { StoredRecord } from './stored-record.ts';

/** Hidden fields derived on every write: an update stores them whenever they are present. */
export const DERIVED_HIDDEN_FIELDS = ['_search', DUPLICATE_KEYS_FIELD] as const;

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
  const keys = duplicateKeys(entity, { ...record, ...derived });
  if (keys) derived[DUPLICATE_KEYS_FIELD] = keys;
  return derived;
}

/**
 * Stored record → JSON response: system fields first, then the entity's
 * fields converted by their codecs; hidden, retired-but-kept and
 * access-hidden fields left out.
 */
import type { EntityDefinition } from '../metadata/types.ts';
import { anyToJson, fieldToJson } from './codec.ts';
import type { StoredRecord } from './stored-record.ts';

const SYSTEM_ORDER = ['_id', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'owner', 'direction', 'stage', 'stageEnteredAt'] as const;

export type JsonRecord = Record<string, unknown>;

export function serializeRecord(input: {
  entity: EntityDefinition;
  record: StoredRecord;
  hidden: ReadonlySet<string>;
  /** when set, only these fields (plus `_id` and `version`) */
  fields?: ReadonlySet<string>;
}): JsonRecord {
  const { entity, record, hidden, fields } = input;
  const out: JsonRecord = {};
  const isWanted = (name: string) => !hidden.has(name) && (!fields || fields.has(name) || name === '_id' || name === 'version');
  for (const name of SYSTEM_ORDER) {
    if (record[name] !== undefined && isWanted(name)) out[name] = anyToJson(record[name]);
  }
  for (const field of entity.fields) {
    if (field.retired || !isWanted(field.name)) continue;
    const value = record[field.name];
    if (value !== undefined) out[field.name] = fieldToJson(field, value);
  }
  return out;
}

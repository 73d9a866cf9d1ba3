/**
 * Which values the surviving record takes in a merge. For each field the
 * caller may write: "from" takes the merged record's value (even an empty
 * one), "into" keeps the surviving record's; a field not named keeps the
 * surviving value and is filled from the merged record only where it is
 * empty — the "master record wins, gaps filled" rule of Salesforce and
 * HubSpot. Owner and direction follow the same rule when named, and are
 * kept otherwise.
 */
import type { EntityDefinition } from '../../metadata/types.ts';
import { anyToJson, fieldToJson } from '../../records/codec.ts';
import type { StoredRecord } from '../../records/stored-record.ts';
import type { FieldError } from '../../shared/errors.ts';
import type { FieldChoice } from './journal.ts';

const isEmpty = (value: unknown) => value === undefined || value === null || (Array.isArray(value) && value.length === 0);

/** Problems with the caller's `fields` choices (unknown, computed, not writable). */
export function choiceErrors(input: { entity: EntityDefinition; fields: Record<string, unknown>; forbidden: ReadonlySet<string> }): FieldError[] {
  const { entity } = input;
  const errors: FieldError[] = [];
  const features = new Set([entity.features?.owner ? 'owner' : '', entity.features?.direction ? 'direction' : ''].filter(Boolean));
  for (const [name, choice] of Object.entries(input.fields)) {
    const path = `/fields/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const field = entity.fields.find((f) => f.name === name && !f.retired);
    if (choice !== 'from' && choice !== 'into') errors.push({ path, message: 'must be "from" or "into"' });
    else if (!field && !features.has(name)) errors.push({ path, message: 'is not a field of this entity' });
    else if (field && (field.type === 'computed' || field.readonly)) errors.push({ path, message: 'is computed or read-only; it cannot be chosen' });
    else if (input.forbidden.has(name)) errors.push({ path, message: 'you may not write this field' });
  }
  return errors;
}

/** The update (JSON form) that gives the surviving record its merged values. */
export function mergedValues(input: { entity: EntityDefinition; from: StoredRecord; into: StoredRecord; fields: Record<string, FieldChoice>; forbidden: ReadonlySet<string> }): Record<string, unknown> {
  const { entity, from, into, fields, forbidden } = input;
  const data: Record<string, unknown> = {};
  for (const field of entity.fields) {
    if (field.retired || field.type === 'computed' || field.readonly || forbidden.has(field.name)) continue;
    const choice = fields[field.name];
    const fromValue = from[field.name];
    if (choice === 'from') data[field.name] = isEmpty(fromValue) ? null : fieldToJson(field, fromValue);
    else if (choice === undefined && isEmpty(into[field.name]) && !isEmpty(fromValue)) data[field.name] = fieldToJson(field, fromValue);
  }
  for (const name of ['owner', 'direction'] as const) {
    if (fields[name] === 'from' && !forbidden.has(name)) data[name] = from[name] === undefined ? null : anyToJson(from[name]);
  }
  return data;
}

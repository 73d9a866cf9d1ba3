/**
 * Shared steps of create and update: refuse what a client may never write
 * (system fields, hidden and read-only fields, computed fields, unknown
 * keys), split off feature fields (owner, direction, stage) that the
 * platform handles itself, and convert values to their stored form.
 */
import { ObjectId } from 'mongodb';
import { FEATURE_FIELDS, SYSTEM_FIELDS, type EntityDefinition } from '../metadata/types.ts';
import { badRequest, forbidden, type FieldError } from '../shared/errors.ts';
import { fieldToStorage } from './codec.ts';

const SYSTEM = new Set<string>([...SYSTEM_FIELDS, '_search', '_outbox', 'id']);
const DANGEROUS_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface SplitInput {
  /** entity field values, still in JSON form, for schema validation */
  fields: Record<string, unknown>;
  owner?: string | null;
  direction?: string | null;
  /** keys refused by name (unknown, system, computed …): reported with the schema's errors */
  errors: FieldError[];
}

export function assertPlainObject(body: unknown, what = 'The request body'): asserts body is Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest(`${what} must be a JSON object`);
}

export function splitInput(input: {
  entity: EntityDefinition;
  body: Record<string, unknown>;
  readonlyForCaller: ReadonlySet<string>;
  hiddenForCaller: ReadonlySet<string>;
}): SplitInput {
  const { entity, body } = input;
  const errors: FieldError[] = [];
  const denied: string[] = [];
  const out: SplitInput = { fields: {}, errors };
  const features = entity.features ?? {};
  const byName = new Map(entity.fields.map((field) => [field.name, field]));
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (DANGEROUS_KEYS.has(key) || key.startsWith('$') || key.includes('.')) {
      errors.push({ path: `/${key}`, message: 'is not an allowed field name' });
    } else if (SYSTEM.has(key)) {
      errors.push({ path: `/${key}`, message: 'is a system field and cannot be written' });
    } else if (key === 'owner' && features.owner) {
      if (input.readonlyForCaller.has('owner')) denied.push(key);
      else if (value !== null && !(typeof value === 'string' && /^[0-9a-f]{24}$/i.test(value))) errors.push({ path: '/owner', message: 'must be a user id' });
      else out.owner = value as string | null;
    } else if (key === 'direction' && features.direction) {
      if (value !== null && typeof value !== 'string') errors.push({ path: '/direction', message: 'must be a direction name' });
      else out.direction = value as string | null;
    } else if ((FEATURE_FIELDS as readonly string[]).includes(key) && key === 'stage' && features.pipeline) {
      errors.push({ path: '/stage', message: 'is changed through the transition endpoint' });
    } else {
      const field = byName.get(key);
      if (!field || field.retired) errors.push({ path: `/${key}`, message: 'is not a field of this entity' });
      else if (field.type === 'computed') errors.push({ path: `/${key}`, message: 'is computed and cannot be written' });
      else if (field.readonly) errors.push({ path: `/${key}`, message: 'is read-only' });
      else if (input.hiddenForCaller.has(key) || input.readonlyForCaller.has(key)) denied.push(key);
      else out.fields[key] = value;
    }
  }
  if (denied.length > 0) throw forbidden(`You may not write the field(s): ${denied.join(', ')}`);
  return out;
}

/** JSON values (already schema-valid) → stored values. `null` stays null (meaning: clear). */
export function toStoredFields(entity: EntityDefinition, fields: Record<string, unknown>): Record<string, unknown> {
  const byName = new Map(entity.fields.map((field) => [field.name, field]));
  const stored: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const field = byName.get(name);
    if (field) stored[name] = value === null ? null : fieldToStorage(field, value);
  }
  return stored;
}

export function toObjectIdOrNull(value: string | null | undefined): ObjectId | null {
  return typeof value === 'string' ? new ObjectId(value) : null;
}

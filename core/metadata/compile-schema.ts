/**
 * Entity metadata → JSON Schema, for create, update and responses. The same
 * schemas validate the API, are served at /meta/entities/:entity/schema and
 * drive the UI's forms and the importer.
 *
 * - create: the writable fields; fields that are required and have no
 *   default are `required`; non-required fields may be null.
 * - update: a JSON merge patch (RFC 7396) — every field optional, `null`
 *   clears a non-required field; a required field can never be null.
 * - both refuse unknown keys, and leave out what clients never write:
 *   system fields, computed, read-only and retired fields, and `stage`
 *   (moved by transitions). `owner` and `direction` are writable where the
 *   entity has those features (access control decides who may set them).
 * - response: everything a record may carry, including system fields.
 */
import type { EntityDefinition, FieldDefinition } from './types.ts';
import { fieldValueSchema, nullable, OBJECT_ID_PATTERN, type JsonSchema } from './field-schema.ts';

export type { JsonSchema } from './field-schema.ts';

export interface EntitySchemas {
  create: JsonSchema;
  update: JsonSchema;
  response: JsonSchema;
}

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';
const NAME_PATTERN = '^[a-z][a-zA-Z0-9]*$';
const objectId = { type: 'string', pattern: OBJECT_ID_PATTERN };

/** Whether clients may write this field at all. */
export function isWritableField(field: FieldDefinition): boolean {
  return field.type !== 'computed' && !field.readonly && !field.retired;
}

function featureProperties(def: EntityDefinition): Record<string, JsonSchema> {
  const features = def.features ?? {};
  const out: Record<string, JsonSchema> = {};
  if (features.owner) out.owner = { title: 'Owner', description: 'The responsible user (user id).', ...objectId };
  if (features.direction) out.direction = { title: 'Direction', description: 'The business direction (its name).', type: 'string', pattern: NAME_PATTERN, maxLength: 64 };
  return out;
}

function writeSchema(def: EntityDefinition, mode: 'create' | 'update'): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const field of def.fields) {
    if (!isWritableField(field)) continue;
    const value = fieldValueSchema(field, { withDefault: mode === 'create' });
    properties[field.name] = field.required ? value : nullable(value);
    if (mode === 'create' && field.required && field.default === undefined) required.push(field.name);
  }
  for (const [name, schema] of Object.entries(featureProperties(def))) {
    // owner may be cleared; a direction, once given, is only ever moved
    properties[name] = name === 'owner' ? nullable(schema) : schema;
  }
  return {
    $schema: DRAFT,
    title: `${def.label.en} (${mode})`,
    type: 'object',
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
  };
}

function responseSchema(def: EntityDefinition): JsonSchema {
  const properties: Record<string, JsonSchema> = {
    _id: { ...objectId, readOnly: true },
    createdAt: { type: 'string', format: 'date-time', readOnly: true },
    updatedAt: { type: 'string', format: 'date-time', readOnly: true },
    createdBy: { ...nullable(objectId), readOnly: true },
    updatedBy: { ...nullable(objectId), readOnly: true },
    version: { type: 'integer', minimum: 1, readOnly: true },
  };
  for (const field of def.fields) {
    if (field.retired) continue;
    const value = fieldValueSchema(field);
    properties[field.name] = nullable(field.readonly ? { ...value, readOnly: true } : value);
  }
  Object.assign(properties, featureProperties(def));
  if (def.features?.owner) properties.owner = nullable(properties.owner);
  if (def.features?.pipeline) {
    properties.stage = { title: 'Stage', type: 'string', pattern: NAME_PATTERN, readOnly: true };
    properties.stageEnteredAt = { title: 'In stage since', type: 'string', format: 'date-time', readOnly: true };
  }
  return {
    $schema: DRAFT,
    title: def.label.en,
    type: 'object',
    properties,
    required: ['_id', 'createdAt', 'updatedAt', 'version'],
  };
}

export function compileEntitySchema(def: EntityDefinition): EntitySchemas {
  return { create: writeSchema(def, 'create'), update: writeSchema(def, 'update'), response: responseSchema(def) };
}

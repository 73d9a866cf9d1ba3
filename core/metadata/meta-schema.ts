/**
 * Checks a metadata document against its meta-schema (metadata/schema/*.json).
 * Ajv compiles the meta-schemas once, on first use, in a private instance.
 */
import type { ValidateFunction } from 'ajv';
import type { FieldError } from '../shared/errors.ts';
import commonSchema from '../../metadata/schema/common.schema.json' with { type: 'json' };
import directionSchema from '../../metadata/schema/direction.schema.json' with { type: 'json' };
import entitySchema from '../../metadata/schema/entity.schema.json' with { type: 'json' };
import fieldSchema from '../../metadata/schema/field.schema.json' with { type: 'json' };
import pipelineSchema from '../../metadata/schema/pipeline.schema.json' with { type: 'json' };
import roleSchema from '../../metadata/schema/role.schema.json' with { type: 'json' };
import ruleSchema from '../../metadata/schema/rule.schema.json' with { type: 'json' };
import { createAjv } from './ajv.ts';
import { ajvToFieldErrors } from './ajv-errors.ts';

export type MetaSchemaKind = 'entity' | 'field' | 'direction' | 'role' | 'pipeline' | 'rule';

const SCHEMAS: Record<MetaSchemaKind, { $id: string }> = {
  entity: entitySchema,
  field: fieldSchema,
  direction: directionSchema,
  role: roleSchema,
  pipeline: pipelineSchema,
  rule: ruleSchema,
};

let compiled: Record<MetaSchemaKind, ValidateFunction> | undefined;

function validators(): Record<MetaSchemaKind, ValidateFunction> {
  if (!compiled) {
    const ajv = createAjv();
    ajv.addSchema(commonSchema);
    for (const schema of Object.values(SCHEMAS)) ajv.addSchema(schema);
    const get = (kind: MetaSchemaKind) => {
      const fn = ajv.getSchema(SCHEMAS[kind].$id);
      if (!fn) throw new Error(`meta-schema ${kind} failed to compile`);
      return fn;
    };
    compiled = { entity: get('entity'), field: get('field'), direction: get('direction'), role: get('role'), pipeline: get('pipeline'), rule: get('rule') };
  }
  return compiled;
}

/** The meta-schema of a kind, as JSON (for the API and the UI). */
export function metaSchema(kind: MetaSchemaKind | 'common'): unknown {
  return kind === 'common' ? commonSchema : SCHEMAS[kind];
}

/** Meta-schema errors of `doc` with JSON-Pointer paths under `base`; [] when it conforms. */
export function checkMetaSchema(kind: MetaSchemaKind, doc: unknown, base = ''): FieldError[] {
  const validate = validators()[kind];
  if (validate(doc)) return [];
  return ajvToFieldErrors(validate.errors, doc, { base });
}

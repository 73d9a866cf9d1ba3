/**
 * One entry point for every metadata kind: the meta-schema, then the checks
 * against the rest of the metadata. Pure: returns errors (JSON-Pointer paths
 * into `doc`), never throws, never writes.
 */
import type { FieldError } from '../shared/errors.ts';
import { checkMetaSchema } from './meta-schema.ts';
import type { EntityDefinition, PipelineDefinition, RoleDefinition, RuleDefinition } from './types.ts';
import { validateEntity } from './validate-entity.ts';
import { validatePipeline } from './validate-pipeline.ts';
import { validateRole } from './validate-role.ts';
import { validateRule } from './validate-rule.ts';

export type MetadataKind = 'entity' | 'direction' | 'role' | 'pipeline' | 'rule';

export interface MetadataContext {
  entities: ReadonlyMap<string, EntityDefinition>;
  pipelines?: ReadonlyMap<string, PipelineDefinition>;
  roles?: ReadonlyMap<string, RoleDefinition>;
  /** the stored rules (a rule must not form a cycle with them) */
  rules?: ReadonlyMap<string, RuleDefinition>;
}

const VALIDATORS: Record<MetadataKind, (doc: unknown, ctx: MetadataContext) => FieldError[]> = {
  entity: validateEntity,
  // directions reference nothing: the meta-schema is the whole check
  direction: (doc) => checkMetaSchema('direction', doc),
  role: validateRole,
  pipeline: validatePipeline,
  rule: validateRule,
};

export function validateMetadata(kind: MetadataKind, doc: unknown, ctx: MetadataContext): FieldError[] {
  return VALIDATORS[kind](doc, ctx);
}

/**
 * Validates an entity definition: the meta-schema first (shape), then the
 * checks that need the whole entity and the other entities — reserved and
 * duplicate names, title and search fields, references, cycles, patterns,
 * defaults, indexes, computed expressions, and the engagement options
 * (validate-entity-options.ts). Pure: returns errors (JSON-Pointer
 * paths into the document), never throws, never writes.
 */
import type { FieldError } from '../shared/errors.ts';
import { pointer } from '../logic/json-pointer.ts';
import { computedCycles, computedDependencies, requiredReferenceCycles } from './entity-graph.ts';
import { checkMetaSchema } from './meta-schema.ts';
import { platformFieldNames, reservedNameProblem } from './reserved-names.ts';
import type { EntityDefinition, FieldDefinition, FieldType, PipelineDefinition } from './types.ts';
import { entityOptionErrors } from './validate-entity-options.ts';
import { validateField } from './validate-field.ts';

export interface EntityValidationContext {
  /** every known entity by name (the one being validated may be among them, old or new) */
  entities: ReadonlyMap<string, EntityDefinition>;
  /** when given, features.pipeline must name one of these, for this entity */
  pipelines?: ReadonlyMap<string, PipelineDefinition>;
}

const TEXTUAL: ReadonlySet<FieldType> = new Set<FieldType>(['text', 'longtext', 'email', 'phone', 'url']);
const TITLE_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['text', 'email', 'phone', 'url', 'enum', 'integer']);

/** The type a field's values have (a computed field's result type). */
const valueType = (f: FieldDefinition): FieldType => (f.type === 'computed' ? (f.resultType ?? 'computed') : f.type);

export function validateEntity(def: unknown, ctx: EntityValidationContext): FieldError[] {
  const shapeErrors = checkMetaSchema('entity', def);
  if (shapeErrors.length > 0) return withNameMessages(shapeErrors, def);
  const entity = def as EntityDefinition;
  const errors: FieldError[] = [];
  const byName = new Map<string, { field: FieldDefinition; index: number }>();
  entity.fields.forEach((field, index) => {
    const at = pointer('/fields', index);
    const reserved = reservedNameProblem(field.name, entity.features);
    const earlier = byName.get(field.name);
    if (reserved) errors.push({ path: `${at}/name`, message: reserved });
    else if (earlier) errors.push({ path: `${at}/name`, message: `duplicates the name of field ${earlier.index} ("${field.name}")` });
    else byName.set(field.name, { field, index });
    errors.push(...validateField(field, at));
    if (field.searchable && !TEXTUAL.has(valueType(field))) errors.push({ path: `${at}/searchable`, message: `a ${valueType(field)} field cannot be searched as text` });
    if ((field.type === 'reference' || field.type === 'references') && field.entity !== entity.name && !ctx.entities.has(field.entity ?? '')) {
      errors.push({ path: `${at}/entity`, message: `names an unknown entity "${field.entity}"` });
    }
  });
  const live = (name: string) => {
    const hit = byName.get(name);
    return hit && !hit.field.retired ? hit.field : undefined;
  };
  if (entity.titleField !== undefined) {
    const title = live(entity.titleField);
    if (!title) errors.push({ path: '/titleField', message: `names no field of the entity ("${entity.titleField}")` });
    else if (!TITLE_TYPES.has(valueType(title))) errors.push({ path: '/titleField', message: `a ${valueType(title)} field cannot be the title` });
  }
  (entity.searchable ?? []).forEach((name, i) => {
    const field = live(name);
    if (!field) errors.push({ path: `/searchable/${i}`, message: `names no field of the entity ("${name}")` });
    else if (!TEXTUAL.has(valueType(field))) errors.push({ path: `/searchable/${i}`, message: `a ${valueType(field)} field cannot be searched as text` });
  });
  errors.push(...indexErrors(entity, live));
  errors.push(...computedErrors(entity, byName));
  for (const { field, cycle } of requiredReferenceCycles(entity, ctx.entities)) {
    errors.push({
      path: `/fields/${byName.get(field)?.index}/required`,
      message: `required references form a cycle (${cycle.join(' → ')}): no record could ever be created first`,
    });
  }
  errors.push(...pipelineErrors(entity, ctx));
  errors.push(...entityOptionErrors(entity, ctx.entities));
  return errors;
}

/** The reserved-name message instead of "must match pattern" where a name is `$…`, dotted or `_id`. */
function withNameMessages(errors: FieldError[], def: unknown): FieldError[] {
  const fields = (def as { fields?: unknown })?.fields;
  return errors.map((error) => {
    const m = /^\/fields\/(\d+)\/name$/.exec(error.path);
    const name =
      error.path === '/name'
        ? (def as { name?: unknown }).name
        : m && Array.isArray(fields)
          ? (fields[Number(m[1])] as { name?: unknown } | undefined)?.name
          : undefined;
    const problem = typeof name === 'string' ? reservedNameProblem(name) : undefined;
    return problem && error.message.startsWith('must match pattern') ? { ...error, message: problem } : error;
  });
}

function indexErrors(entity: EntityDefinition, live: (name: string) => FieldDefinition | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const platform = new Set(platformFieldNames(entity.features));
  const names = new Map<string, number>();
  (entity.indexes ?? []).forEach((index, i) => {
    for (const key of Object.keys(index.keys)) {
      if (!platform.has(key) && !live(key)) errors.push({ path: pointer('/indexes', i, 'keys', key), message: `names no field of the entity ("${key}")` });
    }
    if (index.name !== undefined) {
      const first = names.get(index.name);
      if (first !== undefined) errors.push({ path: `/indexes/${i}/name`, message: `duplicates the name of index ${first}` });
      else names.set(index.name, i);
    }
  });
  return errors;
}

function computedErrors(entity: EntityDefinition, byName: ReadonlyMap<string, { field: FieldDefinition; index: number }>): FieldError[] {
  const errors: FieldError[] = [];
  const platform = new Set(platformFieldNames(entity.features));
  entity.fields.forEach((field, index) => {
    if (field.type !== 'computed' || field.retired) return;
    for (const dep of computedDependencies(field)) {
      const target = byName.get(dep)?.field;
      if (platform.has(dep) || (target && !target.retired)) continue;
      const why = target ? `reads the retired field "${dep}"` : `reads "${dep}", which is not a field of the entity`;
      errors.push({ path: `/fields/${index}/expression`, message: why });
    }
  });
  for (const { field, cycle } of computedCycles(entity)) {
    const message = cycle.length === 2 ? 'reads its own value' : `computed fields read each other in a cycle (${cycle.join(' → ')})`;
    errors.push({ path: `/fields/${byName.get(field)?.index}/expression`, message });
  }
  return errors;
}

function pipelineErrors(entity: EntityDefinition, ctx: EntityValidationContext): FieldError[] {
  const name = entity.features?.pipeline;
  if (name === undefined || !ctx.pipelines) return [];
  const pipeline = ctx.pipelines.get(name);
  if (!pipeline) return [{ path: '/features/pipeline', message: `names an unknown pipeline "${name}"` }];
  if (pipeline.entity !== entity.name) return [{ path: '/features/pipeline', message: `the pipeline "${name}" belongs to the entity "${pipeline.entity}"` }];
  return [];
}

/**
 * Validates a pipeline: the meta-schema, then unique stage names, `next`
 * naming stages, a first stage that is open (new records start there),
 * every stage reachable from it, required fields and guard fields that
 * exist on the entity, guard conditions that pass validateLogic and read
 * only the entity's fields, and an amount field that is a number or money.
 * Pure: returns errors, never throws.
 */
import type { FieldError } from '../shared/errors.ts';
import { dataPaths } from '../logic/data-paths.ts';
import { validateLogic } from '../logic/validate-logic.ts';
import { checkMetaSchema } from './meta-schema.ts';
import { platformFieldNames } from './reserved-names.ts';
import type { EntityDefinition, PipelineDefinition } from './types.ts';

const AMOUNT_TYPES: ReadonlySet<string> = new Set(['number', 'integer', 'money']);

export interface PipelineValidationContext {
  entities: ReadonlyMap<string, EntityDefinition>;
}

export function validatePipeline(doc: unknown, ctx: PipelineValidationContext): FieldError[] {
  const shapeErrors = checkMetaSchema('pipeline', doc);
  if (shapeErrors.length > 0) return shapeErrors;
  const def = doc as PipelineDefinition;
  const errors: FieldError[] = [];
  const index = new Map<string, number>();
  def.stages.forEach((stage, i) => {
    const first = index.get(stage.name);
    if (first !== undefined) errors.push({ path: `/stages/${i}/name`, message: `duplicates the name of stage ${first} ("${stage.name}")` });
    else index.set(stage.name, i);
  });
  def.stages.forEach((stage, i) => {
    (stage.next ?? []).forEach((next, j) => {
      if (!index.has(next)) errors.push({ path: `/stages/${i}/next/${j}`, message: `names no stage of the pipeline ("${next}")` });
      else if (next === stage.name) errors.push({ path: `/stages/${i}/next/${j}`, message: 'a stage cannot lead to itself' });
    });
  });
  if (def.stages[0].kind !== 'open') errors.push({ path: '/stages/0/kind', message: 'the first stage is where new records start; it must be open' });
  for (const i of unreachable(def)) errors.push({ path: `/stages/${i}`, message: `no stage leads to "${def.stages[i].name}"` });
  const entity = ctx.entities.get(def.entity);
  if (!entity) {
    errors.push({ path: '/entity', message: `names an unknown entity "${def.entity}"` });
    return errors;
  }
  const live = new Set(entity.fields.filter((f) => !f.retired).map((f) => f.name));
  const readable = new Set([...live, ...platformFieldNames(entity.features)]);
  def.stages.forEach((stage, i) => {
    (stage.requiredFields ?? []).forEach((name, j) => {
      if (!live.has(name)) errors.push({ path: `/stages/${i}/requiredFields/${j}`, message: `names no field of ${entity.name} ("${name}")` });
    });
    (stage.guards ?? []).forEach((guard, j) => {
      const at = `/stages/${i}/guards/${j}`;
      if (guard.field !== undefined && !readable.has(guard.field)) errors.push({ path: `${at}/field`, message: `names no field of ${entity.name} ("${guard.field}")` });
      const logicErrors = validateLogic(guard.condition, { path: `${at}/condition` });
      if (logicErrors.length > 0) errors.push(...logicErrors);
      else {
        for (const name of new Set(dataPaths(guard.condition).map((path) => path.split('.')[0]))) {
          if (name !== '' && !readable.has(name)) errors.push({ path: `${at}/condition`, message: `reads "${name}", which is not a field of ${entity.name}` });
        }
      }
    });
  });
  if (def.amountField !== undefined) {
    const field = entity.fields.find((f) => f.name === def.amountField && !f.retired);
    const type = field?.type === 'computed' ? field.resultType : field?.type;
    if (!field) errors.push({ path: '/amountField', message: `names no field of ${entity.name} ("${def.amountField}")` });
    else if (!type || !AMOUNT_TYPES.has(type)) errors.push({ path: '/amountField', message: `must be a number, integer or money field ("${field.name}" is ${type ?? field.type})` });
  }
  return errors;
}

/** Indexes of stages no path from the first stage reaches (a stage without `next` leads anywhere). */
function unreachable(def: PipelineDefinition): number[] {
  const seen = new Set<string>([def.stages[0].name]);
  const queue = [def.stages[0]];
  const byName = new Map(def.stages.map((s) => [s.name, s]));
  while (queue.length > 0) {
    const stage = queue.shift();
    if (!stage) break;
    for (const next of stage.next ?? def.stages.map((s) => s.name)) {
      const target = byName.get(next);
      if (target && !seen.has(next)) {
        seen.add(next);
        queue.push(target);
      }
    }
  }
  return def.stages.flatMap((s, i) => (seen.has(s.name) ? [] : [i]));
}

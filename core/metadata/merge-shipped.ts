/**
 * The merge rule for shipped metadata (applied at every start-up):
 * a three-way merge between the definition shipped last time (`base`), the
 * definition in the database, possibly customised by an administrator
 * (`current`), and the definition shipped now (`next`).
 * - a property the administrator never changed (current == base) follows the
 *   shipped value; a property they changed keeps their value;
 * - shipped fields missing from the database are added; fields the
 *   administrator added are kept; fields are never removed (a field the
 *   vendor dropped is left for the administrator to retire).
 * This is the managed-package rule of Salesforce and the
 * "customisations survive upgrades" rule of Directus/Twenty.
 */
import { isDeepStrictEqual } from 'node:util';
import type { EntityDefinition, FieldDefinition, PipelineDefinition, StageDefinition } from './types.ts';

function mergeValue<T>(base: T | undefined, current: T | undefined, next: T | undefined): T | undefined {
  return isDeepStrictEqual(current, base) ? next : current;
}

function mergeObject<T extends object>(base: T | undefined, current: T, next: T): T {
  const keys = new Set([...Object.keys(current), ...Object.keys(next), ...Object.keys(base ?? {})]);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const value = mergeValue((base as Record<string, unknown> | undefined)?.[key], (current as Record<string, unknown>)[key], (next as Record<string, unknown>)[key]);
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}

export function mergeShippedEntity(base: EntityDefinition | undefined, current: EntityDefinition, next: EntityDefinition): EntityDefinition {
  const { fields: baseFields = [], ...baseRest } = base ?? ({ fields: [] } as unknown as EntityDefinition);
  const { fields: currentFields, ...currentRest } = current;
  const { fields: nextFields, ...nextRest } = next;
  const merged = mergeObject(base ? baseRest : undefined, currentRest, nextRest) as Omit<EntityDefinition, 'fields'>;
  const baseByName = new Map(baseFields.map((field) => [field.name, field]));
  const nextByName = new Map(nextFields.map((field) => [field.name, field]));
  const fields: FieldDefinition[] = currentFields.map((field) => {
    const shipped = nextByName.get(field.name);
    return shipped ? mergeObject(baseByName.get(field.name), field, shipped) : field;
  });
  const present = new Set(currentFields.map((field) => field.name));
  for (const field of nextFields) if (!present.has(field.name)) fields.push(field);
  return { ...merged, name: current.name, fields } as EntityDefinition;
}

/** Pipelines and rules follow the same rule; a rule's actions, trigger and condition count as whole values. */
export function mergeShippedDocument<T extends object>(base: T | undefined, current: T, next: T): T {
  return mergeObject(base, current, next);
}

/** Stages merge by name like fields: the administrator's order and stages are kept, new shipped stages are appended. */
export function mergeShippedPipeline(base: PipelineDefinition | undefined, current: PipelineDefinition, next: PipelineDefinition): PipelineDefinition {
  const { stages: baseStages = [], ...baseRest } = base ?? ({ stages: [] } as unknown as PipelineDefinition);
  const { stages: currentStages, ...currentRest } = current;
  const { stages: nextStages, ...nextRest } = next;
  const merged = mergeObject(base ? baseRest : undefined, currentRest, nextRest);
  const baseByName = new Map(baseStages.map((stage) => [stage.name, stage]));
  const nextByName = new Map(nextStages.map((stage) => [stage.name, stage]));
  const stages: StageDefinition[] = currentStages.map((stage) => {
    const shipped = nextByName.get(stage.name);
    return shipped ? mergeObject(baseByName.get(stage.name), stage, shipped) : stage;
  });
  const present = new Set(currentStages.map((stage) => stage.name));
  for (const stage of nextStages) if (!present.has(stage.name)) stages.push(stage);
  return { ...merged, name: current.name, stages } as PipelineDefinition;
}

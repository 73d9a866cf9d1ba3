/**
 * Entity metadata as the signed-in user may see it (`GET /meta/entities`,
 * which lists only readable entities), refreshed after admin changes and
 * when the window regains focus; the compiled JSON Schemas, cached per
 * entity revision.
 */
import { signal } from '@preact/signals';
import type { EntityDefinition, FieldDefinition, PipelineDefinition } from '../../../core/metadata/types.ts';
import { get } from './api.ts';
import type { JsonSchema } from './validate.ts';

export type { EntityDefinition, FieldDefinition, PipelineDefinition };

export const entities = signal<EntityDefinition[]>([]);
export const metaRevision = signal(0);

export async function loadEntities(): Promise<void> {
  const result = await get<{ items: EntityDefinition[]; revision: number }>('/meta/entities');
  entities.value = result.items;
  metaRevision.value = result.revision;
}

export function entityByName(name: string): EntityDefinition | undefined {
  return entities.value.find((entity) => entity.name === name);
}

/** Fields shown in lists and forms: not retired; platform fields added where the entity has them. */
export function visibleFields(entity: EntityDefinition): FieldDefinition[] {
  const out = entity.fields.filter((field) => !field.retired);
  if (entity.features?.owner) out.push({ name: 'owner', type: 'reference', entity: 'user', label: { en: 'Owner', ru: 'Ответственный' } });
  if (entity.features?.direction) out.push({ name: 'direction', type: 'text', label: { en: 'Direction', ru: 'Направление' } });
  if (entity.features?.pipeline) out.push({ name: 'stage', type: 'text', label: { en: 'Stage', ru: 'Стадия' }, readonly: true });
  return out;
}

export function titleOf(entity: EntityDefinition | undefined, record: Record<string, unknown> | undefined): string {
  if (!record) return '';
  const value = entity?.titleField ? record[entity.titleField] : undefined;
  if (typeof value === 'string' && value) return value;
  return typeof record._id === 'string' ? `#${record._id.slice(-6)}` : '';
}

const schemas = new Map<string, JsonSchema>();
export async function entitySchema(entity: EntityDefinition, mode: 'create' | 'update'): Promise<JsonSchema> {
  const key = `${entity.name}:${entity.revision ?? 0}:${mode}`;
  let schema = schemas.get(key);
  if (!schema) {
    schema = await get<JsonSchema>(`/meta/entities/${entity.name}/schema?for=${mode}`);
    schemas.set(key, schema);
  }
  return schema;
}

const pipelines = new Map<string, PipelineDefinition>();
export async function pipelineOf(entity: EntityDefinition): Promise<PipelineDefinition | null> {
  const name = entity.features?.pipeline;
  if (!name) return null;
  let pipeline = pipelines.get(name);
  if (!pipeline) {
    pipeline = await get<PipelineDefinition>(`/meta/pipelines/${name}`);
    pipelines.set(name, pipeline);
  }
  return pipeline;
}

/** Entities whose records reference `target` (related lists, timelines). */
export function referencingFields(target: string): Array<{ entity: EntityDefinition; field: FieldDefinition }> {
  const out: Array<{ entity: EntityDefinition; field: FieldDefinition }> = [];
  for (const entity of entities.value) {
    for (const field of entity.fields) {
      if (!field.retired && (field.type === 'reference' || field.type === 'references') && field.entity === target) out.push({ entity, field });
    }
  }
  return out;
}

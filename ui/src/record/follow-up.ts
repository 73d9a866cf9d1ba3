/**
 * Timeline entities from metadata: which entities put items on a record's
 * timeline (through which reference field), their statuses and their
 * follow-up options. Generic: nothing here names "activity".
 */
import type { EntityDefinition, FieldDefinition, TimelineOptions } from '../../../core/metadata/types.ts';
import { entities, entityByName } from '../lib/meta.ts';

export interface TimelineSource {
  entity: EntityDefinition;
  /** the reference field pointing at the record's entity */
  via: FieldDefinition;
  options: TimelineOptions;
}

export function timelineSourcesFor(target: string): TimelineSource[] {
  const out: TimelineSource[] = [];
  for (const entity of entities.value) {
    if (!entity.timeline) continue;
    const via = entity.fields.find((f) => !f.retired && f.type === 'reference' && f.entity === target);
    if (via) out.push({ entity, via, options: entity.timeline });
  }
  return out;
}

/** Status values that close an item: the status field's options that are not open. */
export function closingStatuses(entity: EntityDefinition): string[] {
  const options = entity.timeline;
  if (!options?.statusField || !options.openStatuses) return [];
  const field = entity.fields.find((f) => f.name === options.statusField);
  return (field?.options ?? []).map((o) => o.value).filter((value) => !options.openStatuses!.includes(value));
}

export function canComplete(entityName: string): boolean {
  const entity = entityByName(entityName);
  return Boolean(entity?.timeline?.followUp && entity.timeline.statusField && entity.timeline.openStatuses);
}

export function fieldOf(entity: EntityDefinition, name: string | undefined): FieldDefinition | undefined {
  return name === undefined ? undefined : entity.fields.find((f) => f.name === name);
}

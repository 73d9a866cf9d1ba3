/**
 * Which records make up a record's timeline, read from metadata: every
 * entity with a `timeline` option contributes the records whose reference
 * (or references) fields point at the record. No entity is named in code:
 * an administrator's own timeline entity joins by declaring the option.
 * Derived once per metadata revision.
 */
import type { MetadataSnapshot } from '../metadata/registry.ts';
import type { EntityDefinition, FieldDefinition, TimelineOptions } from '../metadata/types.ts';

export interface TimelineSource {
  entity: EntityDefinition;
  options: TimelineOptions;
  /** live reference/references fields of `entity` pointing at the target entity */
  via: FieldDefinition[];
}

const cache = new WeakMap<MetadataSnapshot, Map<string, TimelineSource[]>>();

/** The timeline sources of records of `target`, in entity-name order (the timeline's tie-break order). */
export function timelineSources(snapshot: MetadataSnapshot, target: string): TimelineSource[] {
  let byTarget = cache.get(snapshot);
  if (!byTarget) cache.set(snapshot, (byTarget = new Map()));
  const hit = byTarget.get(target);
  if (hit) return hit;
  const sources: TimelineSource[] = [];
  for (const entity of [...snapshot.entities.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!entity.timeline) continue;
    const via = entity.fields.filter((f) => !f.retired && (f.type === 'reference' || f.type === 'references') && f.entity === target);
    if (via.length > 0) sources.push({ entity, options: entity.timeline, via });
  }
  byTarget.set(target, sources);
  return sources;
}

/** Every live reference/references field of every entity that points at `target` (merge re-points them). */
export function referencingFields(snapshot: MetadataSnapshot, target: string): Array<{ entity: EntityDefinition; fields: FieldDefinition[] }> {
  const out: Array<{ entity: EntityDefinition; fields: FieldDefinition[] }> = [];
  for (const entity of snapshot.entities.values()) {
    // Retired fields keep their data, so their references are re-pointed too.
    const fields = entity.fields.filter((f) => (f.type === 'reference' || f.type === 'references') && f.entity === target);
    if (fields.length > 0) out.push({ entity, fields });
  }
  return out;
}

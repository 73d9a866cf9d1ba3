/**
 * Which records a handover moves: of every entity with the owner feature
 * (or the ones named), the records `from` owns — and, for entities whose
 * timeline metadata says which states are still open (activities: planned,
 * not held), only the open ones: a held meeting stays with who held it.
 */
import type { ObjectId } from 'mongodb';
import type { MetadataRegistry } from '../metadata/registry.ts';
import type { EntityDefinition } from '../metadata/types.ts';

export function ownedEntities(registry: MetadataRegistry): EntityDefinition[] {
  return [...registry.snapshot.entities.values()].filter((entity) => entity.features?.owner === true).sort((a, b) => a.name.localeCompare(b.name));
}

/** The "still open" condition from metadata, or undefined when every record counts. */
export function openFilter(entity: EntityDefinition): Record<string, unknown> | undefined {
  const timeline = entity.timeline;
  if (!timeline?.statusField) return undefined;
  if (timeline.openStatuses && timeline.openStatuses.length > 0) return { [timeline.statusField]: { $in: timeline.openStatuses } };
  if (timeline.doneStatuses && timeline.doneStatuses.length > 0) return { [timeline.statusField]: { $nin: timeline.doneStatuses } };
  return undefined;
}

export function handoverFilter(entity: EntityDefinition, from: ObjectId): Record<string, unknown> {
  const open = openFilter(entity);
  return open ? { $and: [{ owner: from }, open] } : { owner: from };
}

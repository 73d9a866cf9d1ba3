/**
 * Names a field may not take: the platform's own record keys, and the keys a
 * feature adds when the entity uses it. Names that could never be a MongoDB
 * field (`$…`, dotted) get a message saying why, not just a pattern.
 */
import { SYSTEM_FIELDS, type EntityFeatures } from './types.ts';

const PLATFORM_NAMES: ReadonlySet<string> = new Set<string>([...SYSTEM_FIELDS, 'id']);

/** Why `name` cannot name a field of an entity with `features`, or undefined when it can. */
export function reservedNameProblem(name: string, features: EntityFeatures = {}): string | undefined {
  if (name.startsWith('$')) return `"${name}" is reserved: names starting with "$" are database operators`;
  if (name.includes('.')) return `"${name}" is not allowed: a dot would make it a path into another field`;
  if (name === '_id' || name === 'id') return `"${name}" is reserved for the record id`;
  if (PLATFORM_NAMES.has(name)) return `"${name}" is reserved: the platform keeps it on every record`;
  if (name === 'owner' && features.owner) return '"owner" is reserved: the entity uses the owner feature';
  if (name === 'direction' && features.direction) return '"direction" is reserved: the entity uses the direction feature';
  if ((name === 'stage' || name === 'stageEnteredAt') && features.pipeline) return `"${name}" is reserved: the entity moves through a pipeline`;
  return undefined;
}

/** Record keys the platform provides for the entity: valid in indexes and expressions. */
export function platformFieldNames(features: EntityFeatures = {}): string[] {
  const names: string[] = [...SYSTEM_FIELDS];
  if (features.owner) names.push('owner');
  if (features.direction) names.push('direction');
  if (features.pipeline) names.push('stage', 'stageEnteredAt');
  return names;
}

/**
 * Indexes an entity needs, created when its metadata is applied: unique and
 * indexed fields, declared compound indexes, and the platform's own (search
 * tokens, owner, direction, stage, updatedAt for default sorting).
 * createIndex is idempotent, so applying twice is harmless.
 */
import type { Db, IndexSpecification, CreateIndexesOptions } from 'mongodb';
import { recordCollectionName } from './collections.ts';
import type { EntityDefinition } from './types.ts';

interface PlannedIndex {
  keys: IndexSpecification;
  options: CreateIndexesOptions;
}

export function plannedIndexes(entity: EntityDefinition): PlannedIndex[] {
  const planned: PlannedIndex[] = [];
  for (const field of entity.fields) {
    if (field.retired || field.type === 'computed' && !field.indexed && !field.unique) continue;
    if (field.unique) {
      // Partial: records without a value do not collide with each other.
      planned.push({
        keys: { [field.name]: 1 },
        options: { name: `u_${field.name}`, unique: true, partialFilterExpression: { [field.name]: { $exists: true } } },
      });
    } else if (field.indexed || field.type === 'reference') {
      planned.push({ keys: { [field.name]: 1 }, options: { name: `i_${field.name}` } });
    }
  }
  for (const index of entity.indexes ?? []) {
    const name = index.name ?? `c_${Object.entries(index.keys).map(([key, dir]) => `${key}_${dir}`).join('_')}`;
    planned.push({ keys: index.keys, options: { name, ...(index.unique ? { unique: true } : {}) } });
  }
  if ((entity.searchable ?? []).length > 0) planned.push({ keys: { _search: 1 }, options: { name: 'sys_search' } });
  if (entity.duplicates) planned.push({ keys: { _dupKeys: 1 }, options: { name: 'sys_dupkeys' } });
  if (entity.features?.owner) planned.push({ keys: { owner: 1 }, options: { name: 'sys_owner' } });
  if (entity.features?.direction) planned.push({ keys: { direction: 1 }, options: { name: 'sys_direction' } });
  if (entity.features?.pipeline) planned.push({ keys: { stage: 1 }, options: { name: 'sys_stage' } });
  planned.push({ keys: { updatedAt: -1, _id: -1 }, options: { name: 'sys_updatedAt' } });
  return planned;
}

export async function ensureEntityIndexes(db: Db, entity: EntityDefinition): Promise<void> {
  const collection = db.collection(recordCollectionName(entity.name));
  for (const index of plannedIndexes(entity)) {
    await collection.createIndex(index.keys, index.options);
  }
}

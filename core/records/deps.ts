import type { Db } from 'mongodb';
import type { AccessPolicy } from '../access/policy.ts';
import type { EventBus } from '../events/bus.ts';
import type { MetadataRegistry } from '../metadata/registry.ts';
import type { EntityDefinition } from '../metadata/types.ts';
import { AppError } from '../shared/errors.ts';
import type { RecordHooks } from './hooks.ts';

/** What record operations need from the platform, passed explicitly. */
export interface RecordDeps {
  db: Db;
  registry: MetadataRegistry;
  bus: EventBus;
  access: AccessPolicy;
  /** per-entity write hooks (the system entity `user`) */
  hooks?: RecordHooks;
}

export function resolveEntity(deps: RecordDeps, name: string): EntityDefinition {
  const entity = deps.registry.entity(name);
  if (!entity) throw new AppError('NOT_FOUND', `Unknown entity "${name}"`);
  return entity;
}

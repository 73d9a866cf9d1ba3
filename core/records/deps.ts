import type { Db } from 'mongodb';
import type { AccessPolicy } from '../access/policy.ts';
import type { RequestContext } from '../context.ts';
import type { EventBus } from '../events/bus.ts';
import type { MetadataRegistry } from '../metadata/registry.ts';
import type { EntityDefinition } from '../metadata/types.ts';
import { AppError } from '../shared/errors.ts';
import type { RecordHooks } from './hooks.ts';
import type { JsonRecord } from './serialize.ts';

/** Advice attached to a successful write; it never blocks or undoes it (e.g. possible duplicates). */
export interface RecordWarning {
  code: string;
  message: string;
  [extension: string]: unknown;
}

/** Asked after a record was created through the API; its warnings go into the 201 answer. */
export type CreateAdvisor = (input: { ctx: RequestContext; deps: RecordDeps; entity: EntityDefinition; record: JsonRecord }) => Promise<RecordWarning[]>;

/** What record operations need from the platform, passed explicitly. */
export interface RecordDeps {
  db: Db;
  registry: MetadataRegistry;
  bus: EventBus;
  access: AccessPolicy;
  /** per-entity write hooks (the system entity `user`) */
  hooks?: RecordHooks;
  /** advisors asked after a create through the API (duplicate control) */
  advisors?: readonly CreateAdvisor[];
}

/** Every advisor's warnings for a created record, in advisor order. */
export async function adviseOnCreate(input: { ctx: RequestContext; deps: RecordDeps; entity: string; record: JsonRecord }): Promise<RecordWarning[]> {
  const advisors = input.deps.advisors ?? [];
  if (advisors.length === 0) return [];
  const entity = resolveEntity(input.deps, input.entity);
  const lists = await Promise.all(advisors.map((advise) => advise({ ctx: input.ctx, deps: input.deps, entity, record: input.record })));
  return lists.flat();
}

export function resolveEntity(deps: RecordDeps, name: string): EntityDefinition {
  const entity = deps.registry.entity(name);
  if (!entity) throw new AppError('NOT_FOUND', `Unknown entity "${name}"`);
  return entity;
}

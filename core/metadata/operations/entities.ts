/**
 * Entity metadata operations: create, change, add/change/retire a field,
 * roll back. Each: validate (pure) → check the effect on stored records →
 * write a new revision → create indexes → refresh this process's registry.
 */
import type { RequestContext } from '../../context.ts';
import { assertPlainObject } from '../../records/write-input.ts';
import { AppError, metadataInvalid, notFound } from '../../shared/errors.ts';
import { recordCollectionName } from '../collections.ts';
import { changeImpactFilter } from '../change-impact.ts';
import { ensureEntityIndexes } from '../indexes.ts';
import { actorOf, type MetadataDeps } from '../service-deps.ts';
import type { MetaDocument, MetaOperation } from '../store.ts';
import type { EntityDefinition, FieldDefinition } from '../types.ts';
import { validateEntity } from '../validate-entity.ts';

/** Keys of an entity an administrator may change with PATCH (fields have their own endpoints). */
const PATCHABLE_ENTITY_KEYS = ['label', 'pluralLabel', 'description', 'titleField', 'searchable', 'features', 'indexes', 'timeline', 'summary', 'duplicates'] as const;

async function loadEntity(deps: MetadataDeps, name: string): Promise<MetaDocument<EntityDefinition>> {
  const doc = await deps.store.get<EntityDefinition>('entity', name);
  if (!doc) throw notFound(`Unknown entity "${name}"`);
  return doc;
}

function stripBookkeeping(def: EntityDefinition): EntityDefinition {
  const { revision: _revision, ...rest } = def;
  return rest;
}

function assertValid(deps: MetadataDeps, def: EntityDefinition): void {
  const entities = new Map(deps.registry.snapshot.entities);
  entities.set(def.name, def);
  const errors = validateEntity(def, { entities });
  if (errors.length > 0) throw metadataInvalid(errors);
}

/** Counts stored records that a changed field would make invalid; refuses unless forced. */
async function assertSafeChange(deps: MetadataDeps, entity: string, before: FieldDefinition, after: FieldDefinition, isForced: boolean): Promise<string | undefined> {
  const filter = changeImpactFilter(before, after);
  if (!filter) return undefined;
  const count = await deps.db.collection(recordCollectionName(entity)).countDocuments(filter);
  if (count === 0) return undefined;
  if (!isForced) {
    throw new AppError('CONFLICT', `${count} existing ${entity} record(s) would become invalid for field "${after.name}"; repeat with ?force=true to apply anyway`, {
      extensions: { count, field: after.name },
      errors: [{ path: `/${after.name}`, message: `${count} existing record(s) would become invalid` }],
    });
  }
  return `forced: ${count} existing record(s) invalid for field "${after.name}"`;
}

async function save(input: {
  ctx: RequestContext;
  deps: MetadataDeps;
  def: EntityDefinition;
  current: MetaDocument<EntityDefinition> | null;
  op: MetaOperation;
  expectedRevision?: number;
  note?: string;
}): Promise<EntityDefinition> {
  const { deps, def, current } = input;
  const doc = await deps.store.write<EntityDefinition>({
    kind: 'entity',
    name: def.name,
    definition: def,
    expectedRevision: current ? (input.expectedRevision ?? current.revision) : null,
    op: input.op,
    by: actorOf(input.ctx),
    previous: current?.definition ?? null,
    ...(current?.shipped !== undefined ? { shipped: current.shipped } : {}),
    note: input.note,
  });
  await ensureEntityIndexes(deps.db, def);
  await deps.registry.refresh();
  return { ...def, revision: doc.revision };
}

export async function createEntity(input: { ctx: RequestContext; deps: MetadataDeps; definition: unknown }): Promise<EntityDefinition> {
  assertPlainObject(input.definition);
  const def = stripBookkeeping(input.definition as unknown as EntityDefinition);
  assertValid(input.deps, def);
  return save({ ...input, def, current: null, op: 'create' });
}

export async function updateEntity(input: { ctx: RequestContext; deps: MetadataDeps; name: string; patch: unknown; expectedRevision?: number }): Promise<EntityDefinition> {
  assertPlainObject(input.patch);
  const current = await loadEntity(input.deps, input.name);
  const unknownKeys = Object.keys(input.patch).filter((key) => !(PATCHABLE_ENTITY_KEYS as readonly string[]).includes(key));
  if (unknownKeys.length > 0) {
    throw metadataInvalid(unknownKeys.map((key) => ({ path: `/${key}`, message: key === 'fields' ? 'fields are changed through /fields endpoints' : key === 'name' ? 'an entity name is stable and cannot change' : 'cannot be changed here' })));
  }
  const def: EntityDefinition = { ...stripBookkeeping(current.definition), ...(input.patch as Partial<EntityDefinition>) };
  assertValid(input.deps, def);
  return save({ ...input, def, current, op: 'update' });
}

export async function addField(input: { ctx: RequestContext; deps: MetadataDeps; entity: string; field: unknown; expectedRevision?: number }): Promise<EntityDefinition> {
  assertPlainObject(input.field, 'The field definition');
  const current = await loadEntity(input.deps, input.entity);
  const field = input.field as unknown as FieldDefinition;
  const existing = current.definition.fields.find((candidate) => candidate.name === field.name);
  if (existing) {
    throw new AppError('DUPLICATE', `Entity "${input.entity}" already has a field named "${field.name}"${existing.retired ? ' (retired; restore it with PATCH)' : ''}`, {
      errors: [{ path: '/name', message: 'must be unique within the entity' }],
    });
  }
  const def: EntityDefinition = { ...stripBookkeeping(current.definition), fields: [...current.definition.fields, field] };
  assertValid(input.deps, def);
  // A new field touches no stored record; a required one only applies to later writes.
  return save({ ...input, def, current, op: 'update' });
}

export async function updateField(input: { ctx: RequestContext; deps: MetadataDeps; entity: string; field: string; patch: unknown; isForced: boolean; expectedRevision?: number }): Promise<EntityDefinition> {
  assertPlainObject(input.patch, 'The field change');
  const current = await loadEntity(input.deps, input.entity);
  const index = current.definition.fields.findIndex((candidate) => candidate.name === input.field);
  if (index < 0) throw notFound(`Entity "${input.entity}" has no field "${input.field}"`);
  const patch = input.patch as Partial<FieldDefinition>;
  if (patch.name !== undefined && patch.name !== input.field) throw metadataInvalid([{ path: '/name', message: 'a field name is stable and cannot change; change its label instead' }]);
  const before = current.definition.fields[index]!;
  const after: FieldDefinition = { ...before, ...patch, name: before.name };
  for (const [key, value] of Object.entries(patch)) if (value === null) delete (after as unknown as Record<string, unknown>)[key];
  const fields = current.definition.fields.map((candidate, i) => (i === index ? after : candidate));
  const def: EntityDefinition = { ...stripBookkeeping(current.definition), fields };
  assertValid(input.deps, def);
  const note = await assertSafeChange(input.deps, input.entity, before, after, input.isForced);
  return save({ ...input, def, current, op: 'update', note });
}

export async function retireField(input: { ctx: RequestContext; deps: MetadataDeps; entity: string; field: string; expectedRevision?: number }): Promise<EntityDefinition> {
  const current = await loadEntity(input.deps, input.entity);
  const before = current.definition.fields.find((candidate) => candidate.name === input.field);
  if (!before) throw notFound(`Entity "${input.entity}" has no field "${input.field}"`);
  // Retiring keeps the stored data: the field is hidden and refused on write, and can be restored.
  const fields = current.definition.fields.map((candidate) => (candidate.name === input.field ? { ...candidate, retired: true } : candidate));
  const def: EntityDefinition = { ...stripBookkeeping(current.definition), fields };
  assertValid(input.deps, def);
  return save({ ...input, def, current, op: 'update' });
}

export async function rollbackEntity(input: { ctx: RequestContext; deps: MetadataDeps; entity: string; revision: number; isForced: boolean }): Promise<EntityDefinition> {
  const current = await loadEntity(input.deps, input.entity);
  const target = await input.deps.store.revision<EntityDefinition>('entity', input.entity, input.revision);
  if (!target || !target.definition) throw notFound(`Entity "${input.entity}" has no revision ${input.revision}`);
  const def = stripBookkeeping(target.definition);
  assertValid(input.deps, def);
  const notes: string[] = [];
  for (const after of def.fields) {
    const before = current.definition.fields.find((candidate) => candidate.name === after.name);
    if (before) {
      const note = await assertSafeChange(input.deps, input.entity, before, after, input.isForced);
      if (note) notes.push(note);
    }
  }
  // Fields added since the target revision are retired, not dropped: their data stays.
  const kept = new Set(def.fields.map((field) => field.name));
  const retiredSince = current.definition.fields.filter((field) => !kept.has(field.name)).map((field) => ({ ...field, retired: true }));
  const restored: EntityDefinition = { ...def, fields: [...def.fields, ...retiredSince] };
  return save({ ...input, def: restored, current, op: 'rollback', note: [`rollback to revision ${input.revision}`, ...notes].join('; ') });
}

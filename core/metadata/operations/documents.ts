/**
 * CRUD for the non-entity metadata kinds (directions, roles, pipelines,
 * rules), all following one pattern: validate → write a new revision →
 * refresh this process's registry.
 */
import type { RequestContext } from '../../context.ts';
import { assertPlainObject } from '../../records/write-input.ts';
import { metadataInvalid, notFound } from '../../shared/errors.ts';
import { actorOf, type MetadataDeps } from '../service-deps.ts';
import type { MetaKind } from '../store.ts';
import { validateMetadata } from '../validate-metadata.ts';
import type { PipelineDefinition, RoleDefinition, RuleDefinition } from '../types.ts';

export type DocumentKind = Exclude<MetaKind, 'entity'>;
type Doc = Record<string, unknown> & { name: string };

function withoutBookkeeping(doc: Record<string, unknown>): Record<string, unknown> {
  const { revision: _revision, ...rest } = doc;
  return rest;
}

function assertValid(deps: MetadataDeps, kind: DocumentKind, doc: unknown): asserts doc is Doc {
  const snapshot = deps.registry.snapshot;
  const definitions = <T,>(of: DocumentKind) => new Map([...snapshot.byKind<T>(of)].map(([name, stored]) => [name, stored.definition]));
  const errors = validateMetadata(kind, doc, {
    entities: snapshot.entities,
    pipelines: definitions<PipelineDefinition>('pipeline'),
    roles: definitions<RoleDefinition>('role'),
    rules: definitions<RuleDefinition>('rule'),
  });
  if (errors.length > 0) throw metadataInvalid(errors);
}

export async function createDocument(input: { ctx: RequestContext; deps: MetadataDeps; kind: DocumentKind; body: unknown }): Promise<Doc> {
  assertPlainObject(input.body);
  const doc = withoutBookkeeping(input.body);
  assertValid(input.deps, input.kind, doc);
  const stored = await input.deps.store.write({ kind: input.kind, name: doc.name, definition: doc, expectedRevision: null, op: 'create', by: actorOf(input.ctx), previous: null });
  await input.deps.registry.refresh();
  return { ...doc, revision: stored.revision };
}

export async function updateDocument(input: { ctx: RequestContext; deps: MetadataDeps; kind: DocumentKind; name: string; patch: unknown; expectedRevision?: number }): Promise<Doc> {
  assertPlainObject(input.patch);
  const current = await input.deps.store.get<Doc>(input.kind, input.name);
  if (!current) throw notFound(`Unknown ${input.kind} "${input.name}"`);
  if (input.patch.name !== undefined && input.patch.name !== input.name) throw metadataInvalid([{ path: '/name', message: 'a name is stable and cannot change' }]);
  const doc = { ...current.definition, ...withoutBookkeeping(input.patch), name: input.name };
  for (const [key, value] of Object.entries(input.patch)) if (value === null) delete (doc as Record<string, unknown>)[key];
  assertValid(input.deps, input.kind, doc);
  // The shipped base stays, so the next start-up's three-way merge knows what the administrator changed.
  const stored = await input.deps.store.write({
    kind: input.kind,
    name: input.name,
    definition: doc,
    expectedRevision: input.expectedRevision ?? current.revision,
    op: 'update',
    by: actorOf(input.ctx),
    previous: current.definition,
    ...(current.shipped !== undefined ? { shipped: current.shipped } : {}),
  });
  await input.deps.registry.refresh();
  return { ...doc, revision: stored.revision };
}

export async function deleteDocument(input: { ctx: RequestContext; deps: MetadataDeps; kind: DocumentKind; name: string; expectedRevision?: number }): Promise<void> {
  const current = await input.deps.store.get<Doc>(input.kind, input.name);
  if (!current) throw notFound(`Unknown ${input.kind} "${input.name}"`);
  await input.deps.store.remove({ kind: input.kind, name: input.name, expectedRevision: input.expectedRevision ?? current.revision, by: actorOf(input.ctx), previous: current.definition });
  await input.deps.registry.refresh();
}

/**
 * Shipped pipelines and rules of the applications
 * (`metadata/apps/<app>/pipelines/*.json`, `…/rules/*.json`), applied at
 * start-up after the entities, idempotently and with the same three-way
 * merge as entities (merge-shipped.ts): what an administrator changed is
 * kept, what they left alone follows the new shipped version. A shipped
 * document that is invalid stops start-up (it is a bug in the release); a
 * merge that would be invalid keeps the administrator's version and says so.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../observability/logger.ts';
import { readJsonFiles } from './json-files.ts';
import { mergeShippedDocument, mergeShippedPipeline } from './merge-shipped.ts';
import type { MetadataDeps } from './service-deps.ts';
import type { EntityDefinition, PipelineDefinition, RoleDefinition, RuleDefinition } from './types.ts';
import { validateMetadata, type MetadataContext } from './validate-metadata.ts';

type AppKind = 'pipeline' | 'rule';
const FOLDERS: Array<[AppKind, string]> = [['pipeline', 'pipelines'], ['rule', 'rules']];

interface Shipped {
  file: string;
  definition: Record<string, unknown> & { name: string };
}

async function loadShipped(appsDir: string, folder: string): Promise<Shipped[]> {
  let apps: string[];
  try {
    apps = (await readdir(appsDir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  } catch {
    return [];
  }
  const out: Shipped[] = [];
  for (const app of apps) for (const { file, value } of await readJsonFiles(join(appsDir, app, folder))) out.push({ file, definition: value as Shipped['definition'] });
  return out;
}

async function context(deps: MetadataDeps, shipped: Map<AppKind, Shipped[]>): Promise<MetadataContext> {
  const stored = async <T,>(kind: 'entity' | 'pipeline' | 'role' | 'rule') => new Map((await deps.store.list<T>(kind)).map((doc) => [doc.name, doc.definition]));
  const pipelines = await stored<PipelineDefinition>('pipeline');
  const rules = await stored<RuleDefinition>('rule');
  // Shipped documents may refer to each other (a rule to a shipped pipeline's stages).
  for (const { definition } of shipped.get('pipeline') ?? []) if (!pipelines.has(definition.name)) pipelines.set(definition.name, definition as unknown as PipelineDefinition);
  for (const { definition } of shipped.get('rule') ?? []) if (!rules.has(definition.name)) rules.set(definition.name, definition as unknown as RuleDefinition);
  return { entities: await stored<EntityDefinition>('entity'), pipelines, roles: await stored<RoleDefinition>('role'), rules };
}

export async function applyShippedAppDocuments(input: { deps: MetadataDeps; logger: Logger; appsDir: string }): Promise<{ created: string[]; updated: string[] }> {
  const { deps, logger } = input;
  const shipped = new Map<AppKind, Shipped[]>();
  for (const [kind, folder] of FOLDERS) shipped.set(kind, await loadShipped(input.appsDir, folder));
  const ctx = await context(deps, shipped);
  const created: string[] = [];
  const updated: string[] = [];
  for (const [kind] of FOLDERS) {
    for (const { file, definition } of shipped.get(kind) ?? []) {
      const errors = validateMetadata(kind, definition, ctx);
      if (errors.length > 0) throw new Error(`Shipped metadata ${file} is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
      const current = await deps.store.get<Shipped['definition']>(kind, definition.name);
      if (!current) {
        try {
          await deps.store.write({ kind, name: definition.name, definition, expectedRevision: null, op: 'bootstrap', by: 'system', previous: null, shipped: definition });
          created.push(`${kind}:${definition.name}`);
        } catch (error) {
          // Another process applied it at the same moment.
          if ((error as { code?: unknown }).code !== 'DUPLICATE') throw error;
        }
        continue;
      }
      const merged =
        kind === 'pipeline'
          ? (mergeShippedPipeline(current.shipped as unknown as PipelineDefinition | undefined, current.definition as unknown as PipelineDefinition, definition as unknown as PipelineDefinition) as unknown as Shipped['definition'])
          : mergeShippedDocument(current.shipped, current.definition, definition);
      if (isDeepStrictEqual(merged, current.definition) && isDeepStrictEqual(current.shipped, definition)) continue;
      const mergedErrors = validateMetadata(kind, merged, ctx);
      const next = mergedErrors.length === 0 ? merged : current.definition;
      if (mergedErrors.length > 0) logger.warn({ kind, name: definition.name, errors: mergedErrors }, 'shipped update conflicts with local changes; the local version is kept');
      await deps.store.write({ kind, name: definition.name, definition: next, expectedRevision: current.revision, op: 'bootstrap', by: 'system', previous: current.definition, shipped: definition });
      updated.push(`${kind}:${definition.name}`);
    }
  }
  if (created.length + updated.length > 0) logger.info({ created, updated }, 'shipped pipelines and rules applied');
  return { created, updated };
}

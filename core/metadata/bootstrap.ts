/**
 * Applies the shipped metadata under `metadata/apps/<app>/entities/*.json`
 * (and the platform's own system entities, `metadata/system/entities/*.json`),
 * then the apps' pipelines and rules (bootstrap-app-documents.ts), at
 * start-up, idempotently: unchanged files write nothing; new shipped
 * definitions are merged with an administrator's customisations by the rule
 * in merge-shipped.ts.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../observability/logger.ts';
import { applyShippedAppDocuments } from './bootstrap-app-documents.ts';
import { ensureEntityIndexes } from './indexes.ts';
import { readJsonFiles } from './json-files.ts';
import { mergeShippedEntity } from './merge-shipped.ts';
import type { MetadataDeps } from './service-deps.ts';
import type { EntityDefinition } from './types.ts';
import { validateEntity } from './validate-entity.ts';

export { readJsonFiles };

export async function loadShippedEntities(appsDir: string, systemDir?: string): Promise<Array<{ file: string; definition: EntityDefinition }>> {
  const out: Array<{ file: string; definition: EntityDefinition }> = [];
  if (systemDir) for (const { file, value } of await readJsonFiles(join(systemDir, 'entities'))) out.push({ file, definition: value as EntityDefinition });
  let apps: string[];
  try {
    apps = (await readdir(appsDir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  } catch {
    return out;
  }
  for (const app of apps) {
    for (const { file, value } of await readJsonFiles(join(appsDir, app, 'entities'))) out.push({ file, definition: value as EntityDefinition });
  }
  return out;
}

export async function applyShippedMetadata(input: { deps: MetadataDeps; logger: Logger; appsDir: string; systemDir?: string }): Promise<{ created: string[]; updated: string[] }> {
  const { deps, logger } = input;
  const shipped = await loadShippedEntities(input.appsDir, input.systemDir);
  // Validate against the union of shipped and stored entities, so shipped entities may refer to each other.
  const all = new Map<string, EntityDefinition>();
  for (const doc of await deps.store.list<EntityDefinition>('entity')) all.set(doc.name, doc.definition);
  for (const { definition } of shipped) if (!all.has(definition.name)) all.set(definition.name, definition);
  const created: string[] = [];
  const updated: string[] = [];
  for (const { file, definition } of shipped) {
    const errors = validateEntity(definition, { entities: all });
    if (errors.length > 0) throw new Error(`Shipped metadata ${file} is invalid: ${errors.map((e: { path: string; message: string }) => `${e.path} ${e.message}`).join('; ')}`);
    const current = await deps.store.get<EntityDefinition>('entity', definition.name);
    let applied = definition;
    if (!current) {
      await deps.store.write({ kind: 'entity', name: definition.name, definition, expectedRevision: null, op: 'bootstrap', by: 'system', previous: null, shipped: definition });
      created.push(definition.name);
    } else {
      const merged = mergeShippedEntity(current.shipped, current.definition, definition);
      if (isDeepStrictEqual(merged, current.definition) && isDeepStrictEqual(current.shipped, definition)) continue;
      applied = merged;
      await deps.store.write({ kind: 'entity', name: definition.name, definition: merged, expectedRevision: current.revision, op: 'bootstrap', by: 'system', previous: current.definition, shipped: definition });
      updated.push(definition.name);
    }
    await ensureEntityIndexes(deps.db, applied);
  }
  if (created.length + updated.length > 0) logger.info({ created, updated }, 'shipped metadata applied');
  // Pipelines and rules refer to entities: applied once every entity is in place.
  const documents = await applyShippedAppDocuments({ deps, logger, appsDir: input.appsDir });
  return { created: [...created, ...documents.created], updated: [...updated, ...documents.updated] };
}

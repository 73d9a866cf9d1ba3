/**
 * Shipped non-entity metadata of the platform itself (the `admin` role under
 * `metadata/system/roles/*.json`): created when missing, never overwritten —
 * once it exists it is the administrators' to change.
 */
import { join } from 'node:path';
import type { Logger } from '../observability/logger.ts';
import { readJsonFiles } from './bootstrap.ts';
import type { MetadataDeps } from './service-deps.ts';
import type { MetaKind } from './store.ts';
import type { EntityDefinition } from './types.ts';
import { validateMetadata } from './validate-metadata.ts';

const FOLDERS: Array<[string, Exclude<MetaKind, 'entity'>]> = [['directions', 'direction'], ['roles', 'role']];

export async function applySystemDocuments(input: { deps: MetadataDeps; logger: Logger; systemDir: string }): Promise<string[]> {
  const { deps } = input;
  const created: string[] = [];
  const entities = new Map((await deps.store.list<EntityDefinition>('entity')).map((doc) => [doc.name, doc.definition]));
  for (const [folder, kind] of FOLDERS) {
    for (const { file, value } of await readJsonFiles(join(input.systemDir, folder))) {
      const errors = validateMetadata(kind, value, { entities });
      if (errors.length > 0) throw new Error(`Shipped metadata ${file} is invalid: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`);
      const name = (value as { name: string }).name;
      if (await deps.store.get(kind, name)) continue;
      try {
        await deps.store.write({ kind, name, definition: value, expectedRevision: null, op: 'bootstrap', by: 'system', previous: null });
        created.push(`${kind}:${name}`);
      } catch (error) {
        // Another process created it at the same moment: fine.
        if ((error as { code?: unknown }).code !== 'DUPLICATE') throw error;
      }
    }
  }
  if (created.length > 0) input.logger.info({ created }, 'system metadata applied');
  return created;
}

import type { EntityDefinition } from '../metadata/types.ts';
import { duplicate } from '../shared/errors.ts';

/** A unique-index violation becomes a 409 naming the field(s), never a 500. */
export function mapDuplicateKey(error: unknown, entity: EntityDefinition): unknown {
  if (typeof error !== 'object' || error === null || (error as { code?: unknown }).code !== 11000) return error;
  const keyPattern = (error as { keyPattern?: Record<string, unknown> }).keyPattern ?? {};
  const fields = Object.keys(keyPattern).filter((name) => !name.startsWith('_'));
  const label = fields.length > 0 ? fields.join(', ') : 'a unique field';
  return duplicate(`Another ${entity.name} record already has the same ${label}`, {
    errors: fields.map((field) => ({ path: `/${field}`, message: 'must be unique' })),
  });
}

/**
 * Record input validation with the validators compiled from the entity's
 * metadata (cached per metadata revision by the compiler).
 */
import { compileValidators } from '../metadata/validators.ts';
import type { EntityDefinition } from '../metadata/types.ts';
import { fieldInvalid, type FieldError } from '../shared/errors.ts';

export { withDefaults as applyDefaults } from '../metadata/defaults.ts';

/** Checks `data` against the compiled schema; `refused` (keys split off by name) are reported in the same 400. */
export function validateInput(entity: EntityDefinition, mode: 'create' | 'update', data: Record<string, unknown>, refused: readonly FieldError[] = []): void {
  const validators = compileValidators(entity, entity.revision ?? 0);
  const errors = [...refused, ...(mode === 'create' ? validators.create(data) : validators.update(data))];
  if (errors.length > 0) throw fieldInvalid(errors);
}

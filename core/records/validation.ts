/**
 * Record input validation with the validators compiled from the entity's
 * metadata (cached per metadata revision by the compiler).
 */
import { compileValidators } from '../metadata/validators.ts';
import type { EntityDefinition } from '../metadata/types.ts';
import { fieldInvalid } from '../shared/errors.ts';

export { withDefaults as applyDefaults } from '../metadata/defaults.ts';

export function validateInput(entity: EntityDefinition, mode: 'create' | 'update', data: Record<string, unknown>): void {
  const validators = compileValidators(entity, entity.revision ?? 0);
  const errors = mode === 'create' ? validators.create(data) : validators.update(data);
  if (errors.length > 0) throw fieldInvalid(errors);
}

/**
 * Validates a role: the meta-schema, then that each permission names a known
 * entity (or "*"), that own-records restrictions apply to entities with an
 * owner, and that field restrictions name fields of their entity. Pure.
 */
import type { FieldError } from '../shared/errors.ts';
import { pointer } from '../logic/json-pointer.ts';
import { checkMetaSchema } from './meta-schema.ts';
import type { EntityDefinition, RoleDefinition } from './types.ts';

export interface RoleValidationContext {
  entities: ReadonlyMap<string, EntityDefinition>;
}

export function validateRole(doc: unknown, ctx: RoleValidationContext): FieldError[] {
  const shapeErrors = checkMetaSchema('role', doc);
  if (shapeErrors.length > 0) return shapeErrors;
  const role = doc as RoleDefinition;
  const errors: FieldError[] = [];
  for (const [name, permission] of Object.entries(role.permissions)) {
    const at = pointer('/permissions', name);
    const entity = ctx.entities.get(name);
    if (name !== '*' && !entity) {
      errors.push({ path: at, message: `names an unknown entity "${name}"` });
      continue;
    }
    if (Array.isArray(permission)) continue;
    if (permission.own !== undefined && entity && !entity.features?.owner) {
      errors.push({ path: `${at}/own`, message: `${name} records have no owner, so "own" cannot apply` });
    }
    if (permission.fields && !entity) errors.push({ path: `${at}/fields`, message: 'field restrictions need a named entity, not "*"' });
    if (permission.fields && entity) {
      const names = new Set(entity.fields.map((f) => f.name));
      for (const field of Object.keys(permission.fields)) {
        if (!names.has(field)) errors.push({ path: pointer(at, 'fields', field), message: `names no field of ${name} ("${field}")` });
      }
    }
  }
  return errors;
}

/**
 * An entity definition as one caller may see it: fields they may not read
 * left out (like their values), fields they may not write marked read-only
 * (so forms built from it offer no input the server would refuse).
 * Administrators see the definition unchanged.
 */
import type { RequestContext } from '../context.ts';
import type { EntityDefinition } from '../metadata/types.ts';
import type { AccessPolicy } from './policy.ts';

export function entityForCaller(policy: AccessPolicy, ctx: RequestContext, entity: EntityDefinition): EntityDefinition {
  const hidden = policy.hiddenFields({ ctx, entity });
  const readonly = policy.readonlyFields({ ctx, entity });
  if (hidden.size === 0 && readonly.size === 0) return entity;
  return {
    ...entity,
    fields: entity.fields.filter((field) => !hidden.has(field.name)).map((field) => (readonly.has(field.name) ? { ...field, readonly: true } : field)),
    ...(entity.searchable ? { searchable: entity.searchable.filter((name) => !hidden.has(name)) } : {}),
  };
}

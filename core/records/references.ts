/**
 * Reference integrity on write: every id in a reference field must name an
 * existing record of the target entity that the caller may see. Unknown and
 * invisible ids are reported the same way (never reveal what exists).
 */
import type { ObjectId } from 'mongodb';
import type { RequestContext } from '../context.ts';
import { withAccess } from '../access/policy.ts';
import { recordCollectionName } from '../metadata/collections.ts';
import type { EntityDefinition } from '../metadata/types.ts';
import { fieldInvalid, type FieldError } from '../shared/errors.ts';
import type { RecordDeps } from './deps.ts';

export async function checkReferences(input: { ctx: RequestContext; deps: RecordDeps; entity: EntityDefinition; stored: Record<string, unknown> }): Promise<void> {
  const { ctx, deps, entity, stored } = input;
  const checks: Array<Promise<FieldError | undefined>> = [];
  for (const field of entity.fields) {
    if ((field.type !== 'reference' && field.type !== 'references') || !field.entity) continue;
    const value = stored[field.name];
    if (value === null || value === undefined) continue;
    const ids = (Array.isArray(value) ? value : [value]) as ObjectId[];
    if (ids.length === 0) continue;
    const target = deps.registry.entity(field.entity);
    checks.push(
      (async () => {
        if (!target) return { path: `/${field.name}`, message: `refers to unknown entity "${field.entity}"` };
        const decision = deps.access.recordFilter({ ctx, entity: target, action: 'read' });
        const unique = [...new Map(ids.map((id) => [id.toHexString(), id])).values()];
        const found = await deps.db
          .collection(recordCollectionName(target.name))
          .countDocuments(withAccess({ _id: { $in: unique } }, decision));
        return found === unique.length ? undefined : { path: `/${field.name}`, message: `refers to a ${target.name} record that does not exist` };
      })(),
    );
  }
  const errors = (await Promise.all(checks)).filter((error): error is FieldError => error !== undefined);
  if (errors.length > 0) throw fieldInvalid(errors);
}

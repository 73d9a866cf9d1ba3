/**
 * `POST /api/v1/data/:entity/duplicates` with a candidate record (complete
 * or partial, e.g. just a name and a phone typed into a form) →
 * `{ candidates: [{ id, title, reasons, similarity? }] }`. Checking an
 * existing record: send it with its `_id`, which is then left out.
 */
import { ObjectId } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { resolveEntity, type RecordDeps } from '../../records/deps.ts';
import { assertPlainObject } from '../../records/write-input.ts';
import { fieldInvalid, forbidden, notFound, type FieldError } from '../../shared/errors.ts';
import { findDuplicates, type DuplicateCandidate } from './find.ts';

export async function duplicateCandidates(input: { ctx: RequestContext; deps: RecordDeps; entity: string; body: unknown }): Promise<{ candidates: DuplicateCandidate[] }> {
  const { ctx, deps } = input;
  const entity = resolveEntity(deps, input.entity);
  if (!entity.duplicates) throw notFound(`${entity.name} has no duplicate control`);
  if (deps.access.recordFilter({ ctx, entity, action: 'read' }) === false) throw forbidden(`You may not read ${entity.name} records`);
  assertPlainObject(input.body);
  const fields = new Set(entity.fields.filter((f) => !f.retired).map((f) => f.name));
  const errors: FieldError[] = [];
  let excludeId: ObjectId | undefined;
  for (const [key, value] of Object.entries(input.body)) {
    if (key === '_id') {
      if (typeof value === 'string' && /^[0-9a-f]{24}$/i.test(value)) excludeId = new ObjectId(value);
      else errors.push({ path: '/_id', message: 'must be a record id' });
    } else if (!fields.has(key)) {
      errors.push({ path: `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: 'is not a field of this entity' });
    }
  }
  if (errors.length > 0) throw fieldInvalid(errors);
  const candidate = Object.fromEntries(Object.entries(input.body).filter(([key]) => key !== '_id'));
  return { candidates: await findDuplicates({ ctx, deps, entity, candidate, excludeId }) };
}

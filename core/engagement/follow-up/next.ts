/**
 * Accepting the proposed next contact (`POST /api/v1/data/:entity/:id/next`):
 * the proposal for the item, changed by whatever the body gives, linked to
 * the item it follows and created open through the normal create operation
 * (validation, access, history, events — and so the reminder jobs see it).
 * One open follow-up per item: accepting twice answers 409 with the
 * existing one, so a retried request never plans the contact twice.
 */
import type { RequestContext } from '../../context.ts';
import { withAccess } from '../../access/policy.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import { createRecord } from '../../records/operations/create.ts';
import type { JsonRecord } from '../../records/serialize.ts';
import type { RecordDeps } from '../../records/deps.ts';
import { assertPlainObject } from '../../records/write-input.ts';
import { AppError, fieldInvalid } from '../../shared/errors.ts';
import { loadReadable } from '../load.ts';
import { serializeRecord } from '../../records/serialize.ts';
import { followUpEntity } from './complete.ts';
import { proposeNext } from './propose.ts';

export async function createNextItem(input: { ctx: RequestContext; deps: RecordDeps; entity: string; id: string; data: unknown; now?: Date }): Promise<JsonRecord> {
  const { ctx, deps } = input;
  const { entity, options, followUp } = followUpEntity(deps, input.entity);
  assertPlainObject(input.data);
  if (followUp.linkField in input.data) throw fieldInvalid([{ path: `/${followUp.linkField}`, message: 'is set to the item being followed up' }]);
  const status = input.data[options.statusField];
  if (status !== undefined && !options.openStatuses.includes(status as string)) {
    throw fieldInvalid([{ path: `/${options.statusField}`, message: `a next contact is planned: must be one of ${options.openStatuses.join(', ')}` }]);
  }
  const stored = await loadReadable({ ctx, deps, entity, id: input.id });
  const decision = deps.access.recordFilter({ ctx, entity, action: 'read' });
  const existing = await deps.db
    .collection(recordCollectionName(entity.name))
    .findOne(withAccess({ [followUp.linkField]: stored._id, [options.statusField]: { $in: options.openStatuses } }, decision), { projection: { _id: 1 } });
  if (existing) {
    throw new AppError('CONFLICT', `This ${entity.name} already has an open follow-up`, { extensions: { existingId: existing._id.toHexString() } });
  }
  const record = serializeRecord({ entity, record: stored, hidden: deps.access.hiddenFields({ ctx, entity }) });
  const proposal = proposeNext({ entity, record, now: input.now ?? new Date(), locale: ctx.locale }) ?? {};
  const data = { ...proposal, ...input.data, [followUp.linkField]: record._id, [options.statusField]: status ?? options.openStatuses[0] };
  return createRecord({ ctx, deps, entity: entity.name, data });
}

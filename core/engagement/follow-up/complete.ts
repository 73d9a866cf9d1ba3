/**
 * Recording an item's outcome (`POST /api/v1/data/:entity/:id/complete`):
 * a partial record that sets the status to one that is not open (held,
 * missed, cancelled …), with the result and when it took place. It goes
 * through the normal update operation (access, validation, If-Match,
 * history, events); a done status without a completion time gets "now".
 * The answer carries the proposed next contact.
 */
import type { RequestContext } from '../../context.ts';
import type { EntityDefinition, FollowUpOptions, TimelineOptions } from '../../metadata/types.ts';
import { resolveEntity, type RecordDeps } from '../../records/deps.ts';
import { updateRecord } from '../../records/operations/update.ts';
import type { JsonRecord } from '../../records/serialize.ts';
import { assertPlainObject } from '../../records/write-input.ts';
import { fieldInvalid, notFound } from '../../shared/errors.ts';
import { loadReadable } from '../load.ts';
import { proposeNext } from './propose.ts';

export interface Completion {
  record: JsonRecord;
  proposal: JsonRecord | null;
}

export interface FollowUpEntity {
  entity: EntityDefinition;
  options: TimelineOptions & { statusField: string; openStatuses: string[] };
  followUp: FollowUpOptions;
}

/** The entity, if its items can be completed and followed up; a 404 otherwise. */
export function followUpEntity(deps: RecordDeps, name: string): FollowUpEntity {
  const entity = resolveEntity(deps, name);
  const options = entity.timeline;
  if (!options?.followUp || options.statusField === undefined || !options.openStatuses) throw notFound(`${entity.name} records have no completion and follow-up`);
  return { entity, options: options as FollowUpEntity['options'], followUp: options.followUp };
}

/** Status values that close an item: every option of the status field that is not open. */
export function closingStatuses(target: FollowUpEntity): string[] {
  const field = target.entity.fields.find((f) => f.name === target.options.statusField);
  return (field?.options ?? []).map((o) => o.value).filter((value) => !target.options.openStatuses.includes(value));
}

export async function completeItem(input: { ctx: RequestContext; deps: RecordDeps; entity: string; id: string; data: unknown; expectedVersion?: number; now?: Date }): Promise<Completion> {
  const { ctx, deps } = input;
  const target = followUpEntity(deps, input.entity);
  const { entity, options, followUp } = target;
  assertPlainObject(input.data);
  const status = input.data[options.statusField];
  const closing = closingStatuses(target);
  if (typeof status !== 'string' || !closing.includes(status)) {
    throw fieldInvalid([{ path: `/${options.statusField}`, message: `is required and must be one of ${closing.join(', ')}` }], 'Completing needs the outcome status');
  }
  const now = input.now ?? new Date();
  const data: Record<string, unknown> = { ...input.data };
  const completedAt = followUp.completedAtField;
  if (completedAt !== undefined && (options.doneStatuses ?? closing).includes(status) && data[completedAt] === undefined) {
    // Keep a completion time recorded earlier; otherwise it happened now.
    const current = await loadReadable({ ctx, deps, entity, id: input.id });
    if (current[completedAt] === undefined || current[completedAt] === null) data[completedAt] = now.toISOString();
  }
  const record = await updateRecord({ ctx, deps, entity: entity.name, id: input.id, data, expectedVersion: input.expectedVersion });
  return { record, proposal: proposeNext({ entity, record, now, locale: ctx.locale }) };
}

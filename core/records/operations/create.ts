/**
 * Create one record: access → split and refuse forbidden keys → validate →
 * defaults → features (owner, direction) → derived fields → references →
 * insert with its history entry in the outbox → flush → event.
 */
import { ObjectId } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { forbidden } from '../../shared/errors.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import { firstStage, pipelineOf } from '../../pipelines/lookup.ts';
import type { RecordDeps } from '../deps.ts';
import { resolveEntity } from '../deps.ts';
import { deriveFields } from '../derive.ts';
import { assignDirection, assertMatchesAccess } from '../direction.ts';
import { flushOutbox } from '../history.ts';
import { takeWriteOnly } from '../hooks.ts';
import { checkReferences } from '../references.ts';
import { serializeRecord, type JsonRecord } from '../serialize.ts';
import type { HistoryEntry, StoredRecord } from '../stored-record.ts';
import { mapDuplicateKey } from '../write-errors.ts';
import { applyDefaults, validateInput } from '../validation.ts';
import { assertPlainObject, splitInput, toObjectIdOrNull, toStoredFields } from '../write-input.ts';

export async function createRecord(input: { ctx: RequestContext; deps: RecordDeps; entity: string; data: unknown; ruleDepth?: number }): Promise<JsonRecord> {
  const { ctx, deps } = input;
  const entity = resolveEntity(deps, input.entity);
  const decision = deps.access.recordFilter({ ctx, entity, action: 'create' });
  if (decision === false) throw forbidden(`You may not create ${entity.name} records`);

  assertPlainObject(input.data);
  const hook = deps.hooks?.get(entity.name);
  const { body, writeOnly } = takeWriteOnly(hook, input.data);
  const hidden = deps.access.hiddenFields({ ctx, entity });
  const split = splitInput({ entity, body, readonlyForCaller: deps.access.readonlyFields({ ctx, entity }), hiddenForCaller: hidden });
  const withDefaults = applyDefaults(entity, split.fields);
  validateInput(entity, 'create', withDefaults, split.errors);

  const now = new Date();
  const userId = ctx.principal.userId;
  const fields = toStoredFields(entity, withDefaults);
  for (const [name, value] of Object.entries(fields)) if (value === null) delete fields[name];
  const record: StoredRecord = {
    _id: new ObjectId(),
    ...fields,
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: userId,
    updatedBy: userId,
  };
  const features = entity.features ?? {};
  if (features.owner) record.owner = split.owner !== undefined ? toObjectIdOrNull(split.owner) : userId;
  if (features.direction) record.direction = assignDirection({ ctx, deps, entity, requested: split.direction });
  const pipeline = pipelineOf(deps.registry.snapshot, entity);
  if (pipeline) {
    // Every record starts in the first stage; only transitions move it on.
    record.stage = firstStage(pipeline).name;
    record.stageEnteredAt = now;
  }
  await hook?.before?.({ ctx, op: 'create', record, writeOnly });
  Object.assign(record, deriveFields(entity, record));
  assertMatchesAccess(decision, record);
  await checkReferences({ ctx, deps, entity, stored: record });

  const changedFields = Object.keys(record).filter((key) => !key.startsWith('_') && !['version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy'].includes(key));
  const entry: HistoryEntry = {
    _id: new ObjectId(),
    entity: entity.name,
    recordId: record._id,
    op: 'create',
    version: 1,
    at: now,
    by: userId,
    ...(ctx.principal.rule ? { rule: ctx.principal.rule } : {}),
    changes: changedFields.map((field) => ({ field, from: null, to: record[field] })),
  };
  const hasHistory = entity.features?.history !== false;
  const collection = deps.db.collection<StoredRecord>(recordCollectionName(entity.name));
  try {
    await collection.insertOne(hasHistory ? { ...record, _outbox: [entry] } : record);
  } catch (error) {
    throw mapDuplicateKey(error, entity);
  }
  if (hasHistory) await flushOutbox(deps.db, entity.name, record._id, [entry]);
  await hook?.after?.({ ctx, op: 'create', record, writeOnly });

  deps.bus.publish({
    kind: 'created',
    entity: entity.name,
    id: record._id.toHexString(),
    version: 1,
    changedFields,
    record,
    by: userId?.toHexString() ?? null,
    at: now,
    requestId: ctx.requestId,
    ruleDepth: input.ruleDepth ?? 0,
  });
  return serializeRecord({ entity, record, hidden });
}

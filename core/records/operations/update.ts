/**
 * Partial update (JSON merge patch: `null` clears a field): access → load →
 * If-Match → refuse forbidden keys → validate → merge → derived fields →
 * references → one atomic update guarded by the version, carrying its
 * history entry in the outbox → flush → event.
 */
import { ObjectId, type Document, type UpdateFilter } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { withAccess, type RecordAction } from '../../access/policy.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import { forbidden, recordNotFound, versionConflict } from '../../shared/errors.ts';
import type { RecordDeps } from '../deps.ts';
import { resolveEntity } from '../deps.ts';
import { DERIVED_HIDDEN_FIELDS, deriveFields } from '../derive.ts';
import { assertMatchesAccess } from '../direction.ts';
import { diffRecords, flushOutbox } from '../history.ts';
import { takeWriteOnly } from '../hooks.ts';
import { parseRecordId } from '../ids.ts';
import { applyMergePatch } from '../merge-patch.ts';
import { checkReferences } from '../references.ts';
import { serializeRecord, type JsonRecord } from '../serialize.ts';
import type { HistoryEntry, StoredRecord } from '../stored-record.ts';
import { validateInput } from '../validation.ts';
import { mapDuplicateKey } from '../write-errors.ts';
import { assertPlainObject, splitInput, toObjectIdOrNull, toStoredFields } from '../write-input.ts';

export async function updateRecord(input: {
  ctx: RequestContext;
  deps: RecordDeps;
  entity: string;
  id: string;
  data: unknown;
  /** from If-Match: the version the caller last saw */
  expectedVersion?: number;
  ruleDepth?: number;
  /** internal callers (transitions, handover) may set feature fields */
  systemFields?: Record<string, unknown>;
  op?: HistoryEntry['op'];
  /** a merge into this record: recorded in its history even when no field changes */
  merge?: HistoryEntry['merge'];
  /** a stage transition (op `transition`): recorded in the same atomic update, even where history is off */
  transition?: HistoryEntry['transition'];
  /** the permission checked (default update; transitions check `transition`) */
  action?: Extract<RecordAction, 'update' | 'transition'>;
}): Promise<JsonRecord> {
  const { ctx, deps } = input;
  const entity = resolveEntity(deps, input.entity);
  const id = parseRecordId(entity.name, input.id);
  const action = input.action ?? 'update';
  const decision = deps.access.recordFilter({ ctx, entity, action });
  const collection = deps.db.collection<StoredRecord>(recordCollectionName(entity.name));
  const current = await collection.findOne(withAccess({ _id: id }, decision));
  if (!current) {
    // Readable but not updatable answers 403; invisible answers 404.
    const readable = deps.access.recordFilter({ ctx, entity, action: 'read' });
    if (decision !== true && (await collection.countDocuments(withAccess({ _id: id }, readable), { limit: 1 })) > 0) {
      throw forbidden(`You may not ${action} this ${entity.name} record`);
    }
    throw recordNotFound(entity.name, input.id);
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
    throw versionConflict(undefined, { currentVersion: current.version });
  }

  assertPlainObject(input.data);
  const hook = deps.hooks?.get(entity.name);
  const { body, writeOnly } = takeWriteOnly(hook, input.data);
  const hidden = deps.access.hiddenFields({ ctx, entity });
  const split = splitInput({ entity, body, readonlyForCaller: deps.access.readonlyFields({ ctx, entity }), hiddenForCaller: hidden });
  validateInput(entity, 'update', split.fields, split.errors);
  // Merge patch reaches into object values: `{ "extra": { "a": null } }` removes only extra.a.
  for (const field of entity.fields) {
    const patch = split.fields[field.name];
    if (field.type === 'json' && patch !== null && patch !== undefined) split.fields[field.name] = applyMergePatch(current[field.name], patch);
  }

  const next: StoredRecord = { ...current };
  for (const [name, value] of Object.entries(toStoredFields(entity, split.fields))) {
    if (value === null) delete next[name];
    else next[name] = value;
  }
  if (split.owner !== undefined) next.owner = toObjectIdOrNull(split.owner);
  if (split.direction !== undefined) {
    const allowed = deps.access.creatableDirections({ ctx, entity });
    if (split.direction !== null && allowed && !allowed.includes(split.direction)) throw forbidden(`You may not move records to direction "${split.direction}"`);
    next.direction = split.direction;
  }
  Object.assign(next, input.systemFields ?? {});
  await hook?.before?.({ ctx, op: 'update', record: next, current, writeOnly });
  Object.assign(next, deriveFields(entity, next));

  const tracked = [...entity.fields.map((field) => field.name), 'owner', 'direction', 'stage'];
  const changes = diffRecords(current, next, tracked);
  if (changes.length === 0 && !input.merge) {
    // Nothing stored changes; a write-only input (a new password) may still have to be applied.
    if (Object.keys(writeOnly).length > 0) await hook?.after?.({ ctx, op: 'update', record: current, current, writeOnly });
    return serializeRecord({ entity, record: current, hidden });
  }
  assertMatchesAccess(decision, next);
  await checkReferences({ ctx, deps, entity, stored: pick(next, changes.map((change) => change.field)) });

  const now = new Date();
  const userId = ctx.principal.userId;
  const version = current.version + 1;
  const entry: HistoryEntry = {
    _id: new ObjectId(),
    entity: entity.name,
    recordId: id,
    op: input.op ?? 'update',
    version,
    at: now,
    by: userId,
    ...(ctx.principal.rule ? { rule: ctx.principal.rule } : {}),
    ...(input.merge ? { merge: input.merge } : {}),
    ...(input.transition ? { transition: input.transition } : {}),
    changes,
  };
  const $set: Record<string, unknown> = { version, updatedAt: now, updatedBy: userId };
  const $unset: Record<string, ''> = {};
  for (const { field } of changes) {
    if (next[field] === undefined || next[field] === null) $unset[field] = '';
    else $set[field] = next[field];
  }
  for (const name of DERIVED_HIDDEN_FIELDS) if (next[name] !== undefined) $set[name] = next[name];
  // System fields that are not tracked field by field (stageEnteredAt) are stored as given.
  for (const [name, value] of Object.entries(input.systemFields ?? {})) {
    if (changes.some((change) => change.field === name)) continue;
    if (value === undefined || value === null) $unset[name] = '';
    else $set[name] = value;
  }
  const hasHistory = entity.features?.history !== false || input.transition !== undefined;
  const update: UpdateFilter<Document> = { $set, ...(Object.keys($unset).length > 0 ? { $unset } : {}) };
  if (hasHistory) update.$push = { _outbox: entry } as unknown as UpdateFilter<Document>['$push'];
  let result;
  try {
    result = await deps.db.collection(recordCollectionName(entity.name)).updateOne({ _id: id, version: current.version }, update);
  } catch (error) {
    throw mapDuplicateKey(error, entity);
  }
  if (result.matchedCount === 0) throw versionConflict('The record was changed by someone else while you were saving; reload it and try again');
  if (hasHistory) await flushOutbox(deps.db, entity.name, id, [...(current._outbox ?? []), entry]);

  const stored: StoredRecord = { ...next, version, updatedAt: now, updatedBy: userId };
  delete stored._outbox;
  await hook?.after?.({ ctx, op: 'update', record: stored, current, writeOnly });
  deps.bus.publish({
    kind: 'updated',
    entity: entity.name,
    id: id.toHexString(),
    version,
    changedFields: changes.map((change) => change.field),
    record: stored,
    previous: current,
    by: userId?.toHexString() ?? null,
    at: now,
    requestId: ctx.requestId,
    ruleDepth: input.ruleDepth ?? 0,
  });
  return serializeRecord({ entity, record: stored, hidden });
}

function pick(record: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(names.map((name) => [name, record[name]]));
}

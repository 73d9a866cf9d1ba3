/**
 * Merging two records of one entity (`POST /api/v1/data/:entity/:id/merge
 * { "from": "<other id>", "fields": { "phone": "from" | "into", … } }`):
 * the record `:id` survives with the chosen values; every reference to the
 * other record, in every entity, is re-pointed at it; the other record is
 * deleted. Both histories keep a `merge` entry naming both records.
 *
 * Steps, each safe to repeat: journal (with the merged record's values) →
 * re-point references → delete the merged record → update the surviving
 * one → journal done. Repeating the request resumes an unfinished merge
 * and answers a finished one again without changing anything.
 */
import { ObjectId } from 'mongodb';
import type { RequestContext } from '../../context.ts';
import { withAccess } from '../../access/policy.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import type { EntityDefinition } from '../../metadata/types.ts';
import { resolveEntity, type RecordDeps } from '../../records/deps.ts';
import { deleteRecord } from '../../records/operations/delete.ts';
import { findRecord } from '../../records/operations/find-one.ts';
import { updateRecord } from '../../records/operations/update.ts';
import { parseRecordId } from '../../records/ids.ts';
import type { JsonRecord } from '../../records/serialize.ts';
import { HISTORY_COLLECTION, type StoredRecord } from '../../records/stored-record.ts';
import { assertPlainObject } from '../../records/write-input.ts';
import { AppError, fieldInvalid, forbidden, isAppError, recordNotFound } from '../../shared/errors.ts';
import { choiceErrors, mergedValues } from './choose.ts';
import { journalId, journals, type FieldChoice, type MergeJournal } from './journal.ts';
import { repointReferences, type RepointCounts } from './repoint.ts';

export interface MergeResult {
  record: JsonRecord;
  merged: { from: string; into: string; repointed: RepointCounts };
  /** true when the merge had already finished and nothing was changed now */
  isReplay: boolean;
}

interface MergeRequest {
  from: ObjectId;
  fields: Record<string, FieldChoice>;
}

function parseBody(entity: EntityDefinition, body: unknown, forbiddenFields: ReadonlySet<string>): MergeRequest {
  assertPlainObject(body);
  const errors = Object.keys(body)
    .filter((key) => key !== 'from' && key !== 'fields')
    .map((key) => ({ path: `/${key}`, message: 'is not a merge option (from, fields)' }));
  const from = body.from;
  if (typeof from !== 'string' || !/^[0-9a-f]{24}$/i.test(from)) errors.push({ path: '/from', message: 'is required: the id of the record to merge into this one' });
  const fields = body.fields ?? {};
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) errors.push({ path: '/fields', message: 'must be an object of field name → "from" | "into"' });
  else errors.push(...choiceErrors({ entity, fields: fields as Record<string, unknown>, forbidden: forbiddenFields }));
  if (errors.length > 0) throw fieldInvalid(errors, 'The merge request is invalid');
  return { from: new ObjectId(from as string), fields: fields as Record<string, FieldChoice> };
}

/** The record if the caller may do `action` on it: 404 when invisible, 403 when visible but not allowed. */
async function loadFor(input: { ctx: RequestContext; deps: RecordDeps; entity: EntityDefinition; id: ObjectId; action: 'update' | 'delete' }): Promise<StoredRecord | null> {
  const { ctx, deps, entity, id, action } = input;
  const collection = deps.db.collection<StoredRecord>(recordCollectionName(entity.name));
  const read = deps.access.recordFilter({ ctx, entity, action: 'read' });
  const visible = read === false ? null : await collection.findOne(withAccess({ _id: id }, read));
  if (!visible) return null;
  const decision = deps.access.recordFilter({ ctx, entity, action });
  if (decision !== true && (decision === false || !(await collection.countDocuments(withAccess({ _id: id }, decision), { limit: 1 })))) {
    throw forbidden(`You may not ${action} this ${entity.name} record`);
  }
  return visible;
}

async function isTraced(deps: RecordDeps, entity: EntityDefinition, into: StoredRecord, from: ObjectId): Promise<boolean> {
  if ((into._outbox ?? []).some((entry) => entry.op === 'merge' && entry.merge?.from.equals(from))) return true;
  const traced = await deps.db.collection(HISTORY_COLLECTION).countDocuments({ entity: entity.name, recordId: into._id, op: 'merge', 'merge.from': from }, { limit: 1 });
  return traced > 0;
}

export async function mergeRecords(input: { ctx: RequestContext; deps: RecordDeps; entity: string; id: string; body: unknown }): Promise<MergeResult> {
  const { ctx, deps } = input;
  const entity = resolveEntity(deps, input.entity);
  const intoId = parseRecordId(entity.name, input.id);
  const forbiddenFields = new Set([...deps.access.hiddenFields({ ctx, entity }), ...deps.access.readonlyFields({ ctx, entity })]);
  const request = parseBody(entity, input.body, forbiddenFields);
  if (request.from.equals(intoId)) throw fieldInvalid([{ path: '/from', message: 'a record cannot be merged into itself' }]);
  const log = journals(deps.db);
  const key = journalId(entity.name, request.from);
  let journal = await log.findOne({ _id: key });

  if (journal && !journal.into.equals(intoId)) {
    throw new AppError('CONFLICT', `That ${entity.name} was already merged into another record`, { extensions: { mergedInto: journal.into.toHexString() } });
  }
  if (journal?.state === 'done') {
    const record = await findRecord({ ctx, deps, entity: entity.name, id: input.id });
    return { record, merged: { from: request.from.toHexString(), into: input.id, repointed: journal.repointed }, isReplay: true };
  }

  const into = await loadFor({ ctx, deps, entity, id: intoId, action: 'update' });
  if (!into) throw recordNotFound(entity.name, input.id);
  const from = await loadFor({ ctx, deps, entity, id: request.from, action: 'delete' });
  if (!journal) {
    if (!from) throw recordNotFound(entity.name, request.from.toHexString());
    const { _outbox: _o, _search: _s, _dupKeys: _d, ...snapshot } = from;
    journal = { _id: key, entity: entity.name, from: request.from, into: intoId, fields: request.fields, snapshot: snapshot as StoredRecord, state: 'started', by: ctx.principal.userId, startedAt: new Date(), repointed: {} };
    try {
      await log.insertOne(journal);
    } catch (error) {
      if ((error as { code?: unknown }).code === 11000) throw new AppError('CONFLICT', 'This merge is already in progress; repeat the request to finish it');
      throw error;
    }
  }

  const repointed = await repointReferences({ ctx, deps, target: entity, from: request.from, into: intoId });
  if (from) {
    try {
      await deleteRecord({ ctx, deps, entity: entity.name, id: request.from.toHexString(), merge: { from: request.from, into: intoId } });
    } catch (error) {
      if (!isAppError(error) || error.code !== 'RECORD_NOT_FOUND') throw error;
    }
  }
  const current = (await deps.db.collection<StoredRecord>(recordCollectionName(entity.name)).findOne({ _id: intoId })) ?? into;
  let record: JsonRecord;
  if (await isTraced(deps, entity, current, request.from)) {
    record = await findRecord({ ctx, deps, entity: entity.name, id: input.id });
  } else {
    // The first attempt's choices and snapshot rule, so a retry with another body cannot change the outcome halfway.
    const data = mergedValues({ entity, from: journal.snapshot, into: current, fields: journal.fields, forbidden: forbiddenFields });
    record = await updateRecord({ ctx, deps, entity: entity.name, id: input.id, data, op: 'merge', merge: { from: request.from, into: intoId } });
  }
  const inc = Object.fromEntries(Object.entries(repointed).flatMap(([name, fields]) => Object.entries(fields).map(([field, n]) => [`repointed.${name}.${field}`, n])));
  const done = await log.findOneAndUpdate(
    { _id: key },
    { $set: { state: 'done', finishedAt: new Date() }, ...(Object.keys(inc).length > 0 ? { $inc: inc } : {}) },
    { returnDocument: 'after' },
  );
  return { record, merged: { from: request.from.toHexString(), into: input.id, repointed: (done as MergeJournal | null)?.repointed ?? repointed }, isReplay: false };
}

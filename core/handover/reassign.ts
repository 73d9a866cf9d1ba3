/**
 * Moves one record from one owner to another as a normal update (history op
 * `handover`, events, rules), guarded by the version it was read at: a
 * record changed in between is re-read, and left alone when its owner is no
 * longer the expected one.
 */
import type { ObjectId } from 'mongodb';
import type { RequestContext } from '../context.ts';
import { recordCollectionName } from '../metadata/collections.ts';
import type { RecordDeps } from '../records/deps.ts';
import { updateRecord } from '../records/operations/update.ts';
import type { StoredRecord } from '../records/stored-record.ts';
import { isAppError } from '../shared/errors.ts';

const MAX_ATTEMPTS = 3;

export type ReassignOutcome = 'moved' | 'skipped' | 'failed';

export async function reassignRecord(input: { ctx: RequestContext; records: RecordDeps; entity: string; id: ObjectId; from: ObjectId; to: ObjectId }): Promise<ReassignOutcome> {
  const collection = input.records.db.collection<StoredRecord>(recordCollectionName(input.entity));
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await collection.findOne({ _id: input.id }, { projection: { owner: 1, version: 1 } });
    const owner = current?.owner as ObjectId | undefined;
    if (!current || !owner || !owner.equals(input.from)) return 'skipped';
    try {
      await updateRecord({
        ctx: input.ctx,
        deps: input.records,
        entity: input.entity,
        id: input.id.toHexString(),
        data: {},
        expectedVersion: current.version,
        systemFields: { owner: input.to },
        op: 'handover',
      });
      return 'moved';
    } catch (error) {
      if (isAppError(error) && error.code === 'VERSION_CONFLICT') continue;
      if (isAppError(error) && error.status < 500) return 'failed';
      throw error;
    }
  }
  return 'failed';
}

/** Acts with full record access on behalf of the caller, who stays the author in history. */
export function handoverContext(ctx: RequestContext): RequestContext {
  const { scopes: _scopes, ...principal } = ctx.principal;
  return { ...ctx, principal: { ...principal, isAdmin: true, hasAllDirections: true } };
}

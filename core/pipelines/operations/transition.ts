/**
 * Move a record to another stage (`POST /data/:entity/:id/transition`):
 * parse → visible (else 404) → may transition (else 403) → If-Match (409)
 * → the checks of checks.ts (every reason, 422) → one atomic update that
 * sets the stage and when it was entered, carrying its history entry (from,
 * to, dwell in the stage left, who or which rule) in the outbox. A refusal
 * changes nothing. Rules move records through here too, as the system.
 */
import type { Document, Filter } from 'mongodb';
import { Query } from 'mingo';
import type { RequestContext } from '../../context.ts';
import { withAccess } from '../../access/policy.ts';
import { recordCollectionName } from '../../metadata/collections.ts';
import { resolveEntity, type RecordDeps } from '../../records/deps.ts';
import { parseRecordId } from '../../records/ids.ts';
import { updateRecord } from '../../records/operations/update.ts';
import type { JsonRecord } from '../../records/serialize.ts';
import type { StoredRecord } from '../../records/stored-record.ts';
import { assertPlainObject } from '../../records/write-input.ts';
import { badRequest, forbidden, notFound, recordNotFound, ruleRefused, versionConflict } from '../../shared/errors.ts';
import { transitionProblems } from '../checks.ts';
import { pipelineOf } from '../lookup.ts';

export interface TransitionRequest {
  stage: string;
  note?: string;
}

const MAX_NOTE = 2000;

export function parseTransitionBody(body: unknown): TransitionRequest {
  assertPlainObject(body);
  const errors = Object.keys(body).filter((key) => key !== 'stage' && key !== 'note').map((key) => ({ path: `/${key}`, message: 'is not a member of a transition request' }));
  if (typeof body.stage !== 'string' || body.stage === '') errors.push({ path: '/stage', message: 'is required: the name of the stage to move to' });
  if (body.note !== undefined && (typeof body.note !== 'string' || body.note.length > MAX_NOTE)) errors.push({ path: '/note', message: `must be text of at most ${MAX_NOTE} characters` });
  if (errors.length > 0) throw badRequest('The transition request is invalid', errors);
  return { stage: body.stage as string, ...(body.note !== undefined ? { note: body.note as string } : {}) };
}

export async function transitionRecord(input: {
  ctx: RequestContext;
  deps: RecordDeps;
  entity: string;
  id: string;
  request: TransitionRequest;
  expectedVersion?: number;
  ruleDepth?: number;
}): Promise<JsonRecord> {
  const { ctx, deps, request } = input;
  const entity = resolveEntity(deps, input.entity);
  const pipeline = pipelineOf(deps.registry.snapshot, entity);
  if (!pipeline) throw notFound(`${entity.name} records do not move through stages`);
  const id = parseRecordId(entity.name, input.id);
  const readable = deps.access.recordFilter({ ctx, entity, action: 'read' });
  const current = await deps.db.collection<StoredRecord>(recordCollectionName(entity.name)).findOne(withAccess({ _id: id }, readable), { projection: { _search: 0 } });
  if (!current) throw recordNotFound(entity.name, input.id);
  const allowed = deps.access.recordFilter({ ctx, entity, action: 'transition' });
  if (allowed === false || (allowed !== true && !new Query(allowed as Filter<Document> as Record<string, unknown>).test(current))) {
    throw forbidden(`You may not move this ${entity.name} record between stages`);
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) throw versionConflict(undefined, { currentVersion: current.version });

  const problems = transitionProblems({ pipeline, record: current, to: request.stage, locale: ctx.locale });
  if (problems.length > 0) throw ruleRefused(`The record cannot move to "${request.stage}"`, problems);

  const now = new Date();
  const enteredAt = current.stageEnteredAt instanceof Date ? current.stageEnteredAt : undefined;
  return updateRecord({
    ctx,
    deps,
    entity: entity.name,
    id: input.id,
    data: {},
    // Checked against this version: a change in between is a conflict, never a move on unchecked data.
    expectedVersion: current.version,
    ruleDepth: input.ruleDepth,
    systemFields: { stage: request.stage, stageEnteredAt: now },
    op: 'transition',
    transition: {
      from: typeof current.stage === 'string' ? current.stage : null,
      to: request.stage,
      dwellMs: enteredAt ? Math.max(0, now.getTime() - enteredAt.getTime()) : null,
      ...(request.note !== undefined ? { note: request.note } : {}),
    },
    action: 'transition',
  });
}

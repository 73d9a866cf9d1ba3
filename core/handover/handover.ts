/**
 * Handover: an administrator, or a manager of the employee, reassigns all
 * records the employee owns (open activities only — see scope.ts) to a
 * colleague, for good or until a date when they go back
 * (`runDueHandoverReturns`). Steps: parse → authorise → check users →
 * reassign entity by entity in id order → store the handover → audit.
 */
import { ObjectId } from 'mongodb';
import { isUnlimited } from '../access/scopes.ts';
import { actorFields, type AuditLog } from '../audit/audit-log.ts';
import { isActive, isManagerOf, loadUser } from '../auth/users.ts';
import type { RequestContext } from '../context.ts';
import { recordCollectionName } from '../metadata/collections.ts';
import type { RecordDeps } from '../records/deps.ts';
import { assertPlainObject } from '../records/write-input.ts';
import { fieldInvalid, forbidden, type FieldError } from '../shared/errors.ts';
import { handoverContext, reassignRecord } from './reassign.ts';
import { handoverFilter, ownedEntities } from './scope.ts';
import { handoverItems, handovers, type HandoverDocument } from './store.ts';

export interface HandoverDeps {
  records: RecordDeps;
  audit: AuditLog;
}

export interface HandoverResult {
  id: string;
  from: string;
  to: string;
  until: string | null;
  /** records reassigned, per entity */
  reassigned: Record<string, number>;
  total: number;
  /** records a rule or validation refused to move (left with `from`) */
  failed: number;
}

const BATCH = 500;
const ID = /^[0-9a-f]{24}$/;

function parse(body: unknown, entityNames: readonly string[]): { from: ObjectId; to: ObjectId; until?: Date; entities: string[] } {
  assertPlainObject(body);
  const errors: FieldError[] = [];
  for (const key of Object.keys(body)) if (!['from', 'to', 'until', 'entities'].includes(key)) errors.push({ path: `/${key}`, message: 'is not a handover property' });
  for (const key of ['from', 'to'] as const) if (typeof body[key] !== 'string' || !ID.test(body[key] as string)) errors.push({ path: `/${key}`, message: 'must be a user id' });
  if (typeof body.from === 'string' && body.from === body.to) errors.push({ path: '/to', message: 'must differ from "from"' });
  let until: Date | undefined;
  if (body.until !== undefined && body.until !== null) {
    until = typeof body.until === 'string' ? new Date(body.until) : undefined;
    if (!until || Number.isNaN(until.getTime()) || until <= new Date()) errors.push({ path: '/until', message: 'must be a date-time in the future' });
  }
  let entities = [...entityNames];
  if (body.entities !== undefined) {
    if (!Array.isArray(body.entities) || body.entities.length === 0) errors.push({ path: '/entities', message: 'must be a non-empty array of entity names' });
    else {
      body.entities.forEach((name, i) => {
        if (typeof name !== 'string' || !entityNames.includes(name)) errors.push({ path: `/entities/${i}`, message: 'is not an entity with owners' });
      });
      entities = [...new Set(body.entities as string[])];
    }
  }
  if (errors.length > 0) throw fieldInvalid(errors);
  return { from: new ObjectId(body.from as string), to: new ObjectId(body.to as string), ...(until ? { until } : {}), entities };
}

export async function handover(input: { ctx: RequestContext; deps: HandoverDeps; body: unknown }): Promise<HandoverResult> {
  const { ctx, deps } = input;
  const { records } = deps;
  const owned = ownedEntities(records.registry);
  const request = parse(input.body, owned.map((entity) => entity.name));
  const { principal } = ctx;
  const isAllowed = principal.isAdmin || (principal.userId !== null && isUnlimited(principal.scopes) && (await isManagerOf(records.db, principal.userId, request.from)));
  if (!isAllowed) throw forbidden('Only an administrator or a manager of the employee may hand their records over');
  const [from, to] = await Promise.all([loadUser(records.db, request.from), loadUser(records.db, request.to)]);
  const errors: FieldError[] = [];
  if (!from) errors.push({ path: '/from', message: 'is not a user' });
  if (!to || !isActive(to)) errors.push({ path: '/to', message: 'is not an active user' });
  if (errors.length > 0) throw fieldInvalid(errors);

  const doc: HandoverDocument = {
    _id: new ObjectId(),
    from: request.from,
    to: request.to,
    by: principal.userId,
    at: new Date(),
    entities: request.entities,
    ...(request.until ? { until: request.until } : {}),
    status: 'running',
    reassigned: {},
    failed: 0,
  };
  // Stored first, so that a crash part-way leaves a trace of what was moved.
  await handovers(records.db).insertOne(doc);
  const acting = handoverContext(ctx);
  for (const entity of owned.filter((candidate) => request.entities.includes(candidate.name))) {
    let moved = 0;
    let last: ObjectId | undefined;
    const collection = records.db.collection(recordCollectionName(entity.name));
    for (;;) {
      const filter = handoverFilter(entity, request.from);
      const batch = await collection
        .find(last ? { $and: [filter, { _id: { $gt: last } }] } : filter, { projection: { _id: 1 } })
        .sort({ _id: 1 })
        .limit(BATCH)
        .toArray();
      if (batch.length === 0) break;
      for (const { _id: id } of batch) {
        const outcome = await reassignRecord({ ctx: acting, records, entity: entity.name, id, from: request.from, to: request.to });
        if (outcome === 'moved') {
          moved++;
          if (request.until) await handoverItems(records.db).insertOne({ _id: new ObjectId(), handoverId: doc._id, entity: entity.name, recordId: id });
        } else if (outcome === 'failed') doc.failed++;
      }
      last = batch[batch.length - 1]!._id;
    }
    doc.reassigned[entity.name] = moved;
  }
  doc.status = request.until ? 'active' : 'done';
  await handovers(records.db).updateOne({ _id: doc._id }, { $set: { status: doc.status, reassigned: doc.reassigned, failed: doc.failed } });
  const total = Object.values(doc.reassigned).reduce((sum, count) => sum + count, 0);
  await deps.audit.record({
    type: 'handover.done',
    ...actorFields(ctx),
    target: { entity: 'user', id: request.from.toHexString() },
    details: { handover: doc._id.toHexString(), to: request.to.toHexString(), until: request.until?.toISOString() ?? null, reassigned: doc.reassigned, failed: doc.failed },
  });
  return { id: doc._id.toHexString(), from: request.from.toHexString(), to: request.to.toHexString(), until: request.until?.toISOString() ?? null, reassigned: doc.reassigned, total, failed: doc.failed };
}

/**
 * The scheduled return of handovers with an `until` date: an Agenda job
 * calls `runDueHandoverReturns(deps, now)` (wired in workers/). Idempotent,
 * as every job must be: a handover is claimed by one conditional update;
 * each record goes back only if `to` still owns it, and is marked once done;
 * a claim left by a crashed worker is taken over after CLAIM_TIMEOUT_MS and
 * continues where it stopped.
 */
import type { RequestContext } from '../context.ts';
import type { HandoverDeps } from './handover.ts';
import { handoverContext, reassignRecord } from './reassign.ts';
import { handoverItems, handovers, type HandoverDocument } from './store.ts';

export const CLAIM_TIMEOUT_MS = 10 * 60_000;

export interface HandoverReturn {
  id: string;
  returned: Record<string, number>;
  skipped: number;
}

async function claimNext(deps: HandoverDeps, now: Date): Promise<HandoverDocument | null> {
  const stale = new Date(now.getTime() - CLAIM_TIMEOUT_MS);
  return handovers(deps.records.db).findOneAndUpdate(
    { $or: [{ status: 'active', until: { $lte: now } }, { status: 'returning', claimedAt: { $lte: stale } }] },
    { $set: { status: 'returning', claimedAt: now }, $inc: { attempts: 1 } },
    { sort: { until: 1 }, returnDocument: 'after' },
  );
}

/** The records go back on behalf of whoever arranged the handover. */
function returnContext(doc: HandoverDocument): RequestContext {
  return handoverContext({
    requestId: `handover-return:${doc._id.toHexString()}`,
    locale: 'en',
    principal: { kind: 'system', userId: doc.by, roles: [], directions: [], isAdmin: true, hasAllDirections: true },
  });
}

async function returnOne(deps: HandoverDeps, doc: HandoverDocument, now: Date): Promise<HandoverReturn> {
  const items = handoverItems(deps.records.db);
  const ctx = returnContext(doc);
  const returned: Record<string, number> = { ...(doc.returned ?? {}) };
  let skipped = 0;
  for (;;) {
    const batch = await items.find({ handoverId: doc._id, returnedAt: { $exists: false } }).sort({ _id: 1 }).limit(500).toArray();
    if (batch.length === 0) break;
    for (const item of batch) {
      const outcome = await reassignRecord({ ctx, records: deps.records, entity: item.entity, id: item.recordId, from: doc.to, to: doc.from });
      if (outcome === 'moved') returned[item.entity] = (returned[item.entity] ?? 0) + 1;
      else skipped++;
      await items.updateOne({ _id: item._id }, { $set: { returnedAt: new Date(), ...(outcome === 'moved' ? {} : { isSkipped: true }) } });
      // Progress survives a crash: the next claim continues with the counts so far.
      if (outcome === 'moved') await handovers(deps.records.db).updateOne({ _id: doc._id }, { $set: { returned } });
    }
  }
  await handovers(deps.records.db).updateOne({ _id: doc._id }, { $set: { status: 'done', returnedAt: now, returned } });
  await deps.audit.record({
    type: 'handover.returned',
    actor: doc.by,
    via: 'system',
    target: { entity: 'user', id: doc.from.toHexString() },
    details: { handover: doc._id.toHexString(), from: doc.to.toHexString(), returned, skipped },
  });
  return { id: doc._id.toHexString(), returned, skipped };
}

/** Returns every handover due at `now`; a second run finds nothing to do. */
export async function runDueHandoverReturns(deps: HandoverDeps, now: Date = new Date()): Promise<HandoverReturn[]> {
  const done: HandoverReturn[] = [];
  for (let doc = await claimNext(deps, now); doc; doc = await claimNext(deps, now)) done.push(await returnOne(deps, doc, now));
  return done;
}


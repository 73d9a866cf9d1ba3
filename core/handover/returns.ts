/**
 * The scheduled return of handovers with an `until` date: the recurring job
 * `handover.returns` (workers/jobs.ts) calls `runDueHandoverReturns(deps,
 * now)`. Idempotent, as every job must be, and safe with workers racing:
 * - a handover is claimed by one conditional update, under a fresh claim id;
 *   a racing worker's claim finds nothing due;
 * - each record goes back only if `to` still owns it (version-guarded), and
 *   its item is marked once;
 * - a claim left by a crashed worker is taken over after CLAIM_TIMEOUT_MS and
 *   continues where it stopped; the worker it was taken from notices at its
 *   next progress write (guarded by its claim id) and stops, so the handover
 *   is finished, and audited, by one worker only.
 */
import { ObjectId } from 'mongodb';
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

type ClaimedHandover = HandoverDocument & { claimId: ObjectId };

async function claimNext(deps: HandoverDeps, now: Date): Promise<ClaimedHandover | null> {
  const stale = new Date(now.getTime() - CLAIM_TIMEOUT_MS);
  const claimId = new ObjectId();
  const doc = await handovers(deps.records.db).findOneAndUpdate(
    { $or: [{ status: 'active', until: { $lte: now } }, { status: 'returning', claimedAt: { $lte: stale } }] },
    { $set: { status: 'returning', claimedAt: now, claimId }, $inc: { attempts: 1 } },
    { sort: { until: 1 }, returnDocument: 'after' },
  );
  return doc ? { ...doc, claimId } : null;
}

/** The records go back on behalf of whoever arranged the handover. */
function returnContext(doc: HandoverDocument): RequestContext {
  return handoverContext({
    requestId: `handover-return:${doc._id.toHexString()}`,
    locale: 'en',
    principal: { kind: 'system', userId: doc.by, roles: [], directions: [], isAdmin: true, hasAllDirections: true },
  });
}

/** Returns the handover's records; null when its claim was taken over meanwhile (the new claimant finishes). */
async function returnOne(deps: HandoverDeps, doc: ClaimedHandover, now: Date): Promise<HandoverReturn | null> {
  const items = handoverItems(deps.records.db);
  const mine = { _id: doc._id, status: 'returning' as const, claimId: doc.claimId };
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
      await items.updateOne({ _id: item._id, returnedAt: { $exists: false } }, { $set: { returnedAt: new Date(), ...(outcome === 'moved' ? {} : { isSkipped: true }) } });
      // Progress survives a crash: the next claim continues with the counts so far.
      if (outcome === 'moved' && (await handovers(deps.records.db).updateOne(mine, { $set: { returned } })).matchedCount === 0) return null;
    }
  }
  const finished = await handovers(deps.records.db).updateOne(mine, { $set: { status: 'done', returnedAt: now, returned } });
  if (finished.matchedCount === 0) return null;
  await deps.audit.record({
    type: 'handover.returned',
    actor: doc.by,
    via: 'system',
    target: { entity: 'user', id: doc.from.toHexString() },
    details: { handover: doc._id.toHexString(), from: doc.to.toHexString(), returned, skipped },
  });
  return { id: doc._id.toHexString(), returned, skipped };
}

/** Returns every handover due at `now`; a second run, or a racing one, finds nothing to do. */
export async function runDueHandoverReturns(deps: HandoverDeps, now: Date = new Date()): Promise<HandoverReturn[]> {
  const done: HandoverReturn[] = [];
  for (let doc = await claimNext(deps, now); doc; doc = await claimNext(deps, now)) {
    const result = await returnOne(deps, doc, now);
    if (result) done.push(result);
  }
  return done;
}

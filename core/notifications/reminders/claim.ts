/**
 * Claiming a due reminder: one atomic findOneAndUpdate moves it from
 * `pending` (due) — or from `sending` whose lease ran out, i.e. whose worker
 * died — to `sending` under this worker's name. Of any number of workers
 * racing for one reminder exactly one gets it; the others get nothing.
 */
import type { Filter } from 'mongodb';
import { DEFAULT_LEASE_MS, clockOf, type ReminderDeps } from './deps.ts';
import { reminderCollection, type StoredReminder } from './reminder-store.ts';

export interface ClaimedReminder {
  reminder: StoredReminder;
  /** the worker whose expired claim this one replaced */
  tookOverFrom?: string;
}

export async function claimReminder(input: { deps: ReminderDeps; workerId: string; reminderId?: string }): Promise<ClaimedReminder | undefined> {
  const { deps, workerId } = input;
  const now = clockOf(deps);
  const leaseUntil = new Date(now.getTime() + (deps.leaseMs ?? DEFAULT_LEASE_MS));
  const due: Filter<StoredReminder> = {
    $or: [
      { state: 'pending', nextAttemptAt: { $lte: now } },
      { state: 'sending', leaseUntil: { $lte: now } },
    ],
  };
  const collection = reminderCollection(deps.db);
  const before = await collection.findOneAndUpdate(
    input.reminderId ? { $and: [{ _id: input.reminderId }, due] } : due,
    {
      $set: { state: 'sending', claimedBy: workerId, leaseUntil, updatedAt: now },
      $push: { log: { at: now, by: workerId, event: 'claimed' } },
    },
    { sort: { nextAttemptAt: 1 }, returnDocument: 'before' },
  );
  if (!before) return undefined;
  const tookOverFrom = before.state === 'sending' ? before.claimedBy : undefined;
  if (tookOverFrom !== undefined) {
    await collection.updateOne({ _id: before._id }, { $push: { log: { at: now, by: workerId, event: 'taken-over', detail: `lease of ${tookOverFrom} expired` } } });
  }
  return { reminder: { ...before, state: 'sending', claimedBy: workerId, leaseUntil }, tookOverFrom };
}

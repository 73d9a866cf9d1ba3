/**
 * The schedule's safety net. Record events are in-process and not durable:
 * a crash between a write and its event handler loses the event. So the
 * sweep looks at planned activities starting soon (or just past) and
 * re-syncs those whose reminder for the current start is missing or
 * cancelled. Reminders that should no longer exist need no sweep: delivery
 * re-reads the activity and cancels them.
 */
import type { ObjectId } from 'mongodb';
import { recordCollectionName } from '../../metadata/collections.ts';
import { ACTIVITY_ENTITY, PLANNED_STATUS } from '../planned-activity.ts';
import { MAX_LEAD_MINUTES } from '../user-profile.ts';
import { clockOf, type ReminderDeps } from './deps.ts';
import { reminderCollection, reminderId } from './reminder-store.ts';
import { syncActivityReminders } from './sync.ts';
import { RECONCILE_LOOKBACK_MS } from './timing.ts';

const BATCH = 2000;

export async function reconcileReminders(input: { deps: ReminderDeps }): Promise<number> {
  const { deps } = input;
  const now = clockOf(deps);
  const from = new Date(now.getTime() - RECONCILE_LOOKBACK_MS);
  const to = new Date(now.getTime() + (MAX_LEAD_MINUTES + 5) * 60_000);
  const activities = await deps.db
    .collection<{ _id: ObjectId; plannedStart: Date }>(recordCollectionName(ACTIVITY_ENTITY))
    .find({ status: PLANNED_STATUS, plannedStart: { $gte: from, $lte: to }, owner: { $ne: null } }, { projection: { _id: 1, plannedStart: 1 } })
    .sort({ plannedStart: 1 })
    .limit(BATCH)
    .toArray();
  if (activities.length === 0) return 0;
  const wanted = new Map(activities.map((activity) => [reminderId(activity._id, activity.plannedStart), activity._id]));
  const present = await reminderCollection(deps.db)
    .find({ _id: { $in: [...wanted.keys()] }, state: { $ne: 'cancelled' } }, { projection: { _id: 1 } })
    .toArray();
  for (const { _id } of present) wanted.delete(_id);
  for (const activityId of wanted.values()) await syncActivityReminders({ deps, activityId });
  if (wanted.size > 0) deps.logger.info({ count: wanted.size }, 'reminder schedule repaired for activities whose events were missed');
  return wanted.size;
}

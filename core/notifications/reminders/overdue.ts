/**
 * Overdue flags: a planned activity whose planned start has passed and that
 * is still planned gets one "overdue" notification to its responsible
 * employee. The notification's unique key makes a second run, or a second
 * worker, find the first one.
 */
import { isRemindable, loadActivity, ACTIVITY_ENTITY } from '../planned-activity.ts';
import { notifyOnce } from '../notification-store.ts';
import { loadUserProfile } from '../user-profile.ts';
import { clockOf, type ReminderDeps } from './deps.ts';
import { overdueText } from './message.ts';
import { reminderCollection } from './reminder-store.ts';
import { OVERDUE_LOOKBACK_MS } from './timing.ts';

export async function flagOverdueActivities(input: { deps: ReminderDeps; limit?: number }): Promise<number> {
  const { deps } = input;
  const now = clockOf(deps);
  const collection = reminderCollection(deps.db);
  const candidates = await collection
    .find({ overdue: 'pending', plannedStart: { $lt: now } })
    .sort({ plannedStart: 1 })
    .limit(input.limit ?? 500)
    .toArray();
  let flagged = 0;
  for (const reminder of candidates) {
    const activity = await loadActivity(deps.db, reminder.activityId);
    const isStillDue = isRemindable(activity) && activity.plannedStart.getTime() === reminder.plannedStart.getTime();
    // Already long past when it entered the schedule (old or imported data): not news to anyone.
    const isStale = reminder.createdAt.getTime() - reminder.plannedStart.getTime() > OVERDUE_LOOKBACK_MS;
    if (!isStillDue || isStale) {
      await collection.updateOne({ _id: reminder._id, overdue: 'pending' }, { $set: { overdue: 'cancelled', updatedAt: now } });
      continue;
    }
    const user = await loadUserProfile(deps.db, activity.owner);
    const text = overdueText({ activity, user, entity: deps.registry?.entity(ACTIVITY_ENTITY) });
    await notifyOnce(
      deps.db,
      { key: `overdue:${reminder._id}`, userId: activity.owner, kind: 'overdue', title: text.title, body: text.body, link: { entity: ACTIVITY_ENTITY, id: activity.id.toHexString() }, eventAt: activity.plannedStart },
      now,
    );
    const result = await collection.updateOne({ _id: reminder._id, overdue: 'pending' }, { $set: { overdue: 'flagged', overdueFlaggedAt: now, updatedAt: now } });
    flagged += result.modifiedCount;
  }
  return flagged;
}

/**
 * Brings one activity's reminder schedule in line with the activity as it is
 * stored now: the reminder for its current planned start exists (with the
 * responsible employee's lead time) and is pending unless already done;
 * reminders for earlier starts, or for an activity that is no longer planned,
 * are cancelled. Re-reads the activity instead of trusting an event, so
 * running it twice, late or out of order converges on the same schedule.
 */
import type { Filter, ObjectId } from 'mongodb';
import { isRemindable, loadActivity, type ActivitySnapshot } from '../planned-activity.ts';
import { loadUserProfile } from '../user-profile.ts';
import { clockOf, type ReminderDeps } from './deps.ts';
import { LATE_GRACE_MS } from './timing.ts';
import { reminderCollection, reminderId, type StoredReminder } from './reminder-store.ts';

function whyNot(activity: ActivitySnapshot | undefined): string {
  if (!activity) return 'activity deleted';
  if (activity.status !== 'planned') return `activity ${activity.status ?? 'without status'}`;
  if (!activity.plannedStart) return 'no planned start';
  if (!activity.owner) return 'no responsible employee';
  return 'rescheduled';
}

function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

export async function syncActivityReminders(input: { deps: ReminderDeps; activityId: ObjectId }): Promise<void> {
  const { deps, activityId } = input;
  const collection = reminderCollection(deps.db);
  const now = clockOf(deps);
  const activity = await loadActivity(deps.db, activityId);
  const current = isRemindable(activity) ? activity : undefined;
  const keepId = current ? reminderId(current.id, current.plannedStart) : undefined;

  const others: Filter<StoredReminder> = keepId ? { activityId, _id: { $ne: keepId } } : { activityId };
  const reason = whyNot(activity);
  await collection.updateMany(
    { ...others, state: 'pending' },
    { $set: { state: 'cancelled', reason, updatedAt: now }, $push: { log: { at: now, by: 'scheduler', event: 'cancelled', detail: reason } } },
  );
  await collection.updateMany({ ...others, overdue: 'pending' }, { $set: { overdue: 'cancelled', updatedAt: now } });
  if (!current || !keepId) return;

  const profile = await loadUserProfile(deps.db, current.owner);
  const leadMinutes = profile.reminderLeadMinutes;
  const dueAt = new Date(current.plannedStart.getTime() - leadMinutes * 60_000);
  try {
    await collection.updateOne(
      { _id: keepId },
      {
        $setOnInsert: {
          activityId,
          plannedStart: current.plannedStart,
          userId: current.owner,
          leadMinutes,
          dueAt,
          state: 'pending',
          nextAttemptAt: dueAt,
          failures: 0,
          log: [],
          overdue: 'pending',
          createdAt: now,
          updatedAt: now,
        },
      },
      { upsert: true },
    );
  } catch (error) {
    if (!isDuplicateKey(error)) throw error; // a concurrent sync inserted it
  }
  // Follow owner and lead-time changes while not yet delivered; revive one an earlier change cancelled.
  const revived = await collection.updateOne(
    { _id: keepId, state: { $in: ['pending', 'cancelled'] } },
    { $set: { state: 'pending', userId: current.owner, leadMinutes, dueAt, nextAttemptAt: dueAt, updatedAt: now }, $unset: { reason: '' } },
  );
  await collection.updateOne({ _id: keepId, overdue: 'cancelled' }, { $set: { overdue: 'pending', updatedAt: now } });

  const isStillUseful = now.getTime() <= current.plannedStart.getTime() + LATE_GRACE_MS;
  if (deps.jobs && revived.matchedCount > 0 && isStillUseful) {
    await deps.jobs.schedule({ kind: 'reminder.deliver', data: { reminderId: keepId }, at: dueAt, isUnique: true });
  }
}

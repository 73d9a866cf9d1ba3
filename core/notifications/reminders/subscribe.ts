/**
 * Keeps the reminder schedule following the activities: an after-hook on
 * the record event bus. Creating, rescheduling, reassigning, completing,
 * cancelling or deleting an activity re-syncs its reminders; a user's new
 * lead time re-syncs that user's pending ones. Syncs of one activity run one
 * after another in this process; across processes sync is idempotent.
 */
import type { ObjectId } from 'mongodb';
import type { EventBus, RecordEvent } from '../../events/bus.ts';
import { ACTIVITY_ENTITY, isRemindable, readActivity } from '../planned-activity.ts';
import { USER_ENTITY } from '../user-profile.ts';
import type { ReminderDeps } from './deps.ts';
import { reminderCollection } from './reminder-store.ts';
import { syncActivityReminders } from './sync.ts';

const ACTIVITY_FIELDS = new Set(['status', 'plannedStart', 'owner']);
const USER_FIELDS = new Set(['reminderLeadMinutes', 'preferences']);

export function subscribeReminderScheduling(input: { bus: EventBus; deps: ReminderDeps }): () => void {
  const { bus, deps } = input;
  const chains = new Map<string, Promise<void>>();

  const syncInOrder = (activityId: ObjectId): Promise<void> => {
    const key = activityId.toHexString();
    const next = (chains.get(key) ?? Promise.resolve())
      .then(() => syncActivityReminders({ deps, activityId }))
      .catch((error: unknown) => deps.logger.error({ err: error, activityId: key }, 'reminder scheduling failed; the sweep will repair it'))
      .finally(() => {
        if (chains.get(key) === next) chains.delete(key);
      });
    chains.set(key, next);
    return next;
  };

  return bus.subscribe(async (event: RecordEvent) => {
    if (event.entity === ACTIVITY_ENTITY) {
      if (event.kind === 'updated' && !event.changedFields.some((field) => ACTIVITY_FIELDS.has(field))) return;
      const activity = readActivity(event.record);
      // A new activity that is not planned with a start and an owner has no reminders to create or cancel.
      if (event.kind === 'created' && !isRemindable(activity)) return;
      if (activity) await syncInOrder(activity.id);
      return;
    }
    if (event.entity === USER_ENTITY && event.kind === 'updated' && event.changedFields.some((field) => USER_FIELDS.has(field))) {
      const userId = event.record._id as ObjectId;
      const activityIds = await reminderCollection(deps.db).distinct('activityId', { userId, state: 'pending' });
      for (const activityId of activityIds) await syncInOrder(activityId);
    }
  });
}

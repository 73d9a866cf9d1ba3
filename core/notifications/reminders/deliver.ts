/**
 * Delivering one reminder, idempotently: claim → re-read the activity (it may
 * have been rescheduled, held or cancelled since) → in-app notification
 * (unique key: created once) → e-mail through the mailer (idempotency key:
 * accepted by the mail server once) → mark sent.
 *
 * A worker may die after any step. Its claim then runs out and another
 * worker repeats the steps; each step that already happened finds its
 * result and does nothing, so the user gets one notification and one
 * e-mail. The one window no code here can close is inside the mailer: see
 * plugins/email/README.md.
 */
import { isRemindable, loadActivity, ACTIVITY_ENTITY } from '../planned-activity.ts';
import { MailError } from '../mailer.ts';
import { notifyOnce } from '../notification-store.ts';
import { loadUserProfile } from '../user-profile.ts';
import { claimReminder } from './claim.ts';
import { clockOf, type ReminderDeps } from './deps.ts';
import { reminderText } from './message.ts';
import { reminderCollection, type ReminderState, type StoredReminder } from './reminder-store.ts';
import { LATE_GRACE_MS, MAX_FAILURES, retryDelayMs } from './timing.ts';

export type DeliveryStep = 'claimed' | 'notified' | 'emailed';
export type DeliveryOutcome = 'none' | 'sent' | 'cancelled' | 'skipped' | 'retry' | 'failed';

export interface DeliveryResult {
  outcome: DeliveryOutcome;
  reminderId?: string;
}

export async function deliverReminder(input: {
  deps: ReminderDeps;
  workerId: string;
  /** deliver this reminder if due; omitted: the most overdue due one */
  reminderId?: string;
  /** called after each step completes (progress, tests) */
  onStep?: (step: DeliveryStep, reminder: StoredReminder) => void | Promise<void>;
}): Promise<DeliveryResult> {
  const { deps, workerId } = input;
  const claimed = await claimReminder({ deps, workerId, reminderId: input.reminderId });
  if (!claimed) return { outcome: 'none' };
  const reminder = claimed.reminder;
  const close = (state: ClosingState, detail?: string) => finish({ deps, reminder, workerId, state, detail });
  await input.onStep?.('claimed', reminder);

  const activity = await loadActivity(deps.db, reminder.activityId);
  if (!isRemindable(activity) || activity.plannedStart.getTime() !== reminder.plannedStart.getTime()) {
    return { outcome: await close('cancelled', 'the activity is no longer planned for this time'), reminderId: reminder._id };
  }
  const now = clockOf(deps);
  if (now.getTime() > activity.plannedStart.getTime() + LATE_GRACE_MS) {
    return { outcome: await close('skipped', 'too late: the activity has started'), reminderId: reminder._id };
  }
  const user = await loadUserProfile(deps.db, activity.owner);
  if (user.isDeactivated) {
    return { outcome: await close('cancelled', 'the responsible user is deactivated'), reminderId: reminder._id };
  }

  const text = reminderText({ activity, user, entity: deps.registry?.entity(ACTIVITY_ENTITY), now });
  const key = `reminder:${reminder._id}`;
  await notifyOnce(
    deps.db,
    { key, userId: activity.owner, kind: 'reminder', title: text.title, body: text.body, link: { entity: ACTIVITY_ENTITY, id: activity.id.toHexString() }, eventAt: activity.plannedStart },
    now,
  );
  await input.onStep?.('notified', reminder);

  if (deps.mailer && user.email) {
    try {
      await deps.mailer.send({ idempotencyKey: key, to: user.email, subject: text.emailSubject, text: text.emailText });
    } catch (error) {
      return { outcome: await failed({ deps, reminder, workerId, error }), reminderId: reminder._id };
    }
    await input.onStep?.('emailed', reminder);
  }
  return { outcome: await close('sent'), reminderId: reminder._id };
}

type ClosingState = 'sent' | 'cancelled' | 'skipped';

/** Records the outcome. `sent` is recorded even if the claim was taken over meanwhile: it is true. */
async function finish(input: { deps: ReminderDeps; reminder: StoredReminder; workerId: string; state: ClosingState; detail?: string }): Promise<ClosingState> {
  const { deps, reminder, workerId, state, detail } = input;
  const now = clockOf(deps);
  const filter = state === 'sent' ? { _id: reminder._id, state: { $in: ['sending', 'pending'] as ReminderState[] } } : { _id: reminder._id, state: 'sending' as const, claimedBy: workerId };
  await reminderCollection(deps.db).updateOne(filter, {
    $set: { state, updatedAt: now, ...(state === 'sent' ? { sentAt: now } : {}), ...(detail ? { reason: detail } : {}) },
    $unset: { leaseUntil: '' },
    $push: { log: { at: now, by: workerId, event: state, ...(detail ? { detail } : {}) } },
  });
  return state;
}

/** A failed e-mail: try again later with backoff, or give up after MAX_FAILURES. */
async function failed(input: { deps: ReminderDeps; reminder: StoredReminder; workerId: string; error: unknown }): Promise<DeliveryOutcome> {
  const { deps, reminder, workerId, error } = input;
  const now = clockOf(deps);
  const failures = reminder.failures + 1;
  const isRetryable = !(error instanceof MailError) || error.isRetryable;
  const message = error instanceof Error ? error.message : String(error);
  deps.logger.warn({ reminderId: reminder._id, failures, isRetryable, err: message }, 'reminder e-mail failed');
  if (!isRetryable || failures >= MAX_FAILURES) {
    await reminderCollection(deps.db).updateOne(
      { _id: reminder._id, state: 'sending', claimedBy: workerId },
      { $set: { state: 'failed', failures, reason: message, updatedAt: now }, $unset: { leaseUntil: '' }, $push: { log: { at: now, by: workerId, event: 'failed', detail: message } } },
    );
    return 'failed';
  }
  const nextAttemptAt = new Date(now.getTime() + retryDelayMs(failures));
  await reminderCollection(deps.db).updateOne(
    { _id: reminder._id, state: 'sending', claimedBy: workerId },
    { $set: { state: 'pending', failures, nextAttemptAt, updatedAt: now }, $unset: { leaseUntil: '' }, $push: { log: { at: now, by: workerId, event: 'retry', detail: message } } },
  );
  await deps.jobs?.schedule({ kind: 'reminder.deliver', data: { reminderId: reminder._id }, at: nextAttemptAt, isUnique: true });
  return 'retry';
}

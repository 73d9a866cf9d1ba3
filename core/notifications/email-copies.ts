/**
 * Sending the e-mail copies of inbox notifications (notify-user.ts); the
 * workers' periodic sweep runs it. The steps of a reminder's e-mail: claim
 * (one atomic findOneAndUpdate; a dead worker's claim runs out with its
 * lease) → re-read the user (address, language, deactivation) → send through
 * the mailer under the notification's key (accepted by the mail server once,
 * however often it is sent) → mark sent. A failure is retried with backoff,
 * then given up. The notification stays in the inbox whatever its copy does.
 */
import type { Filter } from 'mongodb';
import { MailError } from './mailer.ts';
import { notificationCollection, type EmailCopyState, type StoredNotification } from './notification-store.ts';
import { clockOf, DEFAULT_LEASE_MS, type ReminderDeps } from './reminders/deps.ts';
import { MAX_FAILURES, retryDelayMs } from './reminders/timing.ts';
import { loadUserProfile, type UserProfile } from './user-profile.ts';

export type EmailCopyDeps = Pick<ReminderDeps, 'db' | 'logger' | 'mailer' | 'leaseMs' | 'now'>;
export type EmailCopyOutcome = 'sent' | 'skipped' | 'retry' | 'failed';

/** A copy still unsent this long after its notification is no longer news: skipped (a worker-less week must not end in a flood). */
export const EMAIL_COPY_MAX_AGE_MS = 3 * 24 * 60 * 60_000;

type Claimed = StoredNotification & { email: NonNullable<StoredNotification['email']> };

async function claimEmailCopy(deps: EmailCopyDeps, workerId: string): Promise<Claimed | undefined> {
  const now = clockOf(deps);
  const leaseUntil = new Date(now.getTime() + (deps.leaseMs ?? DEFAULT_LEASE_MS));
  const due: Filter<StoredNotification> = {
    $or: [
      { 'email.state': 'pending', 'email.nextAttemptAt': { $lte: now } },
      { 'email.state': 'sending', 'email.leaseUntil': { $lte: now } },
    ],
  };
  const claimed = await notificationCollection(deps.db).findOneAndUpdate(
    due,
    { $set: { 'email.state': 'sending', 'email.claimedBy': workerId, 'email.leaseUntil': leaseUntil } },
    { sort: { 'email.nextAttemptAt': 1 }, returnDocument: 'after' },
  );
  return claimed?.email ? (claimed as Claimed) : undefined;
}

export function emailCopyText(notification: Pick<StoredNotification, 'body'>, user: Pick<UserProfile, 'name' | 'locale'>): string {
  if (user.locale === 'ru') return `${user.name ? `${user.name}, здравствуйте!\n\n` : ''}${notification.body}\n\n— Relata`;
  return `${user.name ? `Hello ${user.name},\n\n` : ''}${notification.body}\n\n— Relata`;
}

/** Records the outcome. `sent` is recorded even if the claim was taken over meanwhile: it is true. */
async function finish(input: { deps: EmailCopyDeps; notification: Claimed; workerId: string; state: Exclude<EmailCopyState, 'pending' | 'sending'>; reason?: string }): Promise<EmailCopyOutcome> {
  const { deps, notification, workerId, state, reason } = input;
  const now = clockOf(deps);
  const filter: Filter<StoredNotification> =
    state === 'sent' ? { _id: notification._id, 'email.state': { $in: ['sending', 'pending'] } } : { _id: notification._id, 'email.state': 'sending', 'email.claimedBy': workerId };
  await notificationCollection(deps.db).updateOne(filter, {
    $set: { 'email.state': state, ...(state === 'sent' ? { 'email.sentAt': now } : {}), ...(reason ? { 'email.reason': reason } : {}) },
    $unset: { 'email.leaseUntil': '' },
  });
  return state;
}

async function failed(input: { deps: EmailCopyDeps; notification: Claimed; workerId: string; error: unknown }): Promise<EmailCopyOutcome> {
  const { deps, notification, workerId, error } = input;
  const now = clockOf(deps);
  const failures = notification.email.failures + 1;
  const isRetryable = !(error instanceof MailError) || error.isRetryable;
  const reason = error instanceof Error ? error.message : String(error);
  deps.logger.warn({ notification: notification.key, failures, isRetryable, err: reason }, 'notification e-mail failed');
  if (!isRetryable || failures >= MAX_FAILURES) {
    await notificationCollection(deps.db).updateOne(
      { _id: notification._id, 'email.state': 'sending', 'email.claimedBy': workerId },
      { $set: { 'email.state': 'failed', 'email.failures': failures, 'email.reason': reason }, $unset: { 'email.leaseUntil': '' } },
    );
    return 'failed';
  }
  await notificationCollection(deps.db).updateOne(
    { _id: notification._id, 'email.state': 'sending', 'email.claimedBy': workerId },
    { $set: { 'email.state': 'pending', 'email.failures': failures, 'email.reason': reason, 'email.nextAttemptAt': new Date(now.getTime() + retryDelayMs(failures)) }, $unset: { 'email.leaseUntil': '' } },
  );
  return 'retry';
}

/** Sends one due copy; `none` when nothing is due. */
export async function deliverEmailCopy(input: { deps: EmailCopyDeps; workerId: string }): Promise<EmailCopyOutcome | 'none'> {
  const { deps, workerId } = input;
  const notification = await claimEmailCopy(deps, workerId);
  if (!notification) return 'none';
  const skip = (reason: string) => finish({ deps, notification, workerId, state: 'skipped', reason });
  if (!deps.mailer) return skip('no mail server is configured');
  if (clockOf(deps).getTime() - notification.createdAt.getTime() > EMAIL_COPY_MAX_AGE_MS) return skip('too old to be mailed');
  const user = await loadUserProfile(deps.db, notification.userId);
  if (user.isDeactivated) return skip('the user is deactivated');
  if (!user.email) return skip('the user has no e-mail address');
  try {
    await deps.mailer.send({ idempotencyKey: notification.key, to: user.email, subject: notification.title, text: emailCopyText(notification, user) });
  } catch (error) {
    return failed({ deps, notification, workerId, error });
  }
  return finish({ deps, notification, workerId, state: 'sent' });
}

/** Sends due copies until none is left or `max` were handled. */
export async function deliverEmailCopies(input: { deps: EmailCopyDeps; workerId: string; max?: number }): Promise<Partial<Record<EmailCopyOutcome, number>>> {
  const counts: Partial<Record<EmailCopyOutcome, number>> = {};
  for (let i = 0; i < (input.max ?? 200); i++) {
    const outcome = await deliverEmailCopy(input);
    if (outcome === 'none') break;
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  return counts;
}

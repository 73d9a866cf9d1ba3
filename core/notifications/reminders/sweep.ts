/**
 * The periodic notification job: repair the reminder schedule, deliver every
 * due reminder (each under its own claim, so sweeps on several workers share
 * the work without doubling it), flag overdue activities, then send the
 * e-mail copies of other notifications (rule notices) that are due.
 */
import { deliverEmailCopies, type EmailCopyOutcome } from '../email-copies.ts';
import type { ReminderDeps } from './deps.ts';
import { deliverReminder, type DeliveryOutcome } from './deliver.ts';
import { flagOverdueActivities } from './overdue.ts';
import { reconcileReminders } from './reconcile.ts';

export interface SweepResult {
  repaired: number;
  delivered: Partial<Record<DeliveryOutcome, number>>;
  flagged: number;
  /** e-mail copies of notifications other than reminders */
  emailed: Partial<Record<EmailCopyOutcome, number>>;
}

export async function sweepReminders(input: { deps: ReminderDeps; workerId: string; maxDeliveries?: number }): Promise<SweepResult> {
  const { deps, workerId } = input;
  const repaired = await reconcileReminders({ deps });
  const delivered: SweepResult['delivered'] = {};
  for (let i = 0; i < (input.maxDeliveries ?? 200); i++) {
    const { outcome } = await deliverReminder({ deps, workerId });
    if (outcome === 'none') break;
    delivered[outcome] = (delivered[outcome] ?? 0) + 1;
  }
  const flagged = await flagOverdueActivities({ deps });
  const emailed = await deliverEmailCopies({ deps, workerId, max: input.maxDeliveries });
  return { repaired, delivered, flagged, emailed };
}

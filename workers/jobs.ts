/**
 * The job registry: one handler per core job kind (a missing one is a type
 * error) and how Agenda runs each kind. Handlers call core operations, which
 * are idempotent: re-read state, claim, act once.
 */
import type { HandoverDeps } from '../core/handover/handover.ts';
import { runDueHandoverReturns } from '../core/handover/returns.ts';
import type { JobHandlers, JobKind } from '../core/jobs/job-kinds.ts';
import type { ReminderDeps } from '../core/notifications/reminders/deps.ts';
import { deliverReminder } from '../core/notifications/reminders/deliver.ts';
import { sweepReminders } from '../core/notifications/reminders/sweep.ts';
import type { RulesModule } from '../core/rules/module.ts';

export interface JobRunOptions {
  /** jobs of this kind one process runs at a time */
  concurrency: number;
  /** a lock older than this is considered abandoned by a dead worker */
  lockLifetimeMs: number;
  /** drop the job document once it has run (one-off jobs) */
  isRemovedOnComplete: boolean;
}

export const JOB_RUN_OPTIONS: Record<JobKind, JobRunOptions> = {
  'reminders.sweep': { concurrency: 1, lockLifetimeMs: 5 * 60_000, isRemovedOnComplete: false },
  'reminder.deliver': { concurrency: 5, lockLifetimeMs: 5 * 60_000, isRemovedOnComplete: true },
  // A sweep over every record of an entity can take a while: a long lock, one at a time.
  'rules.schedule': { concurrency: 1, lockLifetimeMs: 30 * 60_000, isRemovedOnComplete: false },
  // Longer than the return's own claim timeout: a slow return is taken over by its claim, not by a second Agenda run.
  'handover.returns': { concurrency: 1, lockLifetimeMs: 15 * 60_000, isRemovedOnComplete: false },
};

export function jobHandlers(input: { deps: ReminderDeps; workerId: string; rules?: Pick<RulesModule, 'runDue'>; handover?: HandoverDeps }): JobHandlers {
  const { deps, workerId, rules, handover } = input;
  return {
    'reminders.sweep': async () => {
      const result = await sweepReminders({ deps, workerId });
      if (result.repaired > 0 || result.flagged > 0 || Object.keys(result.delivered).length > 0) deps.logger.info({ ...result, workerId }, 'reminder sweep');
    },
    'reminder.deliver': async ({ reminderId }) => {
      const result = await deliverReminder({ deps, workerId, reminderId });
      if (result.outcome !== 'none') deps.logger.info({ reminderId, outcome: result.outcome, workerId }, 'reminder delivery');
    },
    'rules.schedule': async () => {
      if (!rules) return;
      const results = await rules.runDue();
      if (results.length > 0) deps.logger.info({ runs: results, workerId }, 'schedule rules');
    },
    'handover.returns': async () => {
      if (!handover) return;
      const returns = await runDueHandoverReturns(handover);
      if (returns.length > 0) deps.logger.info({ returns, workerId }, 'handover returns');
    },
  };
}

/**
 * Running the jobs: define every kind on Agenda, keep the periodic ones
 * (reminder sweep, schedule rules, handover returns) scheduled, start
 * processing; stop() lets running jobs finish (within a time limit) and
 * takes no new ones.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Agenda, Job } from 'agenda';
import type { HandoverDeps } from '../core/handover/handover.ts';
import { JOB_KINDS, type JobHandlers, type JobKind, type JobKinds } from '../core/jobs/job-kinds.ts';
import type { ReminderDeps } from '../core/notifications/reminders/deps.ts';
import type { RulesModule } from '../core/rules/module.ts';
import { JOB_RUN_OPTIONS, jobHandlers } from './jobs.ts';

export interface RunningWorkers {
  workerId: string;
  stop(timeoutMs?: number): Promise<void>;
}

export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

export async function startWorkers(input: {
  agenda: Agenda;
  deps: ReminderDeps;
  workerId?: string;
  /** how often the reminder sweep runs (Agenda interval: '1 minute', or ms) */
  sweepEvery?: string | number;
  /** the rule engine whose schedule rules the `rules.schedule` job runs (absent: the job does nothing) */
  rules?: Pick<RulesModule, 'runDue'>;
  /** the record service and audit log that timed handover returns act through (absent: the job does nothing) */
  handover?: HandoverDeps;
  /** how often due handover returns are looked for (Agenda interval; default every minute) */
  handoverReturnsEvery?: string | number;
  /**
   * One lock lifetime for every kind instead of JOB_RUN_OPTIONS' (tests: after
   * each job Agenda's lock check keeps a timer of half the lifetime running,
   * which keeps a process that does not exit explicitly alive that long).
   */
  lockLifetimeMs?: number;
}): Promise<RunningWorkers> {
  const { agenda, deps } = input;
  const workerId = input.workerId ?? newWorkerId();
  const handlers = jobHandlers({ deps, workerId, rules: input.rules, handover: input.handover });
  for (const kind of JOB_KINDS) define(agenda, kind, handlers, input.lockLifetimeMs);
  agenda.on('error', (error: Error) => deps.logger.error({ err: error, workerId }, 'job scheduler error'));
  agenda.on('fail', (error: Error, job: Job) => deps.logger.warn({ err: error, job: job.attrs.name, workerId }, 'job failed; it will run again'));
  await agenda.start();
  await agenda.every(input.sweepEvery ?? '1 minute', 'reminders.sweep', {});
  // Cron slots are whole minutes: checking every minute runs each slot within a minute of its time.
  if (input.rules) await agenda.every('1 minute', 'rules.schedule', {});
  // A handover comes back within a minute of its end.
  if (input.handover) await agenda.every(input.handoverReturnsEvery ?? '1 minute', 'handover.returns', {});
  deps.logger.info({ workerId, kinds: JOB_KINDS }, 'workers started');
  return {
    workerId,
    async stop(timeoutMs = 10_000) {
      const result = await agenda.drain({ timeout: timeoutMs, closeConnection: false });
      if (result.timedOut) deps.logger.warn({ running: result.running, workerId }, 'workers stopped with jobs still running; their claims will expire and another worker will finish them');
    },
  };
}

function define<K extends JobKind>(agenda: Agenda, kind: K, handlers: JobHandlers, lockLifetimeMs?: number): void {
  const handler: JobHandlers[K] = handlers[kind];
  const options = JOB_RUN_OPTIONS[kind];
  agenda.define(kind, async (job: Job<JobKinds[K]>) => handler(job.attrs.data ?? ({} as JobKinds[K])), {
    concurrency: options.concurrency,
    lockLifetime: lockLifetimeMs ?? options.lockLifetimeMs,
    removeOnComplete: options.isRemovedOnComplete,
  });
}

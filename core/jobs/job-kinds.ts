/**
 * The background jobs core knows about, with the data each carries. Core
 * defines them and schedules them through `JobQueue`; `workers/` implements
 * them (a `JobHandlers` record: a kind without a handler is a type error).
 * Core never sees the scheduler behind the queue (Agenda).
 */

export interface JobKinds {
  /**
   * Safety net, run periodically: reconcile the reminder schedule with the
   * activities, deliver due reminders nobody delivered, flag overdue ones.
   */
  'reminders.sweep': Record<string, never>;
  /** Deliver one reminder at its due time. */
  'reminder.deliver': { reminderId: string };
  /**
   * Run every enabled schedule rule whose cron expression has a slot due
   * (each slot once; per record keyed claims make a repeated run harmless).
   */
  'rules.schedule': Record<string, never>;
  /**
   * Give back the records of every handover whose `until` has passed (each
   * handover claimed by one worker; a second run finds nothing due).
   */
  'handover.returns': Record<string, never>;
}

export type JobKind = keyof JobKinds;

export const JOB_KINDS: readonly JobKind[] = ['reminders.sweep', 'reminder.deliver', 'rules.schedule', 'handover.returns'] satisfies readonly JobKind[];

export type JobHandler<K extends JobKind> = (data: JobKinds[K]) => Promise<void>;

/** One handler per kind. */
export type JobHandlers = { [K in JobKind]: JobHandler<K> };

export interface ScheduledJob<K extends JobKind> {
  kind: K;
  data: JobKinds[K];
  /** when to run; omitted: as soon as possible */
  at?: Date;
  /**
   * A job of this kind with the same data is the same job: scheduling it
   * again moves it instead of adding a second one.
   */
  isUnique?: boolean;
}

/** Where core puts work for the workers. Delivery is at least once: handlers are idempotent. */
export interface JobQueue {
  schedule<K extends JobKind>(job: ScheduledJob<K>): Promise<void>;
}

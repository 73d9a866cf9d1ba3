import type { Db } from 'mongodb';
import type { JobQueue } from '../../jobs/job-kinds.ts';
import type { MetadataRegistry } from '../../metadata/registry.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Mailer } from '../mailer.ts';

/** What scheduling and delivering reminders need, passed explicitly. */
export interface ReminderDeps {
  db: Db;
  logger: Logger;
  /** absent: reminders are in-app only */
  mailer?: Mailer;
  /** absent: only the periodic sweep delivers (up to one sweep interval late) */
  jobs?: JobQueue;
  /** entity definitions, for localized labels (activity types) in messages */
  registry?: Pick<MetadataRegistry, 'entity'>;
  /** how long a worker's claim on a reminder holds before another may take over */
  leaseMs?: number;
  now?: () => Date;
}

export const DEFAULT_LEASE_MS = 2 * 60_000;

export function clockOf(deps: ReminderDeps): Date {
  return deps.now ? deps.now() : new Date();
}

import type { Logger } from '../observability/logger.ts';
import type { Database } from './connection.ts';

/** Waits until the database answers a ping, logging while it does not. */
export async function waitForDatabase(database: Database, logger: Logger, options: { intervalMs?: number; timeoutMs?: number } = {}): Promise<void> {
  const intervalMs = options.intervalMs ?? 1000;
  const deadline = Date.now() + (options.timeoutMs ?? Number.POSITIVE_INFINITY);
  let isWarned = false;
  while (!(await database.ping(2000))) {
    if (Date.now() > deadline) throw new Error('the database did not answer in time');
    if (!isWarned) {
      logger.warn('waiting for the database to answer a ping');
      isWarned = true;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

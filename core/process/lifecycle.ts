/**
 * The life of a process (the API server or a worker): start, and on SIGTERM
 * or SIGINT — at any moment, even during start-up — stop cleanly and exit 0;
 * a failed start stops what did start and exits 1.
 */
import type { Logger } from '../observability/logger.ts';

export function runUntilSignalled(input: {
  logger: Logger;
  /** e.g. "Relata" or "Relata worker" (in the start-failure message) */
  name: string;
  /** log wording, e.g. "shutdown" or "worker shutdown" */
  label: string;
  start: () => Promise<void>;
  stop: () => Promise<void>;
}): void {
  const { logger, name } = input;
  const starting = input.start();
  let isStopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (isStopping) return;
    isStopping = true;
    logger.info({ signal }, `${input.label}: no new work, finishing what is in flight`);
    starting
      .catch(() => undefined)
      .then(() => input.stop())
      .then(() => {
        logger.info(`${input.label} complete`);
        logger.flush();
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, `${input.label} failed`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  starting.catch(async (error: unknown) => {
    process.stderr.write(`${name} failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
    await input.stop().catch(() => undefined);
    process.exit(1);
  });
}

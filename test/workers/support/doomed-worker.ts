/**
 * Test helper process: delivers one reminder like a worker, and at the step
 * named by CRASH_AT stops dead — announces it on stdout and hangs until the
 * test kills it with SIGKILL. Nothing after that step runs: no catch, no
 * finally, no cleanup, as when a machine loses power.
 */
import { MongoClient } from 'mongodb';
import { deliverReminder, type DeliveryStep } from '../../../core/notifications/reminders/deliver.ts';
import { createLogger } from '../../../core/observability/logger.ts';
import { createEmailPlugin } from '../../../plugins/email/index.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const client = await new MongoClient(env('MONGO_URI')).connect();
const db = client.db(env('DB_NAME'));
const logger = createLogger({ level: 'warn', destination: process.stderr });
const email = await createEmailPlugin({ db, smtpUrl: env('SMTP_URL'), logger, workerId: 'doomed', leaseMs: Number(env('OUTBOX_LEASE_MS')) });
const crashAt = process.env.CRASH_AT as DeliveryStep | undefined;
process.stdout.write('READY\n');

const result = await deliverReminder({
  deps: { db, logger, mailer: email.mailer, leaseMs: Number(env('LEASE_MS')) },
  workerId: 'doomed',
  reminderId: env('REMINDER_ID'),
  onStep: async (step) => {
    if (step !== crashAt) return;
    process.stdout.write(`CRASH ${step}\n`);
    setInterval(() => undefined, 60_000); // keep the process alive until it is killed
    await new Promise<never>(() => undefined);
  },
});
process.stdout.write(`DONE ${result.outcome}\n`);
email.close();
await client.close();

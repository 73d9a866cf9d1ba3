/**
 * The email plugin: the core Mailer port over SMTP (nodemailer), behind the
 * `_outbox` collection. main.ts and workers/main.ts create it when SMTP_URL
 * is set.
 */
import { hostname } from 'node:os';
import nodemailer from 'nodemailer';
import type { Db } from 'mongodb';
import type { Mailer } from '../../core/notifications/mailer.ts';
import type { Logger } from '../../core/observability/logger.ts';
import { createOutboxMailer } from './outbox-mailer.ts';
import { ensureOutboxIndexes } from './outbox-store.ts';
import { describeSmtp, parseSmtpUrl } from './smtp-config.ts';

export interface EmailPlugin {
  mailer: Mailer;
  close(): void;
}

export async function createEmailPlugin(input: { db: Db; smtpUrl: string; logger: Logger; workerId?: string; leaseMs?: number }): Promise<EmailPlugin> {
  const config = parseSmtpUrl(input.smtpUrl);
  const transport = nodemailer.createTransport(config.options);
  await ensureOutboxIndexes(input.db);
  input.logger.info({ smtp: describeSmtp(input.smtpUrl), from: config.from }, 'e-mail through SMTP enabled');
  const mailer = createOutboxMailer({
    db: input.db,
    transport,
    from: config.from,
    domain: config.domain,
    logger: input.logger,
    workerId: input.workerId ?? `${hostname()}:${process.pid}`,
    leaseMs: input.leaseMs,
  });
  return { mailer, close: () => transport.close() };
}

/**
 * SMTP_URL → nodemailer transport options. The sender address comes from the
 * URL's `from` parameter (`smtp://user:pass@host:587?from=crm@example.com`),
 * else from a user name that is an address, else `relata@<host>`.
 * `describeSmtp` is the only form of the URL that may be logged: no user
 * name, no password.
 */
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

export interface SmtpConfig {
  options: SMTPTransport.Options;
  from: string;
  /** domain for Message-IDs */
  domain: string;
}

export function parseSmtpUrl(raw: string): SmtpConfig {
  const url = new URL(raw);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('SMTP_URL must be an smtp:// or smtps:// URL');
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  const from = url.searchParams.get('from') ?? (user.includes('@') ? user : `relata@${url.hostname}`);
  const options: SMTPTransport.Options = {
    host: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    secure: url.protocol === 'smtps:',
    ...(user ? { auth: { user, pass } } : {}),
    // Bounded so a hung server cannot hold a message past its outbox lease.
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
    logger: false,
    debug: false,
  };
  return { options, from, domain: from.split('@')[1] ?? url.hostname };
}

export function describeSmtp(raw: string): string {
  const url = new URL(raw);
  return `${url.protocol}//${url.hostname}${url.port ? `:${url.port}` : ''}`;
}

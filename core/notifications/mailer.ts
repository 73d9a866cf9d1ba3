/**
 * The e-mail port core sends through. The email plugin implements it (SMTP
 * behind an outbox); main.ts wires it. Core never imports the plugin.
 */

export interface MailMessage {
  /**
   * The same key always names the same message: a second `send` with a key
   * that was already accepted by the mail server sends nothing.
   */
  idempotencyKey: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  /**
   * Resolves once the message with this key has been accepted by the mail
   * server, by this call or an earlier one. Rejects with a `MailError`
   * otherwise; a retryable one may succeed when called again later.
   */
  send(message: MailMessage): Promise<void>;
}

export class MailError extends Error {
  readonly isRetryable: boolean;
  constructor(message: string, options: { isRetryable: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = 'MailError';
    this.isRetryable = options.isRetryable;
  }
}

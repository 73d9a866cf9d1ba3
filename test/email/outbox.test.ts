/**
 * The email plugin: nodemailer over SMTP behind the `_outbox` collection,
 * against a real SMTP server. One idempotency key is accepted once; every
 * attempt is recorded; temporary and permanent refusals are told apart; a
 * message whose sender died mid-attempt is resent with the same Message-ID;
 * the SMTP password never reaches the log.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { MailError, type Mailer } from '../../core/notifications/mailer.ts';
import { createEmailPlugin, type EmailPlugin } from '../../plugins/email/index.ts';
import { outboxCollection } from '../../plugins/email/outbox-store.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { createCapturingLogger } from '../support/platform.ts';
import { startSmtpSink, type SmtpSink } from './smtp-sink.ts';

const FROM = 'crm@relata.test';

function message(key: string) {
  return { idempotencyKey: key, to: 'anna@example.com', subject: `Reminder ${key}`, text: 'Call Acme at 10:00' };
}

async function rejection(promise: Promise<unknown>): Promise<MailError> {
  const error = await promise.then(
    () => assert.fail('expected the send to fail'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof MailError, `a MailError, got ${String(error)}`);
  return error;
}

describe('email plugin: SMTP behind an outbox', () => {
  let engine: TestEngine;
  let client: MongoClient;
  let db: Db;
  let sink: SmtpSink;
  let plugin: EmailPlugin;
  let mailer: Mailer;
  let logLines: string[];

  before(async () => {
    engine = await startTestEngine();
    client = await new MongoClient(engine.uri).connect();
  });
  after(async () => {
    await client.close();
    await engine.dispose();
  });
  beforeEach(async () => {
    plugin?.close();
    await sink?.close();
    db = client.db(`outbox_${new ObjectId().toHexString()}`);
    sink = await startSmtpSink();
    const capture = createCapturingLogger();
    logLines = capture.lines;
    plugin = await createEmailPlugin({ db, smtpUrl: `${sink.url}?from=${FROM}`, logger: capture.logger, workerId: 'test-worker', leaseMs: 200 });
    mailer = plugin.mailer;
  });
  after(async () => {
    plugin?.close();
    await sink?.close();
  });

  it('sends a message once per idempotency key, records the attempt and the server answer', async () => {
    await mailer.send(message('k1'));
    await mailer.send(message('k1'));
    await mailer.send({ ...message('k1'), subject: 'a different text under the same key' });
    assert.equal(sink.messages.length, 1, 'one message reached the server');
    const [sent] = sink.messages;
    assert.deepEqual(sent!.to, ['anna@example.com']);
    assert.equal(sent!.from, FROM);
    assert.equal(sent!.subject, 'Reminder k1');
    const doc = await outboxCollection(db).findOne({ idempotencyKey: 'k1' });
    assert.equal(doc?.state, 'sent');
    assert.ok(doc?.sentAt instanceof Date);
    assert.equal(doc?.attempts.length, 1);
    assert.match(doc?.attempts[0]?.response ?? '', /^250/);
    assert.equal(doc?.attempts[0]?.by, 'test-worker');
    assert.equal(sent!.messageId, doc?.messageId, 'the Message-ID fixed in the outbox is the one sent');
    assert.equal(await outboxCollection(db).countDocuments(), 1);
  });

  it('a temporary refusal (451) is recorded and the message stays queued; the next send delivers it once', async () => {
    sink.refuseNext(451, 'Try again later');
    const error = await rejection(mailer.send(message('k2')));
    assert.equal(error.isRetryable, true);
    let doc = await outboxCollection(db).findOne({ idempotencyKey: 'k2' });
    assert.equal(doc?.state, 'queued');
    assert.match(doc?.attempts[0]?.error ?? '', /451/);
    assert.equal(sink.messages.length, 0);

    await mailer.send(message('k2'));
    doc = await outboxCollection(db).findOne({ idempotencyKey: 'k2' });
    assert.equal(doc?.state, 'sent');
    assert.equal(doc?.attempts.length, 2, 'both attempts recorded');
    assert.equal(sink.messages.length, 1);
  });

  it('a permanent refusal (550) fails the message for good: later sends neither retry nor send', async () => {
    sink.refuseNext(550, 'No such user here');
    assert.equal((await rejection(mailer.send(message('k3')))).isRetryable, false);
    assert.equal((await rejection(mailer.send(message('k3')))).isRetryable, false);
    const doc = await outboxCollection(db).findOne({ idempotencyKey: 'k3' });
    assert.equal(doc?.state, 'failed');
    assert.equal(doc?.attempts.length, 1);
    assert.match(doc?.attempts[0]?.error ?? '', /550/);
    assert.equal(sink.messages.length, 0);
  });

  it('does not send a message another process is sending; resends one whose sender died (same Message-ID, attempt marked)', async () => {
    await mailer.send(message('warm-up')); // creates the indexes' collection and a first document
    const now = Date.now();
    const base = { to: 'anna@example.com', subject: 'Reminder k4', text: 't', messageId: '<k4@relata.test>', createdAt: new Date(now), updatedAt: new Date(now) };
    await outboxCollection(db).insertOne({
      _id: new ObjectId(),
      idempotencyKey: 'k4',
      ...base,
      state: 'sending',
      claimedBy: 'other-worker',
      leaseUntil: new Date(now + 2000),
      attempts: [{ id: new ObjectId(), at: new Date(now), by: 'other-worker' }],
    });
    const busy = await rejection(mailer.send(message('k4')));
    assert.equal(busy.isRetryable, true, 'in progress elsewhere: try later');
    assert.equal(sink.messages.length, 1, 'only the warm-up');

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, now + 2050 - Date.now()))); // the other worker's lease runs out: it died
    await mailer.send(message('k4'));
    const doc = await outboxCollection(db).findOne({ idempotencyKey: 'k4' });
    assert.equal(doc?.state, 'sent');
    assert.equal(doc?.attempts.length, 2);
    assert.equal(doc?.attempts[1]?.isAfterInterruption, true, 'the resend is marked as following an interrupted attempt');
    assert.equal(sink.messages[1]?.messageId, '<k4@relata.test>', 'same Message-ID as the interrupted attempt');
    assert.ok(logLines.some((line) => line.includes('previous attempt was interrupted')));
  });

  it('authenticates with the credentials in SMTP_URL and never logs the password', async () => {
    plugin.close();
    await sink.close();
    sink = await startSmtpSink({ auth: { user: 'relata', pass: 's3cr3t-smtp-pass' } });
    const capture = createCapturingLogger();
    plugin = await createEmailPlugin({ db, smtpUrl: `smtp://relata:s3cr3t-smtp-pass@127.0.0.1:${sink.port}?from=${FROM}`, logger: capture.logger, workerId: 'w' });
    await plugin.mailer.send(message('k5'));
    assert.equal(sink.messages[0]?.user, 'relata');

    const wrong = await createEmailPlugin({ db, smtpUrl: `smtp://relata:wrong-pass-123@127.0.0.1:${sink.port}`, logger: capture.logger, workerId: 'w' });
    const error = await rejection(wrong.mailer.send(message('k6')));
    wrong.close();
    assert.ok(!error.message.includes('wrong-pass-123'));
    const doc = await outboxCollection(db).findOne({ idempotencyKey: 'k6' });
    assert.ok(!JSON.stringify(doc).includes('wrong-pass-123'), 'no password in the outbox');
    assert.ok(capture.lines.some((line) => line.includes('e-mail through SMTP enabled')));
    for (const line of capture.lines) {
      assert.ok(!line.includes('s3cr3t-smtp-pass') && !line.includes('wrong-pass-123'), `no password in: ${line}`);
    }
  });
});

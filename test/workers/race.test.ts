/**
 * Two workers racing for the same due reminders send one e-mail per
 * reminder: the atomic claim lets exactly one of them deliver, whether they
 * race reminder by reminder, sweep at the same moment, or run as two Agenda
 * worker runtimes on the same queue.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient, ObjectId, type Db } from 'mongodb';
import { deliverReminder } from '../../core/notifications/reminders/deliver.ts';
import type { ReminderDeps } from '../../core/notifications/reminders/deps.ts';
import { reminderCollection, reminderId } from '../../core/notifications/reminders/reminder-store.ts';
import { sweepReminders } from '../../core/notifications/reminders/sweep.ts';
import { syncActivityReminders } from '../../core/notifications/reminders/sync.ts';
import { createEmailPlugin, type EmailPlugin } from '../../plugins/email/index.ts';
import { agendaJobQueue, createAgenda } from '../../workers/agenda.ts';
import { startWorkers } from '../../workers/runtime.ts';
import { startSmtpSink, type SmtpSink } from '../email/smtp-sink.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { createCapturingLogger } from '../support/platform.ts';

interface Worker {
  name: string;
  client: MongoClient;
  db: Db;
  email: EmailPlugin;
  deps: ReminderDeps;
}

describe('two workers racing for the same reminders', () => {
  let engine: TestEngine;
  let sink: SmtpSink;
  const workers: Worker[] = [];

  before(async () => {
    engine = await startTestEngine();
    sink = await startSmtpSink();
  });
  after(async () => {
    for (const worker of workers) {
      worker.email.close();
      await worker.client.close();
    }
    await sink.close();
    await engine.dispose();
  });

  /** A worker process's view: its own connection pool and its own mailer. */
  async function worker(name: string, dbName: string): Promise<Worker> {
    const client = await new MongoClient(engine.uri).connect();
    const db = client.db(dbName);
    const { logger } = createCapturingLogger();
    const email = await createEmailPlugin({ db, smtpUrl: sink.url, logger, workerId: name });
    const created = { name, client, db, email, deps: { db, logger, mailer: email.mailer } };
    workers.push(created);
    return created;
  }

  /** `count` due reminders for one user; answers their ids. */
  async function dueReminders(deps: ReminderDeps, count: number, withJobs = false): Promise<string[]> {
    const userId = new ObjectId();
    await deps.db.collection('user').insertOne({ _id: userId, email: `u${userId.toHexString()}@example.com`, name: 'Racer' });
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const activityId = new ObjectId();
      const start = new Date(Date.now() + 2 * 60_000 + i * 1000); // lead 15 minutes: all due
      await deps.db.collection('activity').insertOne({ _id: activityId, type: 'call', subject: `Race ${i}`, status: 'planned', plannedStart: start, owner: userId, version: 1 });
      await syncActivityReminders({ deps: withJobs ? deps : { ...deps, jobs: undefined }, activityId });
      ids.push(reminderId(activityId, start));
    }
    return ids;
  }

  async function assertSentOnce(db: Db, ids: string[], before: number): Promise<void> {
    const mails = sink.messages.slice(before);
    assert.equal(mails.length, ids.length, `one e-mail per reminder (${mails.length} for ${ids.length})`);
    assert.equal(new Set(mails.map((mail) => mail.messageId)).size, ids.length, 'no Message-ID twice');
    for (const reminder of await reminderCollection(db).find({ _id: { $in: ids } }).toArray()) {
      assert.equal(reminder.state, 'sent', reminder._id);
      assert.equal(reminder.log.filter((entry) => entry.event === 'claimed').length, 1, `${reminder._id} claimed once`);
    }
    const notes = await db.collection('_notifications').countDocuments({ key: { $in: ids.map((id) => `reminder:${id}`) } });
    assert.equal(notes, ids.length);
  }

  it('racing reminder by reminder: one worker claims each, the other gets nothing', async () => {
    const [left, right] = [await worker('left', 'race_each'), await worker('right', 'race_each')];
    const ids = await dueReminders(left!.deps, 12);
    const before = sink.messages.length;
    for (const id of ids) {
      const outcomes = await Promise.all([left!, right!].map((w) => deliverReminder({ deps: w.deps, workerId: w.name, reminderId: id })));
      assert.deepEqual(outcomes.map((o) => o.outcome).sort(), ['none', 'sent'], id);
    }
    await assertSentOnce(left!.db, ids, before);
  });

  it('two sweeps at the same moment share the due reminders without doubling any', async () => {
    const [left, right] = [await worker('left-sweep', 'race_sweep'), await worker('right-sweep', 'race_sweep')];
    const ids = await dueReminders(left!.deps, 20);
    const before = sink.messages.length;
    const results = await Promise.all([left!, right!].map((w) => sweepReminders({ deps: w.deps, workerId: w.name })));
    const sent = results.map((result) => result.delivered.sent ?? 0);
    assert.equal(sent[0]! + sent[1]!, ids.length, JSON.stringify(results));
    await assertSentOnce(left!.db, ids, before);
  });

  it('two Agenda worker runtimes on one queue deliver each reminder once', async () => {
    const pair = [await worker('agenda-a', 'race_agenda'), await worker('agenda-b', 'race_agenda')];
    const agendas = pair.map((w) => createAgenda({ db: w.db, name: w.name, processEvery: 100 }));
    const running = await Promise.all(pair.map((w, i) => startWorkers({ agenda: agendas[i]!, workerId: w.name, deps: { ...w.deps, jobs: agendaJobQueue(agendas[i]!) }, sweepEvery: '1 hour', lockLifetimeMs: 4000 })));
    try {
      const before = sink.messages.length;
      const ids = await dueReminders({ ...pair[0]!.deps, jobs: agendaJobQueue(agendas[0]!) }, 10, true);
      await sink.waitForMessages(before + ids.length, 15_000);
      await new Promise((resolve) => setTimeout(resolve, 500)); // a second delivery would show up now
      await assertSentOnce(pair[0]!.db, ids, before);
    } finally {
      await Promise.all(running.map((r) => r.stop(5000)));
    }
  });
});

/**
 * The reminder schedule follows the activities (record events), the sweep
 * repairs what events missed, and delivery re-reads the activity: reminders
 * reach the responsible employee at planned start − their lead time, once,
 * as an in-app notification and an e-mail (a real SMTP server); overdue
 * planned activities are flagged once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { SHIPPED_APPS_DIR } from '../../core/platform.ts';
import type { ReminderDeps } from '../../core/notifications/reminders/deps.ts';
import { deliverReminder } from '../../core/notifications/reminders/deliver.ts';
import { reminderCollection, reminderId, type StoredReminder } from '../../core/notifications/reminders/reminder-store.ts';
import { sweepReminders } from '../../core/notifications/reminders/sweep.ts';
import { syncActivityReminders } from '../../core/notifications/reminders/sync.ts';
import { createEmailPlugin, type EmailPlugin } from '../../plugins/email/index.ts';
import { agendaJobQueue, createAgenda, JOBS_COLLECTION } from '../../workers/agenda.ts';
import { startSmtpSink, type SmtpSink } from '../email/smtp-sink.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createCapturingLogger } from '../support/platform.ts';
import { addStaff, patchActivity, planActivity, type Staff } from './support/staff.ts';

const MINUTE = 60_000;

describe('reminder schedule, delivery and overdue flags', () => {
  let api: TestApi;
  let sink: SmtpSink;
  let email: EmailPlugin;
  let deps: ReminderDeps;
  let anna: Staff; // lead 30 min, English
  let boris: Staff; // default lead (15 min), Russian, Moscow time

  const reminders = () => reminderCollection(api.database.db);
  const remindersOf = async (activityId: string): Promise<StoredReminder[]> => reminders().find({ activityId: new ObjectId(activityId) }).sort({ createdAt: 1 }).toArray();
  const notificationsOf = (user: Staff, kind?: string) => api.database.db.collection('_notifications').find({ userId: user.objectId, ...(kind ? { kind } : {}) }).toArray();
  const inFuture = (ms: number) => new Date(Date.now() + ms).toISOString();

  before(async () => {
    api = await startTestApi({ appsDir: SHIPPED_APPS_DIR });
    sink = await startSmtpSink();
    const { logger } = createCapturingLogger();
    email = await createEmailPlugin({ db: api.database.db, smtpUrl: `${sink.url}?from=crm@relata.test`, logger, workerId: 'schedule-test' });
    deps = { db: api.database.db, logger, mailer: email.mailer, registry: api.platform.registry };
    anna = await addStaff(api, { name: 'Anna Petrova', email: 'anna@example.com', reminderLeadMinutes: 30 });
    boris = await addStaff(api, { name: 'Борис Иванов', email: 'boris@example.com', locale: 'ru', timeZone: 'Europe/Moscow' });
  });
  after(async () => {
    email.close();
    await sink.close();
    await api.close();
  });

  it('schedules one reminder per planned activity at planned start minus the owner\'s lead time (default 15 minutes)', async () => {
    const start = new Date(Date.now() + 3 * 60 * MINUTE);
    const forAnna = await planActivity(api, { subject: 'Call Acme', plannedStart: start.toISOString(), owner: anna.id });
    const forBoris = await planActivity(api, { subject: 'Встреча', type: 'meeting', plannedStart: start.toISOString(), owner: boris.id });
    const unplanned = await planActivity(api, { subject: 'Held already', status: 'held', plannedStart: start.toISOString(), owner: anna.id });
    const noStart = await planActivity(api, { subject: 'Some day', owner: anna.id });

    const [a] = await remindersOf(forAnna._id);
    assert.equal(a?._id, reminderId(new ObjectId(forAnna._id), start));
    assert.equal(a?.state, 'pending');
    assert.equal(a?.userId.toHexString(), anna.id);
    assert.equal(a?.dueAt.getTime(), start.getTime() - 30 * MINUTE);
    const [b] = await remindersOf(forBoris._id);
    assert.equal(b?.dueAt.getTime(), start.getTime() - 15 * MINUTE, 'default lead time');
    assert.deepEqual(await remindersOf(unplanned._id), []);
    assert.deepEqual(await remindersOf(noStart._id), []);
  });

  it('follows rescheduling (the old one is cancelled, moving back revives it), reassignment, completion, cancellation and deletion', async () => {
    const first = new Date(Date.now() + 5 * 60 * MINUTE);
    const second = new Date(Date.now() + 6 * 60 * MINUTE);
    const activity = await planActivity(api, { subject: 'Demo', plannedStart: first.toISOString(), owner: anna.id });

    await patchActivity(api, activity._id, { plannedStart: second.toISOString() });
    let states = (await remindersOf(activity._id)).map((r) => [r.plannedStart.getTime(), r.state, r.reason ?? null]);
    assert.deepEqual(states, [[first.getTime(), 'cancelled', 'rescheduled'], [second.getTime(), 'pending', null]]);

    await patchActivity(api, activity._id, { plannedStart: first.toISOString() });
    states = (await remindersOf(activity._id)).map((r) => [r.plannedStart.getTime(), r.state, r.reason ?? null]);
    assert.deepEqual(states, [[first.getTime(), 'pending', null], [second.getTime(), 'cancelled', 'rescheduled']]);

    await patchActivity(api, activity._id, { owner: boris.id });
    let current = (await remindersOf(activity._id))[0]!;
    assert.equal(current.userId.toHexString(), boris.id, 'reassigned to the new responsible employee');
    assert.equal(current.dueAt.getTime(), first.getTime() - 15 * MINUTE, "with the new owner's lead time");

    await patchActivity(api, activity._id, { status: 'held' });
    current = (await remindersOf(activity._id))[0]!;
    assert.equal(current.state, 'cancelled');
    assert.equal(current.reason, 'activity held');
    assert.equal(current.overdue, 'cancelled');

    const cancelled = await planActivity(api, { subject: 'Cancel me', plannedStart: first.toISOString(), owner: anna.id });
    await patchActivity(api, cancelled._id, { status: 'cancelled' });
    assert.equal((await remindersOf(cancelled._id))[0]?.state, 'cancelled');

    const deleted = await planActivity(api, { subject: 'Delete me', plannedStart: first.toISOString(), owner: anna.id });
    assert.equal((await api.request('DELETE', `/api/v1/data/activity/${deleted._id}`)).status, 204);
    await api.platform.bus.drain();
    assert.equal((await remindersOf(deleted._id))[0]?.reason, 'activity deleted');
  });

  it('re-times pending reminders when a user changes their lead time', async () => {
    const start = new Date(Date.now() + 8 * 60 * MINUTE);
    const activity = await planActivity(api, { subject: 'Lead change', plannedStart: start.toISOString(), owner: anna.id });
    await api.database.db.collection('user').updateOne({ _id: anna.objectId }, { $set: { reminderLeadMinutes: 60 } });
    const user = await api.database.db.collection('user').findOne({ _id: anna.objectId });
    api.platform.bus.publish({ kind: 'updated', entity: 'user', id: anna.id, version: 2, changedFields: ['reminderLeadMinutes'], record: user!, by: null, at: new Date(), requestId: 't', ruleDepth: 0 });
    await api.platform.bus.drain();
    assert.equal((await remindersOf(activity._id))[0]?.dueAt.getTime(), start.getTime() - 60 * MINUTE);
    await api.database.db.collection('user').updateOne({ _id: anna.objectId }, { $set: { reminderLeadMinutes: 30 } });
  });

  it('queues one delivery job per reminder at its due time, moved (not duplicated) when scheduled again', async () => {
    const agenda = createAgenda({ db: api.database.db, name: 'producer-only' });
    const withJobs: ReminderDeps = { ...deps, jobs: agendaJobQueue(agenda) };
    const start = new Date(Date.now() + 10 * 60 * MINUTE);
    const activity = await planActivity(api, { subject: 'Queued', plannedStart: start.toISOString(), owner: anna.id });
    const activityId = new ObjectId(activity._id);
    await syncActivityReminders({ deps: withJobs, activityId });
    await syncActivityReminders({ deps: withJobs, activityId });
    const id = reminderId(activityId, start);
    const jobs = await api.database.db.collection(JOBS_COLLECTION).find({ name: 'reminder.deliver', 'data.reminderId': id }).toArray();
    assert.equal(jobs.length, 1, 'one job however often it is scheduled');
    assert.equal((jobs[0]!.nextRunAt as Date).getTime(), start.getTime() - 30 * MINUTE);
  });

  it('the sweep repairs reminders whose record event was lost', async () => {
    const start = new Date(Date.now() + 2 * 60 * MINUTE);
    const inserted = await api.database.db.collection('activity').insertOne({ type: 'call', subject: 'Written behind the API', status: 'planned', plannedStart: start, owner: anna.objectId, version: 1, createdAt: new Date(), updatedAt: new Date() });
    const lost = await planActivity(api, { subject: 'Reminder deleted', plannedStart: start.toISOString(), owner: anna.id });
    await reminders().deleteMany({ activityId: new ObjectId(lost._id) });

    const result = await sweepReminders({ deps, workerId: 'sweeper' });
    assert.ok(result.repaired >= 2, JSON.stringify(result));
    assert.equal((await remindersOf(inserted.insertedId.toHexString()))[0]?.state, 'pending');
    assert.equal((await remindersOf(lost._id))[0]?.state, 'pending');
  });

  it('delivers a due reminder once: notification and e-mail in the user\'s language and time zone', async () => {
    const before = sink.messages.length;
    const start = new Date(Date.now() + 10 * MINUTE); // Boris: 15 minutes lead, so due now
    const activity = await planActivity(api, { subject: 'Позвонить в «Ромашку»', plannedStart: start.toISOString(), owner: boris.id, notes: 'Обсудить договор' });
    const id = reminderId(new ObjectId(activity._id), start);
    const first = await deliverReminder({ deps, workerId: 'w1', reminderId: id });
    assert.equal(first.outcome, 'sent');
    const second = await deliverReminder({ deps, workerId: 'w2', reminderId: id });
    assert.equal(second.outcome, 'none', 'a sent reminder is never claimed again');
    await sweepReminders({ deps, workerId: 'w3' });

    const mails = sink.messages.slice(before).filter((message) => message.to.includes('boris@example.com'));
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.subject ?? '', /^Напоминание: Позвонить в «Ромашку» — /);
    assert.match(mails[0]!.text, /Борис Иванов, здравствуйте!/);
    assert.match(mails[0]!.text, /Звонок: Позвонить в «Ромашку» — начало .*Europe\/Moscow/, 'type label and time in Russian');
    assert.match(mails[0]!.text, /Обсудить договор/);
    const notes = (await notificationsOf(boris, 'reminder')).filter((n) => n.link?.id === activity._id);
    assert.equal(notes.length, 1);
    assert.equal(notes[0]!.title, 'Напоминание: Позвонить в «Ромашку»');
    const moscow = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Europe/Moscow', timeStyle: 'short' }).format(start);
    assert.ok(notes[0]!.body.includes(moscow) && notes[0]!.body.includes('Europe/Moscow'), notes[0]!.body);
    const reminder = (await remindersOf(activity._id))[0]!;
    assert.equal(reminder.state, 'sent');
    assert.deepEqual(reminder.log.map((entry) => entry.event), ['claimed', 'sent']);
  });

  it('re-reads the activity before sending: one changed behind the schedule\'s back is cancelled, one started long ago is skipped', async () => {
    const before = sink.messages.length;
    const start = new Date(Date.now() + 10 * MINUTE);
    const changed = await planActivity(api, { subject: 'Moved silently', plannedStart: start.toISOString(), owner: boris.id });
    await api.database.db.collection('activity').updateOne({ _id: new ObjectId(changed._id) }, { $set: { status: 'held' } });
    const outcome = await deliverReminder({ deps, workerId: 'w1', reminderId: reminderId(new ObjectId(changed._id), start) });
    assert.equal(outcome.outcome, 'cancelled');

    const longAgo = new Date(Date.now() - 20 * MINUTE);
    const late = await planActivity(api, { subject: 'Started long ago', plannedStart: longAgo.toISOString(), owner: anna.id });
    const lateOutcome = await deliverReminder({ deps, workerId: 'w1', reminderId: reminderId(new ObjectId(late._id), longAgo) });
    assert.equal(lateOutcome.outcome, 'skipped');
    assert.equal(sink.messages.length, before, 'nothing sent');
  });

  it('flags an overdue planned activity once; not one that was already long past when planned', async () => {
    const justPassed = await planActivity(api, { subject: 'Missed call', plannedStart: inFuture(-2 * MINUTE), owner: anna.id });
    const ancient = await planActivity(api, { subject: 'Imported', plannedStart: inFuture(-40 * 24 * 60 * MINUTE), owner: anna.id });
    await sweepReminders({ deps, workerId: 's1' });
    await sweepReminders({ deps, workerId: 's2' });
    const overdue = (await notificationsOf(anna, 'overdue')).filter((n) => n.link?.id === justPassed._id);
    assert.equal(overdue.length, 1);
    assert.equal(overdue[0]!.title, 'Overdue: Missed call');
    assert.equal((await remindersOf(justPassed._id))[0]?.overdue, 'flagged');
    assert.equal((await notificationsOf(anna, 'overdue')).filter((n) => n.link?.id === ancient._id).length, 0);
    assert.equal((await remindersOf(ancient._id))[0]?.overdue, 'cancelled');
  });
});

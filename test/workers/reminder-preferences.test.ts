/**
 * A user's own reminder preferences, set through PATCH /api/v1/auth/me, drive
 * the reminder schedule: with a lead time of 60 minutes the reminder is due
 * an hour before the activity — not earlier — and shows the start in the
 * user's time zone; changing the lead time later re-times pending reminders.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { deliverReminder } from '../../core/notifications/reminders/deliver.ts';
import type { ReminderDeps } from '../../core/notifications/reminders/deps.ts';
import { reminderCollection, reminderId } from '../../core/notifications/reminders/reminder-store.ts';
import { SHIPPED_APPS_DIR } from '../../core/platform.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createCapturingLogger } from '../support/platform.ts';
import { addStaff, planActivity, type Staff } from './support/staff.ts';

const MINUTE = 60_000;
const ZONE = 'America/New_York';

describe('reminders follow the preferences a user sets for themselves', () => {
  let api: TestApi;
  let dana: Staff;
  let deps: ReminderDeps;
  const at = (now: Date): ReminderDeps => ({ ...deps, now: () => now });

  before(async () => {
    api = await startTestApi({ appsDir: SHIPPED_APPS_DIR });
    deps = { db: api.database.db, logger: createCapturingLogger().logger, registry: api.platform.registry };
    dana = await addStaff(api, { name: 'Dana', email: 'dana@example.com' });
    const response = await dana.request('PATCH', '/api/v1/auth/me', { reminderLeadMinutes: 60, timeZone: ZONE });
    assert.equal(response.status, 200, JSON.stringify(response.body));
  });
  after(async () => api.close());

  it('with a 60-minute lead and a time zone: due an hour before the start, not before, and worded in that zone', async () => {
    const start = new Date(Math.ceil((Date.now() + 3 * 60 * MINUTE) / MINUTE) * MINUTE);
    const activity = await planActivity(api, { subject: 'Call Globex', plannedStart: start.toISOString(), owner: dana.id });
    const id = reminderId(new ObjectId(activity._id), start);
    const reminder = await reminderCollection(api.database.db).findOne({ _id: id });
    assert.equal(reminder?.leadMinutes, 60);
    assert.equal(reminder?.dueAt.toISOString(), new Date(start.getTime() - 60 * MINUTE).toISOString());

    const dueAt = reminder!.dueAt;
    assert.equal((await deliverReminder({ deps: at(new Date(dueAt.getTime() - MINUTE)), workerId: 'early', reminderId: id })).outcome, 'none', 'a minute early: not due');
    assert.equal((await deliverReminder({ deps: at(dueAt), workerId: 'on-time', reminderId: id })).outcome, 'sent');

    const notes = await api.database.db.collection('_notifications').find({ userId: dana.objectId, kind: 'reminder', 'link.id': activity._id }).toArray();
    assert.equal(notes.length, 1);
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, timeStyle: 'short' }).format(start);
    const utc = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', timeStyle: 'short' }).format(start);
    assert.notEqual(local, utc, 'the zone makes a difference to the wording');
    assert.ok(String(notes[0]!.body).includes(`${local} (${ZONE})`), String(notes[0]!.body));
    assert.match(String(notes[0]!.body), /in 60 min\.$/);
  });

  it('a lead time changed through PATCH /auth/me re-times the pending reminders', async () => {
    const start = new Date(Date.now() + 5 * 60 * MINUTE);
    const activity = await planActivity(api, { subject: 'Demo for Initech', plannedStart: start.toISOString(), owner: dana.id });
    const id = reminderId(new ObjectId(activity._id), start);
    assert.equal((await reminderCollection(api.database.db).findOne({ _id: id }))?.dueAt.getTime(), start.getTime() - 60 * MINUTE);

    assert.equal((await dana.request('PATCH', '/api/v1/auth/me', { reminderLeadMinutes: 120 })).status, 200);
    await api.platform.bus.drain();
    const retimed = await reminderCollection(api.database.db).findOne({ _id: id });
    assert.deepEqual([retimed?.leadMinutes, retimed?.dueAt.getTime(), retimed?.state], [120, start.getTime() - 120 * MINUTE, 'pending']);
  });
});

/**
 * Calendars: each user's private, revocable ICS feed of their planned
 * activities, fetched without a session and parsed back with an iCalendar
 * parser (ical.js, the parser of Thunderbird); and one activity downloaded
 * as an .ics invitation under the caller's access rules.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ICAL from 'ical.js';
import { SHIPPED_APPS_DIR } from '../../core/platform.ts';
import { startTestApi, type ApiResponse, type TestApi } from '../support/api.ts';
import { addStaff, patchActivity, planActivity, type Staff } from '../workers/support/staff.ts';

const DAY = 24 * 60 * 60_000;
const SUBJECT = 'Call: Acme, Inc; path C:\\temp "quoted"';
const NOTES = 'Agenda:\n1) prices, discounts; terms\n2) \\ backslash line\nДолгий русский текст, который не поместится в одну строку длиной семьдесят пять октетов.';

interface FeedLinks {
  url: string;
  webcalUrl: string;
}

function component(ics: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(ics));
}

function events(calendar: ICAL.Component): ICAL.Event[] {
  return calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
}

describe('calendar: ICS feed and invitations', () => {
  let api: TestApi;
  let anna: Staff;
  let boris: Staff;
  let nobody: Staff;
  let main: { _id: string; version: number };
  let second: { _id: string };
  let held: { _id: string };
  let borisOwn: { _id: string };
  const start = new Date(Math.floor((Date.now() + 2 * DAY) / 1000) * 1000);

  /** Fetches a feed URL as a calendar client would: no cookie, no Authorization. */
  const fetchFeed = (url: string): Promise<ApiResponse<string>> => api.request<string>('GET', new URL(url).pathname, undefined, { authorization: '' });

  before(async () => {
    api = await startTestApi({ appsDir: SHIPPED_APPS_DIR });
    anna = await addStaff(api, { name: 'Anna Petrova', email: 'anna@example.com' });
    boris = await addStaff(api, { name: 'Boris', email: 'boris@example.com' });
    const created = await api.request<{ _id: string }>('POST', '/api/v1/data/user', { email: 'nobody@example.com', name: 'Nobody', password: 'nobody password 1', roles: [] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const session = await api.login('nobody@example.com', 'nobody password 1');
    nobody = { id: created.body._id, objectId: undefined as never, email: 'nobody@example.com', token: session.token, request: api.as(session.token) };

    const organization = await api.request<{ _id: string }>('POST', '/api/v1/data/organization', { name: 'Ромашка, ООО' });
    assert.equal(organization.status, 201, JSON.stringify(organization.body));
    const person = await api.request<{ _id: string }>('POST', '/api/v1/data/person', { lastName: 'Иванов', firstName: 'Пётр' });
    assert.equal(person.status, 201, JSON.stringify(person.body));
    main = await planActivity(api, {
      subject: SUBJECT,
      notes: NOTES,
      plannedStart: start.toISOString(),
      plannedEnd: new Date(start.getTime() + 45 * 60_000).toISOString(),
      owner: anna.id,
      organization: organization.body._id,
      person: person.body._id,
    });
    second = await planActivity(api, { type: 'meeting', subject: 'Встреча без конца', plannedStart: new Date(start.getTime() + DAY).toISOString(), owner: anna.id });
    held = await planActivity(api, { subject: 'Held one', status: 'held', plannedStart: start.toISOString(), owner: anna.id });
    borisOwn = await planActivity(api, { subject: "Boris's call", plannedStart: start.toISOString(), owner: boris.id });
    await planActivity(api, { subject: 'Long ago', plannedStart: new Date(Date.now() - 40 * DAY).toISOString(), owner: anna.id });
  });
  after(async () => api.close());

  it('issues a private feed URL to the signed-in user; calendar clients fetch it without a session', async () => {
    const issued = await anna.request<FeedLinks>('POST', '/api/v1/calendar/feed');
    assert.equal(issued.status, 201, JSON.stringify(issued.body));
    assert.match(issued.body.url, /^http:\/\/[^/]+\/api\/v1\/calendar\/feed\/rcf_[A-Za-z0-9_-]{43}\.ics$/);
    assert.equal(issued.body.webcalUrl, issued.body.url.replace(/^http:/, 'webcal:'));
    const status = await anna.request<{ isActive: boolean }>('GET', '/api/v1/calendar/feed');
    assert.equal(status.body.isActive, true);
    const stored = await api.database.db.collection('_calendar_feeds').findOne({});
    assert.ok(stored && !JSON.stringify(stored).includes(issued.body.url.split('/').pop()!.replace('.ics', '')), 'only a hash is stored');

    const feed = await fetchFeed(issued.body.url);
    assert.equal(feed.status, 200, String(feed.body));
    assert.match(feed.headers.get('content-type') ?? '', /^text\/calendar; charset=utf-8/);
    const calendar = component(feed.body);
    assert.equal(calendar.getFirstPropertyValue('x-wr-calname'), 'Relata — Anna Petrova');
    assert.equal(calendar.getFirstPropertyValue('method'), null, 'a subscription feed has no METHOD');
    const uids = events(calendar).map((event) => event.uid).sort();
    assert.deepEqual(uids, [`activity-${main._id}@relata`, `activity-${second._id}@relata`].sort(), 'planned activities of the owner only');
    assert.ok(!uids.includes(`activity-${held._id}@relata`) && !uids.includes(`activity-${borisOwn._id}@relata`));
  });

  it('writes RFC 5545 that parses back: UTC times, escaping, folding at 75 octets, SEQUENCE and STATUS', async () => {
    const issued = await anna.request<FeedLinks>('POST', '/api/v1/calendar/feed');
    const feed = await fetchFeed(issued.body.url);
    const raw = feed.body;
    assert.ok(raw.startsWith('BEGIN:VCALENDAR\r\n') && raw.trimEnd().endsWith('END:VCALENDAR'));
    for (const line of raw.split('\r\n')) assert.ok(Buffer.byteLength(line, 'utf8') <= 75, `line longer than 75 octets: ${line}`);
    assert.ok(!/[^\r]\n/.test(raw), 'CRLF line endings only');
    assert.match(raw, /SUMMARY:Call: Call: Acme\\, Inc\\; path C:\\\\temp "quoted"/, 'commas, semicolons and backslashes escaped');

    const vevent = component(raw).getAllSubcomponents('vevent').find((candidate) => candidate.getFirstPropertyValue('uid') === `activity-${main._id}@relata`)!;
    const event = new ICAL.Event(vevent);
    assert.equal(event.summary, `Call: ${SUBJECT}`);
    assert.equal(event.startDate.toJSDate().getTime(), start.getTime());
    assert.equal(event.startDate.zone?.tzid, 'UTC');
    assert.equal(event.endDate.toJSDate().getTime(), start.getTime() + 45 * 60_000);
    assert.equal(event.description, `Organization: Ромашка, ООО\nContact: Иванов Пётр\n\n${NOTES}`);
    assert.equal(event.sequence, main.version);
    assert.equal(vevent.getFirstPropertyValue('status'), 'CONFIRMED');
    assert.ok(vevent.getFirstPropertyValue('dtstamp'), 'DTSTAMP present');
    assert.equal(String(vevent.getFirstPropertyValue('organizer')), 'mailto:anna@example.com');

    const meeting = events(component(raw)).find((candidate) => candidate.uid === `activity-${second._id}@relata`)!;
    assert.equal(meeting.summary, 'Meeting: Встреча без конца');
    assert.equal(meeting.endDate.toJSDate().getTime() - meeting.startDate.toJSDate().getTime(), 30 * 60_000, 'no planned end: 30 minutes');
  });

  it('follows changes: a rescheduled activity keeps its UID with a new time and a higher SEQUENCE', async () => {
    const issued = await anna.request<FeedLinks>('POST', '/api/v1/calendar/feed');
    const moved = new Date(start.getTime() + 3 * 60 * 60_000);
    await patchActivity(api, main._id, { plannedStart: moved.toISOString(), plannedEnd: new Date(moved.getTime() + 60 * 60_000).toISOString() });
    const event = events(component((await fetchFeed(issued.body.url)).body)).find((candidate) => candidate.uid === `activity-${main._id}@relata`)!;
    assert.equal(event.startDate.toJSDate().getTime(), moved.getTime());
    assert.equal(event.sequence, main.version + 1);
  });

  it('revokes: a new URL makes the old one answer 404, DELETE makes the current one answer 404', async () => {
    const first = await anna.request<FeedLinks>('POST', '/api/v1/calendar/feed');
    const second = await anna.request<FeedLinks>('POST', '/api/v1/calendar/feed');
    assert.notEqual(first.body.url, second.body.url);
    const old = await fetchFeed(first.body.url);
    assert.equal(old.status, 404);
    assert.match(old.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal((await fetchFeed(second.body.url)).status, 200);

    assert.equal((await anna.request('DELETE', '/api/v1/calendar/feed')).status, 204);
    assert.equal((await fetchFeed(second.body.url)).status, 404);
    assert.equal((await anna.request<{ isActive: boolean }>('GET', '/api/v1/calendar/feed')).body.isActive, false);
    assert.equal((await fetchFeed('http://x/api/v1/calendar/feed/rcf_unknown.ics')).status, 404);
    assert.equal((await fetchFeed(`http://x/api/v1/calendar/feed/rcf_${'A'.repeat(43)}.ics`)).status, 404);
  });

  it("stops serving a deactivated user's feed, and issuing or revoking one needs a signed-in user", async () => {
    const issued = await boris.request<FeedLinks>('POST', '/api/v1/calendar/feed');
    assert.equal((await fetchFeed(issued.body.url)).status, 200);
    const deactivated = await api.request('PATCH', `/api/v1/data/user/${boris.id}`, { active: false });
    assert.equal(deactivated.status, 200, JSON.stringify(deactivated.body));
    assert.equal((await fetchFeed(issued.body.url)).status, 404);
    assert.equal((await api.request('POST', '/api/v1/calendar/feed', undefined, { authorization: '' })).status, 401);
    assert.equal((await api.request('DELETE', '/api/v1/calendar/feed', undefined, { authorization: '' })).status, 401);
  });

  it('downloads one activity as an invitation (METHOD:REQUEST) under normal access rules', async () => {
    const download = await anna.request<string>('GET', `/api/v1/data/activity/${second._id}/ics`);
    assert.equal(download.status, 200, String(download.body));
    assert.match(download.headers.get('content-type') ?? '', /^text\/calendar; charset=utf-8; method=REQUEST/);
    assert.equal(download.headers.get('content-disposition'), `attachment; filename="activity-${second._id}.ics"`);
    const calendar = component(download.body);
    assert.equal(calendar.getFirstPropertyValue('method'), 'REQUEST');
    const [event] = events(calendar);
    assert.equal(event?.uid, `activity-${second._id}@relata`, 'the same UID as in the feed');
    assert.equal(String(event?.organizer), 'mailto:anna@example.com');
    assert.deepEqual(event?.attendees.map((attendee) => String(attendee.getFirstValue()).toLowerCase()), ['mailto:anna@example.com']);

    assert.equal((await nobody.request('GET', `/api/v1/data/activity/${second._id}/ics`)).status, 404, 'an activity the caller may not see');
    assert.equal((await anna.request('GET', '/api/v1/data/activity/0123456789abcdef01234567/ics')).status, 404);
    assert.equal((await api.request('GET', `/api/v1/data/activity/${second._id}/ics`, undefined, { authorization: '' })).status, 401);
    const unscheduled = await planActivity(api, { subject: 'No date', owner: anna.id });
    assert.equal((await anna.request('GET', `/api/v1/data/activity/${unscheduled._id}/ics`)).status, 409);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { localTime } from '../../core/engagement/follow-up/calendar.ts';
import type { TestApi } from '../support/api.ts';
import { create, daysFromNow, get, startCrmApi, type Rec } from './fixtures.ts';

interface Completion {
  record: Rec;
  proposal: Record<string, unknown> | null;
}

/** Working days (Mon–Fri) strictly after `from` up to and including `to`, by Moscow calendar dates. */
function workingDaysBetween(from: Date, to: Date): number {
  const day = (d: Date) => {
    const t = localTime(d, 'Europe/Moscow');
    return Date.UTC(t.year, t.month - 1, t.day);
  };
  let n = 0;
  for (let t = day(from) + 86_400_000; t <= day(to); t += 86_400_000) {
    const weekday = new Date(t).getUTCDay();
    if (weekday !== 0 && weekday !== 6) n++;
  }
  return n;
}

describe('next contact: recording a result proposes the next one; accepting plans it', () => {
  let api: TestApi;
  let org: Rec;
  let person: Rec;
  const owner = 'cccccccccccccccccccccccc';

  before(async () => {
    api = await startCrmApi();
    org = await create(api, 'organization', { name: 'Vector' });
    person = await create(api, 'person', { lastName: 'Orlov', firstName: 'Igor' });
  });
  after(async () => api.close());

  const plannedCall = () => create(api, 'activity', { type: 'call', subject: 'Discuss the offer', status: 'planned', plannedStart: daysFromNow(0), organization: org._id, person: person._id, owner });

  it('completing a call records the result, stamps heldAt, and proposes a call three working days later at 10:00 Moscow time', async () => {
    const call = await plannedCall();
    const before = Date.now();
    const response = await api.request<Completion>('POST', `/api/v1/data/activity/${call._id}/complete`, { status: 'held', result: 'Interested, wants a demo' });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    const { record, proposal } = response.body;
    assert.equal(record.status, 'held');
    assert.equal(record.result, 'Interested, wants a demo');
    assert.ok(Date.parse(record.heldAt as string) >= before - 1000, 'heldAt defaults to now');
    assert.equal(record.version, 2);
    assert.equal(response.headers.get('etag'), '"2"');
    assert.ok(proposal);
    assert.equal(proposal.type, 'call');
    assert.equal(proposal.subject, 'Follow-up: Discuss the offer');
    assert.equal(proposal.organization, org._id);
    assert.equal(proposal.person, person._id);
    assert.equal(proposal.owner, owner);
    const at = new Date(proposal.plannedStart as string);
    const local = localTime(at, 'Europe/Moscow');
    assert.deepEqual([local.hour, local.minute], [10, 0]);
    assert.equal(workingDaysBetween(new Date(record.heldAt as string), at), 3);
    const weekday = new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay();
    assert.ok(weekday >= 1 && weekday <= 5, 'never on a weekend');
    const history = await get<{ items: Array<{ changes: Array<{ field: string }> }> }>(api, `/api/v1/data/activity/${call._id}/history`);
    assert.deepEqual(history.items[0]!.changes.map((c) => c.field).sort(), ['heldAt', 'occurredAt', 'result', 'status']);
  });

  it('after a meeting the proposal is a call the next working day; an explicit heldAt is kept', async () => {
    const meeting = await create(api, 'activity', { type: 'meeting', subject: 'Demo', status: 'planned', plannedStart: daysFromNow(-1), organization: org._id });
    const heldAt = daysFromNow(-1, 12);
    const response = await api.request<Completion>('POST', `/api/v1/data/activity/${meeting._id}/complete`, { status: 'held', heldAt, result: 'Went well' });
    assert.equal(response.status, 200);
    assert.equal(response.body.record.heldAt, heldAt);
    assert.equal(response.body.proposal?.type, 'call');
    assert.equal(workingDaysBetween(new Date(), new Date(response.body.proposal!.plannedStart as string)), 1);
  });

  it('accepting creates the planned activity linked to the completed one, through the normal create (history, validation)', async () => {
    const call = await plannedCall();
    const completion = (await api.request<Completion>('POST', `/api/v1/data/activity/${call._id}/complete`, { status: 'held', result: 'OK' })).body;
    const response = await api.request<Rec>('POST', `/api/v1/data/activity/${call._id}/next`, {});
    assert.equal(response.status, 201, JSON.stringify(response.body));
    const next = response.body;
    assert.equal(response.headers.get('location'), `/api/v1/data/activity/${next._id}`);
    assert.equal(next.status, 'planned');
    assert.equal(next.previousActivity, call._id);
    assert.equal(next.subject, completion.proposal!.subject);
    assert.equal(next.organization, org._id);
    assert.equal(next.owner, owner);
    assert.equal(next.plannedStart, completion.proposal!.plannedStart);
    const history = await get<{ items: Array<{ op: string }> }>(api, `/api/v1/data/activity/${next._id}/history`);
    assert.deepEqual(history.items.map((item) => item.op), ['create']);
  });

  it('accepting with changes: the body overrides the proposal, and is validated', async () => {
    const call = await plannedCall();
    await api.request('POST', `/api/v1/data/activity/${call._id}/complete`, { status: 'missed' });
    const bad = await api.request<{ errors: Array<{ path: string }> }>('POST', `/api/v1/data/activity/${call._id}/next`, { type: 'fax', plannedStart: 'soon' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((e) => e.path).sort(), ['/plannedStart', '/type']);
    const response = await api.request<Rec>('POST', `/api/v1/data/activity/${call._id}/next`, { type: 'meeting', plannedStart: daysFromNow(7, 14), subject: 'Visit in person' });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    assert.deepEqual([response.body.type, response.body.subject, response.body.plannedStart], ['meeting', 'Visit in person', daysFromNow(7, 14)]);
  });

  it('accepting twice does not plan the contact twice: 409 naming the open follow-up', async () => {
    const call = await plannedCall();
    await api.request('POST', `/api/v1/data/activity/${call._id}/complete`, { status: 'held' });
    const first = await api.request<Rec>('POST', `/api/v1/data/activity/${call._id}/next`, {});
    const again = await api.request<{ existingId: string }>('POST', `/api/v1/data/activity/${call._id}/next`, {});
    assert.equal(again.status, 409);
    assert.equal(again.body.existingId, first.body._id);
    const filter = encodeURIComponent(JSON.stringify({ previousActivity: call._id }));
    const list = await get<{ total: number }>(api, `/api/v1/data/activity?filter=${filter}`);
    assert.equal(list.total, 1);
  });

  it('refuses a completion without a closing status, and changes nothing', async () => {
    const call = await plannedCall();
    for (const body of [{ result: 'no status' }, { status: 'planned' }, { status: 'bogus' }]) {
      const response = await api.request<{ errors: Array<{ path: string }> }>('POST', `/api/v1/data/activity/${call._id}/complete`, body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.deepEqual(response.body.errors.map((e) => e.path), ['/status']);
    }
    const stale = await api.request('POST', `/api/v1/data/activity/${call._id}/complete`, { status: 'held' }, { 'if-match': '"7"' });
    assert.equal(stale.status, 409);
    const unchanged = await get<Rec>(api, `/api/v1/data/activity/${call._id}`);
    assert.equal(unchanged.version, 1);
    assert.equal(unchanged.status, 'planned');
  });

  it('answers 404 for entities without follow-up and for unknown activities', async () => {
    assert.equal((await api.request('POST', `/api/v1/data/organization/${org._id}/complete`, { status: 'held' })).status, 404);
    assert.equal((await api.request('POST', '/api/v1/data/activity/0123456789abcdef01234567/complete', { status: 'held' })).status, 404);
    assert.equal((await api.request('POST', '/api/v1/data/activity/0123456789abcdef01234567/next', {})).status, 404);
  });

  it('lists overdue planned activities with the documented filter', async () => {
    await create(api, 'activity', { type: 'call', subject: 'Forgotten call', status: 'planned', plannedStart: daysFromNow(-3), organization: org._id });
    const filter = encodeURIComponent(JSON.stringify({ status: 'planned', plannedStart: { $lt: new Date().toISOString() } }));
    const list = await get<{ items: Rec[] }>(api, `/api/v1/data/activity?filter=${filter}`);
    assert.ok(list.items.some((item) => item.subject === 'Forgotten call'));
    assert.ok(list.items.every((item) => item.status === 'planned' && Date.parse(item.plannedStart as string) < Date.now()));
  });
});

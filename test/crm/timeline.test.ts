import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import type { AccessPolicy } from '../../core/access/policy.ts';
import { systemContext } from '../../core/context.ts';
import { recordTimeline, type TimelinePage } from '../../core/engagement/timeline/operation.ts';
import type { TestApi } from '../support/api.ts';
import { create, daysFromNow, get, startCrmApi, type Rec } from './fixtures.ts';

interface Item {
  entity: string;
  id: string;
  at: string;
  type: string | null;
  actor: string | null;
  title: string | null;
  isOpen?: boolean;
  isOverdue?: boolean;
  record: Rec;
}
type Page = { items: Item[]; nextCursor: string | null };

describe('timeline: a merged, chronological, paged history of a record', () => {
  let api: TestApi;
  let org: Rec;
  let other: Rec;
  let anna: Rec;
  let boris: Rec;
  const userA = 'aaaaaaaaaaaaaaaaaaaaaaaa';
  const userB = 'bbbbbbbbbbbbbbbbbbbbbbbb';

  before(async () => {
    api = await startCrmApi();
    org = await create(api, 'organization', { name: 'Ромашка' });
    other = await create(api, 'organization', { name: 'Other Ltd' });
    anna = await create(api, 'person', { lastName: 'Иванова', firstName: 'Анна' });
    boris = await create(api, 'person', { lastName: 'Smith', firstName: 'Boris' });
    const activity = (data: Record<string, unknown>) => create(api, 'activity', data);
    await activity({ type: 'call', subject: 'First call', status: 'held', heldAt: daysFromNow(-30), organization: org._id, person: anna._id, owner: userA });
    await activity({ type: 'meeting', subject: 'Kick-off meeting', status: 'held', heldAt: daysFromNow(-20), organization: org._id, owner: userB });
    await activity({ type: 'email', subject: 'Proposal sent', status: 'held', heldAt: daysFromNow(-10), organization: org._id, owner: userA });
    await activity({ type: 'call', subject: 'Overdue call', status: 'planned', plannedStart: daysFromNow(-2), organization: org._id, owner: userA });
    await activity({ type: 'meeting', subject: 'Planned meeting', status: 'planned', plannedStart: daysFromNow(5), organization: org._id, participants: [anna._id, boris._id], owner: userB });
    await activity({ type: 'call', subject: 'Other company call', status: 'held', heldAt: daysFromNow(-1), organization: other._id, person: anna._id, owner: userA });
    await activity({ type: 'note', subject: 'Undated note', status: 'held', organization: org._id });
  });
  after(async () => api.close());

  it('lists every activity referencing the organization, newest first, with type, actor, title and the record', async () => {
    const page = await get<Page>(api, `/api/v1/data/organization/${org._id}/timeline`);
    assert.deepEqual(page.items.map((item) => item.title), ['Planned meeting', 'Undated note', 'Overdue call', 'Proposal sent', 'Kick-off meeting', 'First call']);
    const call = page.items.find((item) => item.title === 'First call')!;
    assert.equal(call.entity, 'activity');
    assert.equal(call.type, 'call');
    assert.equal(call.actor, userA);
    assert.equal(call.at, call.record.heldAt, 'placed by heldAt when held');
    assert.equal(call.record.organization, org._id);
    const planned = page.items.find((item) => item.title === 'Planned meeting')!;
    assert.equal(planned.at, planned.record.plannedStart, 'placed by plannedStart when planned');
    const note = page.items.find((item) => item.title === 'Undated note')!;
    assert.equal(note.at, note.record.createdAt, 'an undated item sits where it was recorded');
    assert.equal(page.nextCursor, null);
  });

  it('flags overdue planned items at read time', async () => {
    const page = await get<Page>(api, `/api/v1/data/organization/${org._id}/timeline`);
    const flags = Object.fromEntries(page.items.map((item) => [item.title, [item.isOpen, item.isOverdue]]));
    assert.deepEqual(flags['Overdue call'], [true, true]);
    assert.deepEqual(flags['Planned meeting'], [true, false]);
    assert.deepEqual(flags['First call'], [false, false]);
  });

  it('a person\'s timeline merges every field that references them (person and participants)', async () => {
    const page = await get<Page>(api, `/api/v1/data/person/${anna._id}/timeline`);
    assert.deepEqual(page.items.map((item) => item.title), ['Planned meeting', 'Other company call', 'First call']);
    const borisPage = await get<Page>(api, `/api/v1/data/person/${boris._id}/timeline`);
    assert.deepEqual(borisPage.items.map((item) => item.title), ['Planned meeting']);
  });

  it('filters by type and by employee', async () => {
    const calls = await get<Page>(api, `/api/v1/data/organization/${org._id}/timeline?type=call,meeting`);
    assert.deepEqual(calls.items.map((item) => item.title), ['Planned meeting', 'Overdue call', 'Kick-off meeting', 'First call']);
    const byA = await get<Page>(api, `/api/v1/data/organization/${org._id}/timeline?actor=${userA}`);
    assert.deepEqual(byA.items.map((item) => item.title), ['Overdue call', 'Proposal sent', 'First call']);
    const both = await get<Page>(api, `/api/v1/data/organization/${org._id}/timeline?type=call&actor=${userB}`);
    assert.deepEqual(both.items, []);
  });

  it('pages with a keyset cursor without repeating or skipping, even when items share a date', async () => {
    const same = daysFromNow(-50);
    for (let i = 0; i < 5; i++) await create(api, 'activity', { type: 'task', subject: `Same time ${i}`, status: 'held', heldAt: same, organization: org._id });
    const all = await get<Page>(api, `/api/v1/data/organization/${org._id}/timeline?limit=200`);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await get<Page>(api, `/api/v1/data/organization/${org._id}/timeline?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.ok(page.items.length <= 3);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    assert.deepEqual(seen, all.items.map((item) => item.id));
    assert.equal(new Set(seen).size, 11);
  });

  it('refuses unknown parameters, types, malformed actors and damaged cursors with a 400', async () => {
    const bad = await api.request<{ errors: Array<{ path: string }> }>('GET', `/api/v1/data/organization/${org._id}/timeline?type=fax&actor=me&limit=0&sort=x`);
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((e) => e.path).sort(), ['/actor', '/limit', '/sort', '/type']);
    const cursor = await api.request('GET', `/api/v1/data/organization/${org._id}/timeline?cursor=abc.def`);
    assert.equal(cursor.status, 400);
  });

  it('answers 404 for unknown records and entities', async () => {
    assert.equal((await api.request('GET', '/api/v1/data/organization/0123456789abcdef01234567/timeline')).status, 404);
    assert.equal((await api.request('GET', '/api/v1/data/nothing/0123456789abcdef01234567/timeline')).status, 404);
  });

  it('shows only the items the caller may read, through the access policy of each source entity', async () => {
    // A policy that lets the caller read only user A's activities and hides the notes field.
    const policy: AccessPolicy = {
      ...api.platform.records.access,
      recordFilter: ({ entity, action }) => (entity.name === 'activity' && action === 'read' ? { owner: { $eq: new ObjectId(userA) } } : true),
      hiddenFields: ({ entity }) => (entity.name === 'activity' ? new Set(['notes']) : new Set()),
      readonlyFields: () => new Set(),
      creatableDirections: () => undefined,
    };
    const deps = { ...api.platform.records, access: policy };
    const page: TimelinePage = await recordTimeline({ ctx: systemContext(), deps, entity: 'organization', id: org._id, params: new URLSearchParams() });
    assert.deepEqual(page.items.map((item) => item.title), ['Overdue call', 'Proposal sent', 'First call']);
    const none: AccessPolicy = { ...policy, recordFilter: ({ entity }) => entity.name !== 'activity' };
    const empty = await recordTimeline({ ctx: systemContext(), deps: { ...deps, access: none }, entity: 'organization', id: org._id, params: new URLSearchParams() });
    assert.deepEqual(empty.items, []);
    const hiddenOrg: AccessPolicy = { ...policy, recordFilter: ({ entity }) => entity.name !== 'organization' };
    await assert.rejects(recordTimeline({ ctx: systemContext(), deps: { ...deps, access: hiddenOrg }, entity: 'organization', id: org._id, params: new URLSearchParams() }), /No organization record/);
  });
});

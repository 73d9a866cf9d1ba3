import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AccessPolicy } from '../../core/access/policy.ts';
import { systemContext } from '../../core/context.ts';
import { recordSummary, type RecordSummary } from '../../core/engagement/summary/operation.ts';
import type { TestApi } from '../support/api.ts';
import { create, daysFromNow, get, startCrmApi, type Rec } from './fixtures.ts';

type Summary = RecordSummary & { related: Array<RecordSummary['related'][number]> };

describe('client summary: one request before the call', () => {
  let api: TestApi;
  let acme: Rec;
  let globex: Rec;
  let anna: Rec;
  let boris: Rec;
  let clara: Rec;

  before(async () => {
    api = await startCrmApi();
    acme = await create(api, 'organization', { name: 'Acme', category: 'client', industry: 'it', rating: 4, city: 'Москва' });
    globex = await create(api, 'organization', { name: 'Globex' });
    anna = await create(api, 'person', { lastName: 'Иванова', firstName: 'Анна' });
    boris = await create(api, 'person', { lastName: 'Smith', firstName: 'Boris' });
    clara = await create(api, 'person', { lastName: 'Petrova', firstName: 'Clara' });
    // Anna works at Acme and at Globex; Boris works at Acme; Clara used to.
    await create(api, 'employment', { person: anna._id, organization: acme._id, position: 'CFO', isPrimary: true, startDate: '2020-01-01' });
    await create(api, 'employment', { person: anna._id, organization: globex._id, position: 'Board member', startDate: '2021-03-01' });
    await create(api, 'employment', { person: boris._id, organization: acme._id, position: 'Engineer', startDate: '2022-01-01' });
    await create(api, 'employment', { person: clara._id, organization: acme._id, position: 'Buyer', startDate: '2015-01-01', endDate: '2019-12-31' });
    await create(api, 'employment', { person: clara._id, organization: globex._id, position: 'Head of purchasing', startDate: '2020-01-01' });
    const activity = (data: Record<string, unknown>) => create(api, 'activity', { organization: acme._id, ...data });
    await activity({ type: 'call', subject: 'Held call', status: 'held', heldAt: daysFromNow(-10), person: anna._id });
    await activity({ type: 'meeting', subject: 'Held meeting', status: 'held', heldAt: daysFromNow(-3) });
    await activity({ type: 'call', subject: 'Missed call', status: 'missed', plannedStart: daysFromNow(-4) });
    await activity({ type: 'call', subject: 'Overdue call', status: 'planned', plannedStart: daysFromNow(-1) });
    await activity({ type: 'meeting', subject: 'Next meeting', status: 'planned', plannedStart: daysFromNow(2) });
    await activity({ type: 'call', subject: 'Later call', status: 'planned', plannedStart: daysFromNow(9) });
    await create(api, 'activity', { type: 'call', subject: 'Globex call', status: 'held', heldAt: daysFromNow(-1), organization: globex._id });
  });
  after(async () => api.close());

  it('returns the record, key attributes with labels and display texts', async () => {
    const summary = await get<Summary>(api, `/api/v1/summary/organization/${acme._id}`);
    assert.equal(summary.entity, 'organization');
    assert.equal(summary.title, 'Acme');
    assert.equal(summary.record.name, 'Acme');
    const byField = Object.fromEntries(summary.attributes.map((a) => [a.field, a]));
    assert.deepEqual(byField.category, { field: 'category', label: 'Category', type: 'enum', value: 'client', text: 'Client' });
    assert.deepEqual(byField.rating, { field: 'rating', label: 'Rating', type: 'integer', value: 4 });
    assert.equal(byField.city?.value, 'Москва');
    const ru = await api.request<Summary>('GET', `/api/v1/summary/organization/${acme._id}`, undefined, { 'accept-language': 'ru' });
    assert.equal(ru.body.attributes.find((a) => a.field === 'category')?.label, 'Категория');
    assert.equal(ru.body.attributes.find((a) => a.field === 'category')?.text, 'Клиент');
  });

  it('lists current and former contact persons, each with their other employments', async () => {
    const summary = await get<Summary>(api, `/api/v1/summary/organization/${acme._id}`);
    const contacts = summary.related.find((list) => list.entity === 'employment')!;
    assert.equal(contacts.label, 'Contact persons');
    assert.deepEqual(contacts.counts, { total: 3, current: 2, former: 1 });
    const name = (item: { record: Record<string, unknown> }) => (item.record.person as Rec).fullName;
    assert.deepEqual(contacts.current.map(name), ['Иванова Анна', 'Smith Boris'], 'primary first');
    assert.deepEqual(contacts.former.map(name), ['Petrova Clara']);
    const annaItem = contacts.current[0]!;
    assert.equal(annaItem.record.position, 'CFO');
    assert.deepEqual(annaItem.siblings?.map((s) => [(s.organization as Rec).name, s.position]), [['Globex', 'Board member']], 'Anna also works at Globex');
    assert.deepEqual(contacts.current[1]!.siblings, [], 'Boris works only here');
    assert.deepEqual(contacts.former[0]!.siblings?.map((s) => (s.organization as Rec).name), ['Globex'], 'Clara moved to Globex');
  });

  it('the person employed in two organizations appears in both summaries, and her own summary lists both', async () => {
    const globexSummary = await get<Summary>(api, `/api/v1/summary/organization/${globex._id}`);
    const globexContacts = globexSummary.related[0]!;
    const annaThere = globexContacts.current.find((item) => (item.record.person as Rec)._id === anna._id)!;
    assert.deepEqual(annaThere.siblings?.map((s) => (s.organization as Rec).name), ['Acme']);
    const annaSummary = await get<Summary>(api, `/api/v1/summary/person/${anna._id}`);
    const jobs = annaSummary.related[0]!;
    assert.equal(jobs.label, 'Employments');
    assert.deepEqual(jobs.current.map((item) => (item.record.organization as Rec).name).sort(), ['Acme', 'Globex']);
    assert.deepEqual(annaSummary.timeline.last.map((item) => item.title), ['Held call']);
  });

  it('shows last held and next planned activities, open items with overdue flagged, and counts', async () => {
    const { timeline } = await get<Summary>(api, `/api/v1/summary/organization/${acme._id}`);
    assert.deepEqual(timeline.last.map((item) => item.title), ['Held meeting', 'Held call']);
    assert.deepEqual(timeline.next.map((item) => item.title), ['Next meeting', 'Later call']);
    assert.deepEqual(timeline.open.map((item) => [item.title, item.isOverdue]), [['Overdue call', true], ['Next meeting', false], ['Later call', false]]);
    assert.deepEqual(timeline.counts, { total: 6, done: 2, open: 3, overdue: 1, byType: { call: 4, meeting: 2 } });
  });

  it('answers 404 for an unknown or invisible record', async () => {
    assert.equal((await api.request('GET', '/api/v1/summary/organization/0123456789abcdef01234567')).status, 404);
    assert.equal((await api.request('GET', '/api/v1/summary/nothing/0123456789abcdef01234567')).status, 404);
  });

  it('leaves out what the caller may not read, counts included', async () => {
    // The caller may not read Boris's employment nor meetings, and may not see ratings.
    const policy: AccessPolicy = {
      ...api.platform.records.access,
      recordFilter: ({ entity }) => (entity.name === 'employment' ? { position: { $ne: 'Engineer' } } : entity.name === 'activity' ? { type: { $ne: 'meeting' } } : true),
      hiddenFields: ({ entity }) => (entity.name === 'organization' ? new Set(['rating']) : new Set()),
      readonlyFields: () => new Set(),
      creatableDirections: () => undefined,
    };
    const summary = await recordSummary({ ctx: systemContext(), deps: { ...api.platform.records, access: policy }, entity: 'organization', id: acme._id });
    const contacts = summary.related[0]!;
    assert.deepEqual(contacts.counts, { total: 2, current: 1, former: 1 });
    assert.deepEqual(contacts.current.map((item) => (item.record.person as Rec).fullName), ['Иванова Анна']);
    assert.equal(summary.attributes.some((a) => a.field === 'rating'), false);
    assert.equal(summary.record.rating, undefined);
    assert.deepEqual(summary.timeline.counts, { total: 4, done: 1, open: 2, overdue: 1, byType: { call: 4 } });
    assert.deepEqual(summary.timeline.next.map((item) => item.title), ['Later call']);
    const noPersons: AccessPolicy = { ...policy, recordFilter: ({ entity }) => entity.name !== 'employment' };
    const bare = await recordSummary({ ctx: systemContext(), deps: { ...api.platform.records, access: noPersons }, entity: 'organization', id: acme._id });
    assert.deepEqual(bare.related, [], 'a list the caller may not read at all is left out');
  });
});

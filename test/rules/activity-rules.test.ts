import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApi } from '../support/api.ts';
import { create, ok, setUpSalesTeam, startSalesApi, stored, type Rec, type SalesTeam } from '../pipelines/fixtures.ts';
import { inboxOf } from './inbox.ts';

interface Run {
  key: string;
  recordId: string;
  outcomes: Array<{ kind: string; status: string; errors?: Array<{ path: string; message: string }> }>;
}

describe('activity rules: a held meeting moves related deals, within their business direction', () => {
  let api: TestApi;
  let team: SalesTeam;
  let person: Rec;
  let orgX: Rec;

  before(async () => {
    api = await startSalesApi();
    team = await setUpSalesTeam(api);
    person = await create(api.request, 'person', { lastName: 'Сидоров' });
    orgX = await create(api.request, 'organization', { name: 'X', direction: 'north' });
    await ok(api.request('PATCH', '/api/v1/meta/rules/meetingHeldAdvancesDeal', { enabled: true }), 200);
  });
  after(async () => api.close());

  const settle = () => api.platform.bus.drain();
  const deal = (title: string, direction: string, data: Record<string, unknown> = {}) => create(api.request, 'deal', { title, direction, organization: orgX._id, contactPerson: person._id, ...data });
  const stageOf = async (record: Rec) => (await stored(api, 'deal', record._id))?.stage;
  const meeting = (org: Rec, data: Record<string, unknown> = {}) => create(team.alice.request, 'activity', { type: 'meeting', subject: 'Meeting', organization: org._id, ...data });

  it('completing a meeting moves the deals of its organization in its direction from Initial calls to Meeting held', async () => {
    const north = await deal('North deal', 'north');
    const south = await deal('South deal', 'south');
    const later = await deal('Further on', 'north', { amount: '10.00', expectedCloseDate: '2027-05-01' });
    await ok(api.request('POST', `/api/v1/data/deal/${later._id}/transition`, { stage: 'meetingHeld' }), 200);
    await ok(api.request('POST', `/api/v1/data/deal/${later._id}/transition`, { stage: 'proposal' }), 200);
    const elsewhere = await deal('Other company', 'north', { organization: (await create(api.request, 'organization', { name: 'Y', direction: 'north' }))._id });
    const planned = await meeting(orgX);
    await settle();
    assert.equal(await stageOf(north), 'initialCalls', 'a planned meeting is not a held one');
    await ok(team.alice.request('POST', `/api/v1/data/activity/${planned._id}/complete`, { status: 'held', result: 'Agreed on a pilot' }), 200);
    await settle();
    assert.deepEqual([await stageOf(north), await stageOf(south), await stageOf(later), await stageOf(elsewhere)], ['meetingHeld', 'initialCalls', 'proposal', 'initialCalls']);
    const history = await ok<{ items: Array<{ from: string; to: string; by: string | null; rule?: string }> }>(api.request('GET', `/api/v1/data/deal/${north._id}/stages`), 200);
    assert.deepEqual(history.items[0], { ...history.items[0], from: 'initialCalls', to: 'meetingHeld', by: null, rule: 'meetingHeldAdvancesDeal' });
  });

  it('a meeting recorded as already held completes too; other activity types do not fire', async () => {
    const orgZ = await create(api.request, 'organization', { name: 'Z', direction: 'north' });
    const target = await deal('Z deal', 'north', { organization: orgZ._id });
    await create(team.alice.request, 'activity', { type: 'call', subject: 'Call', status: 'held', heldAt: new Date().toISOString(), organization: orgZ._id });
    await settle();
    assert.equal(await stageOf(target), 'initialCalls');
    await meeting(orgZ, { status: 'held', heldAt: new Date().toISOString() });
    await settle();
    assert.equal(await stageOf(target), 'meetingHeld');
  });

  it('records a refusal instead of moving when the stage checks fail (no contact person), and leaves the deal as it was', async () => {
    const orgW = await create(api.request, 'organization', { name: 'W', direction: 'north' });
    const bare = await deal('No contact', 'north', { organization: orgW._id, contactPerson: undefined });
    const before = await stored(api, 'deal', bare._id);
    await meeting(orgW, { status: 'held', heldAt: new Date().toISOString() });
    await settle();
    assert.deepEqual(await stored(api, 'deal', bare._id), before);
    const runs = await ok<{ items: Run[] }>(api.request('GET', '/api/v1/meta/rules/meetingHeldAdvancesDeal/runs'), 200);
    const run = runs.items.find((item) => item.recordId === bare._id);
    assert.deepEqual(run?.outcomes.map((outcome) => [outcome.kind, outcome.status, outcome.errors?.map((e) => e.path)]), [['moveToStage', 'refused', ['/contactPerson']]]);
  });

  it('crosses business directions only when the rule says crossDirections', async () => {
    const south = await deal('South again', 'south');
    await meeting(orgX, { status: 'held', heldAt: new Date().toISOString() });
    await settle();
    assert.equal(await stageOf(south), 'initialCalls');
    await ok(api.request('PATCH', '/api/v1/meta/rules/meetingHeldAdvancesDeal', { crossDirections: true }), 200);
    await meeting(orgX, { status: 'held', heldAt: new Date().toISOString() });
    await settle();
    assert.equal(await stageOf(south), 'meetingHeld');
    await ok(api.request('PATCH', '/api/v1/meta/rules/meetingHeldAdvancesDeal', { crossDirections: null }), 200);
  });

  it('activity create triggers see the activity as _activity', async () => {
    await ok(api.request('POST', '/api/v1/meta/rules', {
      name: 'inboundCall',
      label: { en: 'Inbound call' },
      entity: 'deal',
      trigger: { kind: 'activity', on: ['create'], activityTypes: ['call'] },
      condition: { and: [{ '==': [{ var: '_activity.flow' }, 'inbound'] }, { '==': [{ var: 'stage' }, 'initialCalls'] }] },
      actions: [{ kind: 'notify', to: ['owner'], message: { en: 'The client called in' } }],
    }));
    const orgV = await create(team.alice.request, 'organization', { name: 'V' });
    const mine = await create(team.alice.request, 'deal', { title: 'Alice deal', organization: orgV._id });
    const told = async () => (await inboxOf(team.alice, 'inboundCall')).length;
    await create(team.alice.request, 'activity', { type: 'call', flow: 'outbound', subject: 'We called', organization: orgV._id });
    await settle();
    assert.equal(await told(), 0);
    await create(team.alice.request, 'activity', { type: 'call', flow: 'inbound', subject: 'They called', organization: orgV._id });
    await settle();
    assert.equal(await told(), 1);
    assert.equal(await stageOf(mine), 'initialCalls');
  });
});

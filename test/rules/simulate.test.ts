import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import type { TestApi } from '../support/api.ts';
import { backdateStage, create, ok, setUpSalesTeam, startSalesApi, stored, type Rec, type SalesTeam } from '../pipelines/fixtures.ts';
import { inboxOf } from './inbox.ts';

interface Simulation {
  rule: string;
  enabled: boolean;
  now: Array<{ id: string; title: string; actions: Array<Record<string, unknown>> }>;
  past: Array<{ id: string; title: string; at: string; event: string; actions: Array<Record<string, unknown>> }>;
}

const DAY = 86_400_000;

describe('rule dry run: what a rule would do now and would have done, matching what it then does', () => {
  let api: TestApi;
  let team: SalesTeam;
  let started: string;

  before(async () => {
    api = await startSalesApi();
    team = await setUpSalesTeam(api);
    await ok(api.request('POST', '/api/v1/meta/entities/deal/fields', { name: 'priority', type: 'enum', label: { en: 'Priority' }, options: [{ value: 'normal', label: { en: 'Normal' } }, { value: 'high', label: { en: 'High' } }] }));
    started = new Date(Date.now() - 1000).toISOString();
  });
  after(async () => api.close());

  const settle = () => api.platform.bus.drain();
  const simulate = (name: string, body: Record<string, unknown> = {}) => ok<Simulation>(api.request('POST', `/api/v1/meta/rules/${name}/simulate`, body), 200);
  /** Everything a dry run must leave alone. */
  const world = async () => ({
    deals: await api.database.db.collection('deal').find({}, { projection: { version: 1, stage: 1 } }).sort({ _id: 1 }).toArray(),
    runs: await api.database.db.collection('_rule_runs').countDocuments(),
    notes: await api.database.db.collection('_notifications').countDocuments(),
    activities: await api.database.db.collection('activity').countDocuments(),
  });

  async function dealIn(title: string, stage: 'initialCalls' | 'proposal', days: number, withContact = true): Promise<{ deal: Rec; org: Rec }> {
    const org = await create(team.alice.request, 'organization', { name: `${title} Ltd` });
    const person = withContact ? await create(team.alice.request, 'person', { lastName: title }) : undefined;
    const deal = await create(team.alice.request, 'deal', { title, organization: org._id, ...(person ? { contactPerson: person._id } : {}), amount: '1000.00', expectedCloseDate: '2027-06-30' });
    if (stage === 'proposal') for (const next of ['meetingHeld', 'proposal']) await ok(team.alice.request('POST', `/api/v1/data/deal/${deal._id}/transition`, { stage: next }), 200);
    await backdateStage(api, 'deal', deal._id, days);
    return { deal, org };
  }

  it('a disabled schedule rule: the records it would move now are exactly those it moves once enabled', async () => {
    const stale = await dealIn('Stale', 'proposal', 20);
    const staleToo = await dealIn('Stale too', 'proposal', 16);
    const busy = await dealIn('Busy', 'proposal', 20);
    await create(team.alice.request, 'activity', { type: 'meeting', subject: 'Recent', status: 'held', heldAt: new Date(Date.now() - 2 * DAY).toISOString(), organization: busy.org._id });
    await dealIn('Fresh', 'proposal', 2);
    await settle();
    const before = await world();
    const simulation = await simulate('stalledProposal');
    assert.equal(simulation.enabled, false);
    assert.deepEqual(await world(), before, 'the dry run changed nothing');
    assert.deepEqual(await inboxOf(team.alice), [], 'and told nobody, though the rule notifies the owner');
    assert.deepEqual(simulation.now.map((item) => item.title).sort(), ['Stale', 'Stale too']);
    assert.deepEqual(simulation.now.find((item) => item.id === stale.deal._id)?.actions, [
      { kind: 'notify', to: [team.alice.id] },
      { kind: 'moveToStage', from: 'proposal', stage: 'stalled' },
    ]);

    await ok(api.request('PATCH', '/api/v1/meta/rules/stalledProposal', { enabled: true }), 200);
    await api.platform.rules.runDue(new Date());
    await settle();
    const moved = (await api.database.db.collection('deal').find({ stage: 'stalled' }).toArray()).map((deal) => String(deal._id)).sort();
    assert.deepEqual(moved, simulation.now.map((item) => item.id).sort());
    const told = (await inboxOf(team.alice, 'stalledProposal')).map((note) => note.link?.id).sort();
    assert.deepEqual(told, [stale.deal._id, staleToo.deal._id].sort());
    await ok(api.request('PATCH', '/api/v1/meta/rules/stalledProposal', { enabled: false }), 200);
  });

  it('a disabled record rule: what it would have done in the past matches what it does once enabled', async () => {
    await ok(api.request('POST', '/api/v1/meta/rules', {
      name: 'flagBig',
      label: { en: 'Flag big deals' },
      entity: 'deal',
      enabled: false,
      trigger: { kind: 'record', on: ['update'], fields: ['amount'] },
      condition: { '>': [{ var: 'amount' }, 1000000] },
      actions: [{ kind: 'setField', field: 'priority', value: 'high' }],
    }));
    // The same story twice: set A while the rule is off, set B once it is on.
    const story = async (set: string) => {
      const org = await create(team.alice.request, 'organization', { name: `Org ${set}` });
      const grows = await create(team.alice.request, 'deal', { title: `${set}: grows`, organization: org._id, amount: '500.00' });
      const small = await create(team.alice.request, 'deal', { title: `${set}: stays small`, organization: org._id, amount: '500.00' });
      const renamed = await create(team.alice.request, 'deal', { title: `${set}: renamed`, organization: org._id, amount: '5000000.00' });
      await ok(team.alice.request('PATCH', `/api/v1/data/deal/${grows._id}`, { amount: '2000000.00' }), 200);
      await ok(team.alice.request('PATCH', `/api/v1/data/deal/${small._id}`, { amount: '800000.00' }), 200);
      await ok(team.alice.request('PATCH', `/api/v1/data/deal/${renamed._id}`, { title: `${set}: renamed again` }), 200);
      await settle();
    };
    await story('A');
    const before = await world();
    const simulation = await simulate('flagBig', { from: started });
    assert.deepEqual(await world(), before);
    assert.deepEqual(simulation.past.map((item) => [item.title, item.event, item.actions]), [['A: grows', 'update', [{ kind: 'setField', field: 'priority', from: null, value: 'high' }]]]);
    assert.ok(Date.parse(simulation.past[0]!.at) >= Date.parse(started));
    // Now: every deal over 1,000,000 not yet flagged (as if its amount changed now) — the renamed one included.
    assert.deepEqual(simulation.now.map((item) => item.title).sort(), ['A: grows', 'A: renamed again']);

    await ok(api.request('PATCH', '/api/v1/meta/rules/flagBig', { enabled: true }), 200);
    await story('B');
    const flagged = (await api.database.db.collection('deal').find({ title: /^B: /, priority: 'high' }).toArray()).map((deal) => String(deal.title).slice(3));
    assert.deepEqual(flagged, simulation.past.map((item) => item.title.slice(3)));
    await ok(api.request('PATCH', '/api/v1/meta/rules/flagBig', { enabled: false }), 200);
  });

  it('a disabled activity rule: the held meetings of the period show the moves it would have made; enabled, it makes them', async () => {
    const a = await dealIn('Meeting A', 'initialCalls', 1);
    const bare = await dealIn('Meeting without contact', 'initialCalls', 1, false);
    const meeting = await create(team.alice.request, 'activity', { type: 'meeting', subject: 'Kick-off', organization: a.org._id });
    await ok(team.alice.request('POST', `/api/v1/data/activity/${meeting._id}/complete`, { status: 'held' }), 200);
    await create(team.alice.request, 'activity', { type: 'meeting', subject: 'Kick-off too', status: 'held', heldAt: new Date().toISOString(), organization: bare.org._id });
    await settle();
    const simulation = await simulate('meetingHeldAdvancesDeal', { from: started });
    const past = simulation.past.filter((item) => item.title.startsWith('Meeting'));
    assert.deepEqual(past.map((item) => [item.title, item.event, item.actions.map((action) => [action.kind, action.stage, Boolean(action.refused)])]), [
      ['Meeting A', 'complete', [['moveToStage', 'meetingHeld', false]]],
      ['Meeting without contact', 'complete', [['moveToStage', 'meetingHeld', true]]],
    ]);
    assert.deepEqual(simulation.now.filter((item) => item.title.startsWith('Meeting')).map((item) => item.title), ['Meeting A', 'Meeting without contact']);

    await ok(api.request('PATCH', '/api/v1/meta/rules/meetingHeldAdvancesDeal', { enabled: true }), 200);
    const again = await create(team.alice.request, 'activity', { type: 'meeting', subject: 'Follow-up', status: 'held', heldAt: new Date().toISOString(), organization: a.org._id });
    await create(team.alice.request, 'activity', { type: 'meeting', subject: 'Follow-up too', status: 'held', heldAt: new Date().toISOString(), organization: bare.org._id });
    await settle();
    assert.ok(again);
    assert.equal((await stored(api, 'deal', a.deal._id))?.stage, 'meetingHeld', 'the move the dry run showed');
    assert.equal((await stored(api, 'deal', bare.deal._id))?.stage, 'initialCalls', 'the refusal the dry run showed');
    await ok(api.request('PATCH', '/api/v1/meta/rules/meetingHeldAdvancesDeal', { enabled: false }), 200);
  });

  it('a schedule rule judged over the past: the first slot at which a record would have qualified, from its rebuilt history', async () => {
    const old = await dealIn('Old proposal', 'proposal', 0);
    // History as if the deal had been created and moved to proposal 20 days ago.
    const enteredAt = new Date(Date.now() - 20 * DAY);
    await api.database.db.collection('_history').updateMany({ recordId: new ObjectId(old.deal._id) }, { $set: { at: enteredAt } });
    await api.database.db.collection('deal').updateOne({ _id: new ObjectId(old.deal._id) }, { $set: { stageEnteredAt: enteredAt } });
    const simulation = await simulate('stalledProposal', { from: new Date(Date.now() - 25 * DAY).toISOString() });
    const item = simulation.past.find((candidate) => candidate.id === old.deal._id);
    assert.ok(item, JSON.stringify(simulation.past));
    assert.equal(item.event, 'schedule');
    const daysAfter = (Date.parse(item.at) - enteredAt.getTime()) / DAY;
    assert.ok(daysAfter > 14 && daysAfter <= 15, `first qualifying daily slot after 14 days (${daysAfter})`);
    assert.deepEqual(item.actions.map((action) => action.kind), ['notify', 'moveToStage']);
  });

  it('answers 404 for an unknown rule and 400 for a bad period, changing nothing', async () => {
    const before = await world();
    assert.equal((await api.request('POST', '/api/v1/meta/rules/ghost/simulate', {})).status, 404);
    for (const body of [{ from: 'yesterday' }, { from: '2026-01-02', to: '2026-01-01' }, { from: '2020-01-01', to: '2026-01-01' }, { since: '2026-01-01' }]) {
      assert.equal((await api.request('POST', '/api/v1/meta/rules/flagBig/simulate', body)).status, 400, JSON.stringify(body));
    }
    assert.equal((await api.request('POST', '/api/v1/meta/rules/flagBig/simulate')).status, 200, 'the body is optional');
    assert.deepEqual(await world(), before);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { createAgenda } from '../../workers/agenda.ts';
import { jobHandlers } from '../../workers/jobs.ts';
import type { TestApi } from '../support/api.ts';
import { createCapturingLogger } from '../support/platform.ts';
import { backdateStage, create, ok, setUpSalesTeam, startSalesApi, stored, type Rec, type SalesTeam } from '../pipelines/fixtures.ts';
import { inboxOf } from './inbox.ts';

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

describe('schedule rules: time-based transitions run by the rules.schedule job', () => {
  let api: TestApi;
  let team: SalesTeam;

  before(async () => {
    api = await startSalesApi();
    team = await setUpSalesTeam(api);
  });
  after(async () => api.close());

  const settle = () => api.platform.bus.drain();
  const stageOf = async (record: Rec) => (await stored(api, 'deal', record._id))?.stage;

  /** A deal of its own organization, moved to proposal, in it (or in `stage`) for `days` days. */
  async function dealInProposal(title: string, days: number, stage = 'proposal'): Promise<{ deal: Rec; org: Rec }> {
    const org = await create(team.alice.request, 'organization', { name: `${title} Ltd` });
    const person = await create(team.alice.request, 'person', { lastName: title });
    const deal = await create(team.alice.request, 'deal', { title, organization: org._id, contactPerson: person._id, amount: '1000.00', expectedCloseDate: '2027-06-30' });
    if (stage === 'proposal') for (const next of ['meetingHeld', 'proposal']) await ok(team.alice.request('POST', `/api/v1/data/deal/${deal._id}/transition`, { stage: next }), 200);
    await backdateStage(api, 'deal', deal._id, days);
    return { deal, org };
  }

  it('the shipped "silent proposal" rule moves deals in Proposal for over 14 days with no activity for 14 days to Stalled and tells their owners, once per slot', async () => {
    await ok(api.request('PATCH', '/api/v1/meta/rules/stalledProposal', { enabled: true }), 200);
    const stale = await dealInProposal('Stale', 20);
    const busy = await dealInProposal('Busy', 20);
    await create(team.alice.request, 'activity', { type: 'call', subject: 'Still talking', status: 'held', heldAt: daysAgo(5), organization: busy.org._id });
    const quietLong = await dealInProposal('Quiet', 20);
    await create(team.alice.request, 'activity', { type: 'call', subject: 'Long ago', status: 'held', heldAt: daysAgo(30), organization: quietLong.org._id });
    await create(team.alice.request, 'activity', { type: 'call', subject: 'Planned only', status: 'planned', plannedStart: daysAgo(2), organization: quietLong.org._id });
    const fresh = await dealInProposal('Fresh', 3);
    const early = await dealInProposal('Early', 20, 'initialCalls');
    await settle();

    const results = await api.platform.rules.runDue(new Date());
    await settle();
    const result = results.find((run) => run.rule === 'stalledProposal');
    assert.ok(result, JSON.stringify(results));
    assert.equal(result.scanned, 4, 'only deals in Proposal are read: the condition\'s stage equality is pushed into the query');
    assert.equal(result.fired, 2);
    assert.deepEqual(
      [await stageOf(stale.deal), await stageOf(busy.deal), await stageOf(quietLong.deal), await stageOf(fresh.deal), await stageOf(early.deal)],
      ['stalled', 'proposal', 'stalled', 'proposal', 'initialCalls'],
    );
    const notes = await inboxOf(team.alice, 'stalledProposal');
    assert.deepEqual(notes.map((note) => note.link?.id).sort(), [stale.deal._id, quietLong.deal._id].sort(), 'the owner is told in her inbox, once per deal');
    assert.deepEqual([...(await inboxOf(team.bob)), ...(await inboxOf(team.vera))], [], 'nobody else is told');
    const history = await ok<{ items: Array<{ to: string; rule?: string; dwellDays: number }> }>(api.request('GET', `/api/v1/data/deal/${stale.deal._id}/stages`), 200);
    assert.equal(history.items[0]?.rule, 'stalledProposal');
    assert.ok(Math.abs(history.items[0]!.dwellDays - 20) < 0.01);

    // The same slot again: nothing (the slot is done) — and even with that memory lost, the per-record claims hold.
    const snapshot = async () => ({ deals: await api.database.db.collection('deal').find({}, { projection: { version: 1 } }).sort({ _id: 1 }).toArray(), notes: await api.database.db.collection('_notifications').countDocuments(), runs: await api.database.db.collection('_rule_runs').countDocuments() });
    const before = await snapshot();
    assert.deepEqual(await api.platform.rules.runDue(new Date()), []);
    await api.database.db.collection('_rule_schedule').deleteMany({});
    const repeated = await api.platform.rules.runDue(new Date());
    await settle();
    assert.equal(repeated.find((run) => run.rule === 'stalledProposal')?.fired, 0);
    assert.deepEqual(await snapshot(), before);
    await ok(api.request('PATCH', '/api/v1/meta/rules/stalledProposal', { enabled: false }), 200);
  });

  it('the rules.schedule job handler of the workers runs due rules', async () => {
    const target = await dealInProposal('Handler target', 12, 'initialCalls');
    await ok(api.request('POST', '/api/v1/meta/rules', {
      name: 'handlerSweep',
      label: { en: 'Handler sweep' },
      entity: 'deal',
      trigger: { kind: 'schedule', cron: '* * * * *' },
      condition: { and: [{ '==': [{ var: 'title' }, 'Handler target'] }, { '>': [{ var: '_daysInStage' }, 10] }] },
      actions: [{ kind: 'moveToStage', stage: 'stalled' }],
    }));
    const { logger } = createCapturingLogger();
    await jobHandlers({ deps: { db: api.database.db, logger }, workerId: 'test', rules: api.platform.rules })['rules.schedule']({});
    await settle();
    assert.equal(await stageOf(target.deal), 'stalled');
  });

  it('Agenda runs the job kind with the workers\' handler and moves the deal within seconds', async () => {
    const target = await dealInProposal('Agenda target', 12, 'initialCalls');
    await ok(api.request('POST', '/api/v1/meta/rules', {
      name: 'agendaSweep',
      label: { en: 'Agenda sweep' },
      entity: 'deal',
      trigger: { kind: 'schedule', cron: '* * * * *', timezone: 'Europe/Moscow' },
      condition: { and: [{ '==': [{ var: 'title' }, 'Agenda target'] }, { '>': [{ var: '_daysInStage' }, 10] }] },
      actions: [{ kind: 'moveToStage', stage: 'stalled' }],
    }));
    const { logger } = createCapturingLogger();
    const handlers = jobHandlers({ deps: { db: api.database.db, logger }, workerId: 'rules-test', rules: api.platform.rules });
    const agenda = createAgenda({ db: api.database.db, name: 'rules-test', processEvery: 100 });
    // A short lock: Agenda's keep-alive check waits half of it and keeps the process alive that long after the job.
    agenda.define('rules.schedule', async () => handlers['rules.schedule']({}), { lockLifetime: 4000 });
    await agenda.start();
    try {
      await agenda.now('rules.schedule', {});
      const deadline = Date.now() + 20_000;
      while ((await stageOf(target.deal)) !== 'stalled' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(await stageOf(target.deal), 'stalled');
      const runs = await api.database.db.collection('_rule_runs').find({ rule: 'agendaSweep' }).toArray();
      assert.equal(runs.length, 1);
      assert.match(String(runs[0]?.key), new RegExp(`^schedule:\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:00\\.000Z:${target.deal._id}$`));
      assert.deepEqual(runs[0]?.recordId, new ObjectId(target.deal._id));
    } finally {
      await agenda.drain({ timeout: 5000, closeConnection: false });
      await settle();
    }
  });
});

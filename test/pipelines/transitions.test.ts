import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import type { TestApi } from '../support/api.ts';
import { backdateStage, create, historyCount, ok, setUpSalesTeam, startSalesApi, stored, type Rec, type SalesTeam } from './fixtures.ts';

interface Problem {
  status: number;
  code: string;
  errors: Array<{ path: string; message: string }>;
}

interface StageItem {
  at: string;
  from: string | null;
  to: string;
  dwellMs: number | null;
  dwellDays: number | null;
  by: string | null;
  rule?: string;
  note?: string;
}

describe('manual transitions through the sales pipeline', () => {
  let api: TestApi;
  let team: SalesTeam;
  let org: Rec;
  let person: Rec;

  before(async () => {
    api = await startSalesApi();
    team = await setUpSalesTeam(api);
    org = await create(team.alice.request, 'organization', { name: 'Ромашка' });
    person = await create(team.alice.request, 'person', { lastName: 'Иванова' });
  });
  after(async () => api.close());

  const newDeal = (data: Record<string, unknown> = {}) => create(team.alice.request, 'deal', { title: 'Pumps', organization: org._id, ...data });
  const move = (id: string, body: unknown, headers: Record<string, string> = {}, request = team.alice.request) => request<Problem & Rec>('POST', `/api/v1/data/deal/${id}/transition`, body, headers);

  /** A refused transition answers 422 with these error paths and leaves the record and its history untouched. */
  async function assertRefused(id: string, stage: string, paths: string[]): Promise<Problem> {
    const before = await stored(api, 'deal', id);
    const entries = await historyCount(api, id);
    const response = await move(id, { stage });
    assert.equal(response.status, 422, JSON.stringify(response.body));
    assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
    assert.equal(response.body.code, 'RULE_REFUSED');
    assert.deepEqual(response.body.errors.map((e) => e.path).sort(), [...paths].sort(), JSON.stringify(response.body.errors));
    assert.deepEqual(await stored(api, 'deal', id), before, 'the record is unchanged');
    assert.equal(await historyCount(api, id), entries, 'no history entry was written');
    return response.body;
  }

  it('a new deal starts in the first stage, with the time it entered it; PATCH cannot set the stage', async () => {
    const deal = await newDeal();
    assert.equal(deal.stage, 'initialCalls');
    assert.ok(typeof deal.stageEnteredAt === 'string' && Math.abs(Date.parse(deal.stageEnteredAt) - Date.now()) < 60_000);
    assert.equal(deal.direction, 'north');
    const patched = await team.alice.request<Problem>('PATCH', `/api/v1/data/deal/${deal._id}`, { stage: 'won' });
    assert.equal(patched.status, 400);
    assert.deepEqual(patched.body.errors, [{ path: '/stage', message: 'is changed through the transition endpoint' }]);
    const entered = await team.alice.request<Problem>('PATCH', `/api/v1/data/deal/${deal._id}`, { stageEnteredAt: new Date().toISOString() });
    assert.equal(entered.status, 400);
  });

  it('refuses a stage the pipeline does not have', async () => {
    const deal = await newDeal();
    const problem = await assertRefused(deal._id, 'nowhere', ['/stage']);
    assert.match(problem.errors[0].message, /not a stage of the pipeline "sales"/);
  });

  it('refuses the current stage', async () => {
    const deal = await newDeal();
    await assertRefused(deal._id, 'initialCalls', ['/stage']);
  });

  it('refuses a stage that is not an allowed next stage, with every other reason at once', async () => {
    const deal = await newDeal();
    // initialCalls leads to meetingHeld, stalled, lost only; contract also needs the amount.
    const problem = await assertRefused(deal._id, 'contract', ['/stage', '/amount']);
    assert.match(problem.errors.find((e) => e.path === '/stage')!.message, /cannot move from "initialCalls" to "contract" \(allowed: meetingHeld, stalled, lost\)/);
    assert.match(problem.errors.find((e) => e.path === '/amount')!.message, /is required to enter "Contract"/);
  });

  it('refuses to enter a stage without its required fields; with them it moves', async () => {
    const deal = await newDeal();
    await assertRefused(deal._id, 'meetingHeld', ['/contactPerson']);
    await assertRefused(deal._id, 'lost', ['/lostReason']);
    const updated = await ok<Rec>(team.alice.request('PATCH', `/api/v1/data/deal/${deal._id}`, { contactPerson: person._id }), 200);
    const moved = await move(deal._id, { stage: 'meetingHeld' });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.stage, 'meetingHeld');
    assert.equal(moved.body.version, updated.version + 1);
    assert.equal(moved.headers.get('etag'), `"${updated.version + 1}"`);
    // Required fields of the next stage: proposal needs amount and expectedCloseDate.
    await assertRefused(deal._id, 'proposal', ['/amount', '/expectedCloseDate']);
  });

  it('refuses a guarded stage until the guard holds: over 1,000,000 needs approvedBy before Contract', async () => {
    const deal = await newDeal({ contactPerson: person._id, amount: '2500000.00', expectedCloseDate: '2027-03-01' });
    for (const stage of ['meetingHeld', 'proposal']) assert.equal((await move(deal._id, { stage })).status, 200);
    const problem = await assertRefused(deal._id, 'contract', ['/approvedBy']);
    assert.equal(problem.errors[0].message, "A deal over 1,000,000 needs the head of sales' approval before the contract");
    const russian = await move(deal._id, { stage: 'contract' }, { 'accept-language': 'ru' });
    assert.equal(russian.status, 422);
    assert.equal(russian.body.errors[0].message, 'Сделке свыше 1 000 000 нужно одобрение руководителя продаж до договора');
    await ok(api.request('PATCH', `/api/v1/data/deal/${deal._id}`, { approvedBy: api.adminId }), 200);
    const moved = await move(deal._id, { stage: 'contract' });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.stage, 'contract');
    // A small deal needs no approval.
    const small = await newDeal({ contactPerson: person._id, amount: '900000.00', expectedCloseDate: '2027-03-01' });
    for (const stage of ['meetingHeld', 'proposal', 'contract']) assert.equal((await move(small._id, { stage })).status, 200, stage);
  });

  it('answers 404 for a record the caller may not see, 403 without the transition permission, 409 on a stale If-Match, 400 on a bad body', async () => {
    const deal = await newDeal();
    const before = await stored(api, 'deal', deal._id);
    const hidden = await move(deal._id, { stage: 'stalled' }, {}, team.bob.request);
    assert.equal(hidden.status, 404, 'bob works in south and never sees north deals');
    const forbidden = await move(deal._id, { stage: 'stalled' }, {}, team.vera.request);
    assert.equal(forbidden.status, 403, JSON.stringify(forbidden.body));
    const stale = await move(deal._id, { stage: 'stalled' }, { 'if-match': `"${deal.version + 5}"` });
    assert.equal(stale.status, 409);
    for (const body of [{}, { stage: 7 }, { stage: 'stalled', extra: true }, { stage: 'stalled', note: 'x'.repeat(2001) }]) {
      assert.equal((await move(deal._id, body)).status, 400, JSON.stringify(body));
    }
    assert.equal((await team.alice.request('POST', '/api/v1/data/person/' + person._id + '/transition', { stage: 'x' })).status, 404, 'people move through no pipeline');
    assert.deepEqual(await stored(api, 'deal', deal._id), before);
    const current = await move(deal._id, { stage: 'stalled', note: 'Client on holiday' }, { 'if-match': `"${deal.version}"` });
    assert.equal(current.status, 200);
  });

  it('records every transition with from, to, when, who and the time spent in the stage left, newest first', async () => {
    const deal = await newDeal({ contactPerson: person._id });
    await backdateStage(api, 'deal', deal._id, 3);
    assert.equal((await move(deal._id, { stage: 'meetingHeld', note: 'Met on site' })).status, 200);
    await backdateStage(api, 'deal', deal._id, 1.5);
    assert.equal((await move(deal._id, { stage: 'stalled' })).status, 200);
    const history = await ok<{ items: StageItem[]; total: number }>(team.alice.request('GET', `/api/v1/data/deal/${deal._id}/stages`), 200);
    assert.equal(history.total, 3);
    assert.deepEqual(history.items.map((item) => [item.from, item.to]), [['meetingHeld', 'stalled'], ['initialCalls', 'meetingHeld'], [null, 'initialCalls']]);
    const [second, first, created] = history.items;
    assert.ok(Math.abs(first.dwellMs! - 3 * 86_400_000) < 60_000, `dwell in initialCalls ≈ 3 days (${first.dwellMs})`);
    assert.ok(Math.abs(second.dwellDays! - 1.5) < 0.01, `dwell in meetingHeld ≈ 1.5 days (${second.dwellDays})`);
    assert.equal(created.dwellMs, null);
    assert.equal(first.by, team.alice.id);
    assert.equal(first.note, 'Met on site');
    assert.ok(Date.parse(second.at) >= Date.parse(first.at));
    // The stage history is access-checked like the record.
    assert.equal((await team.bob.request('GET', `/api/v1/data/deal/${deal._id}/stages`)).status, 404);
    assert.equal((await team.vera.request('GET', `/api/v1/data/deal/${deal._id}/stages`)).status, 200);
  });

  it('keeps a transition that a crash left in the outbox: the stage history moves it first', async () => {
    const deal = await newDeal();
    // The state right after the atomic update and before the move to _history: the entry is only in the outbox.
    const id = new ObjectId(deal._id);
    const at = new Date();
    const entry = { _id: new ObjectId(), entity: 'deal', recordId: id, op: 'transition', version: 2, at, by: null, rule: 'someRule', transition: { from: 'initialCalls', to: 'stalled', dwellMs: 1000 }, changes: [{ field: 'stage', from: 'initialCalls', to: 'stalled' }] };
    await api.database.db.collection('deal').updateOne({ _id: id }, { $set: { stage: 'stalled', stageEnteredAt: at, version: 2 }, $push: { _outbox: entry } } as never);
    const history = await ok<{ items: StageItem[] }>(team.alice.request('GET', `/api/v1/data/deal/${deal._id}/stages`), 200);
    assert.deepEqual(history.items[0], { at: at.toISOString(), from: 'initialCalls', to: 'stalled', dwellMs: 1000, dwellDays: 0, by: null, rule: 'someRule', version: 2 });
    assert.equal(((await stored(api, 'deal', deal._id))?._outbox as unknown[]).length, 0);
  });
});

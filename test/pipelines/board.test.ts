import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RequestFn, TestApi } from '../support/api.ts';
import { create, ok, setUpSalesTeam, startSalesApi, type Rec, type SalesTeam } from './fixtures.ts';

interface BoardStage {
  name: string;
  label: { en: string; ru?: string };
  color?: string;
  kind: string;
  probability: number | null;
  count: number;
  sum: string | null;
  weighted: string | null;
  items: Rec[];
}
interface Board {
  pipeline: string;
  amountField: string | null;
  stages: BoardStage[];
  total: { count: number; sum: string | null; weighted: string | null };
}

describe('board data: deals grouped by stage with exact sums, under filters and access rules', () => {
  let api: TestApi;
  let team: SalesTeam;
  let blind: RequestFn;

  before(async () => {
    api = await startSalesApi();
    team = await setUpSalesTeam(api);
    await ok(api.request('POST', '/api/v1/meta/roles', { name: 'blind', label: { en: 'No amounts' }, permissions: { deal: { actions: ['read'], fields: { amount: { read: false } } } } }));
    await ok(api.request('POST', '/api/v1/data/user', { email: 'blind@example.com', name: 'blind', password: 'blind password 1', roles: ['blind'], directions: ['north'] }));
    blind = api.as((await api.login('blind@example.com', 'blind password 1')).token);
    const north = await create(team.alice.request, 'organization', { name: 'North Ltd' });
    const south = await create(team.bob.request, 'organization', { name: 'South Ltd' });
    const person = await create(team.alice.request, 'person', { lastName: 'Petrov' });
    const deal = (request: RequestFn, data: Record<string, unknown>) => create(request, 'deal', data);
    await deal(team.alice.request, { title: 'Alpha', organization: north._id, amount: '0.10' });
    await deal(team.alice.request, { title: 'Beta', organization: north._id, amount: '0.20' });
    const big = await deal(team.alice.request, { title: 'Gamma', organization: north._id, contactPerson: person._id, amount: '12345678901234567.89', expectedCloseDate: '2027-01-31' });
    for (const stage of ['meetingHeld', 'proposal']) await ok(team.alice.request('POST', `/api/v1/data/deal/${big._id}/transition`, { stage }), 200);
    await deal(team.bob.request, { title: 'Delta', organization: south._id, amount: '1000.00' });
  });
  after(async () => api.close());

  const board = async (request: RequestFn, query = '') => ok<Board>(request('GET', `/api/v1/board/deal${query}`), 200);
  const stage = (data: Board, name: string) => data.stages.find((s) => s.name === name)!;

  it('lists every stage in pipeline order with label, colour, kind, probability, count, exact sum and weighted sum', async () => {
    const data = await board(api.request);
    assert.equal(data.pipeline, 'sales');
    assert.equal(data.amountField, 'amount');
    assert.deepEqual(data.stages.map((s) => s.name), ['initialCalls', 'meetingHeld', 'proposal', 'contract', 'won', 'lost', 'stalled']);
    const first = stage(data, 'initialCalls');
    assert.deepEqual({ ...first, items: first.items.map((item) => item.title) }, {
      name: 'initialCalls', label: { en: 'Initial calls', ru: 'Первичные звонки' }, color: '#64748b', kind: 'open', probability: 10, targetDwellDays: 14,
      count: 3, sum: '1000.30', weighted: '100.03', items: ['Delta', 'Beta', 'Alpha'],
    });
    assert.deepEqual([stage(data, 'proposal').count, stage(data, 'proposal').sum, stage(data, 'proposal').weighted], [1, '12345678901234567.89', '6172839450617283.945']);
    assert.deepEqual([stage(data, 'won').count, stage(data, 'won').sum, stage(data, 'won').weighted], [0, '0.00', '0.00']);
    assert.deepEqual(data.total, { count: 4, sum: '12345678901235568.19', weighted: '6172839450617383.975' });
  });

  it('applies the access rules: a seller sees the deals of their direction only, and no sums of a field they may not read', async () => {
    const north = await board(team.alice.request);
    assert.deepEqual([stage(north, 'initialCalls').count, stage(north, 'initialCalls').sum, stage(north, 'initialCalls').weighted], [2, '0.30', '0.03']);
    assert.equal(north.total.count, 3);
    const south = await board(team.bob.request);
    assert.deepEqual(south.stages.filter((s) => s.count > 0).map((s) => [s.name, s.count, s.sum]), [['initialCalls', 1, '1000.00']]);
    const withoutAmounts = await board(blind);
    assert.equal(withoutAmounts.amountField, null);
    assert.equal(stage(withoutAmounts, 'initialCalls').sum, null);
    assert.equal(stage(withoutAmounts, 'initialCalls').items[0].amount, undefined, 'cards leave the hidden field out');
    assert.equal((await blind('GET', `/api/v1/board/deal?filter=${encodeURIComponent(JSON.stringify({ amount: { $gt: '1' } }))}`)).status, 400, 'nor may it be filtered on');
  });

  it('honours filter, q, sort, fields and the number of cards per stage', async () => {
    const filtered = await board(api.request, `?filter=${encodeURIComponent(JSON.stringify({ title: { $in: ['Alpha', 'Gamma'] } }))}`);
    assert.deepEqual(filtered.stages.filter((s) => s.count > 0).map((s) => [s.name, s.count, s.sum]), [['initialCalls', 1, '0.10'], ['proposal', 1, '12345678901234567.89']]);
    const searched = await board(api.request, '?q=beta');
    assert.equal(searched.total.count, 1);
    const limited = await board(api.request, '?limit=1&sort=title&fields=title');
    const first = stage(limited, 'initialCalls');
    assert.equal(first.count, 3, 'counts are complete even when cards are limited');
    assert.deepEqual(first.items.map((item) => Object.keys(item).sort()), [['_id', 'title', 'version']]);
    assert.equal(first.items[0].title, 'Alpha');
  });

  it('refuses bad parameters with 400 and unknown or non-pipeline entities with 404', async () => {
    for (const query of ['?filter={"$where":"1"}', '?offset=5', '?limit=101', '?sort=ghost', '?cursor=x']) {
      const response = await api.request('GET', `/api/v1/board/deal${query}`);
      assert.equal(response.status, 400, query);
    }
    assert.equal((await api.request('GET', '/api/v1/board/person')).status, 404, 'people move through no pipeline');
    assert.equal((await api.request('GET', '/api/v1/board/ghost')).status, 404);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { runDueHandoverReturns } from '../../core/handover/returns.ts';
import { startTestApi, type RequestFn, type TestApi } from '../support/api.ts';

type Rec = Record<string, unknown> & { _id: string };
type Result = { id: string; reassigned: Record<string, number>; total: number; failed: number; until: string | null };

describe('handover', () => {
  let api: TestApi;
  const users: Record<string, { id: string; request: RequestFn }> = {};
  before(async () => {
    api = await startTestApi();
    await api.request('POST', '/api/v1/meta/directions', { name: 'north', label: { en: 'North' } });
    const entities = [
      { name: 'account', label: { en: 'Account' }, features: { owner: true, direction: true, history: true }, fields: [{ name: 'title', type: 'text', label: { en: 'Title' } }] },
      {
        name: 'visit',
        label: { en: 'Visit' },
        features: { owner: true, history: true },
        timeline: { dateField: 'when', statusField: 'status', openStatuses: ['planned'], doneStatuses: ['held'] },
        fields: [
          { name: 'title', type: 'text', label: { en: 'Title' } },
          { name: 'when', type: 'datetime', label: { en: 'When' } },
          { name: 'status', type: 'enum', label: { en: 'Status' }, options: [{ value: 'planned', label: { en: 'Planned' } }, { value: 'held', label: { en: 'Held' } }] },
        ],
      },
      { name: 'note', label: { en: 'Note' }, fields: [{ name: 'text', type: 'text', label: { en: 'Text' } }] },
    ];
    for (const entity of entities) assert.equal((await api.request('POST', '/api/v1/meta/entities', entity)).status, 201);
    await api.request('POST', '/api/v1/meta/roles', { name: 'staff', label: { en: 'Staff' }, permissions: { account: ['read', 'create', 'update'], visit: ['read', 'create', 'update'] } });
    for (const [name, manager] of [['boss', undefined], ['leaver', 'boss'], ['stand-in', 'boss'], ['peer', undefined]] as const) {
      const created = await api.request<Rec>('POST', '/api/v1/data/user', { email: `${name}@example.com`, name, password: `${name} password 1`, roles: ['staff'], directions: ['north'], ...(manager ? { manager: users[manager]!.id } : {}) });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      users[name] = { id: created.body._id, request: api.as((await api.login(`${name}@example.com`, `${name} password 1`)).token) };
    }
  });
  after(async () => api.close());

  async function seed(owner: string, count: { accounts: number; planned: number; held: number }) {
    for (let i = 0; i < count.accounts; i++) await api.request('POST', '/api/v1/data/account', { title: `A${i}`, owner, direction: 'north' });
    for (let i = 0; i < count.planned; i++) await api.request('POST', '/api/v1/data/visit', { title: `P${i}`, status: 'planned', owner });
    for (let i = 0; i < count.held; i++) await api.request('POST', '/api/v1/data/visit', { title: `H${i}`, status: 'held', owner });
  }
  const owned = async (entity: string, owner: string) => api.database.db.collection(entity).countDocuments({ owner: new ObjectId(owner) });

  it('only an administrator or a manager of the employee may hand over; nothing moves otherwise', async () => {
    await seed(users.leaver!.id, { accounts: 2, planned: 1, held: 0 });
    const body = { from: users.leaver!.id, to: users['stand-in']!.id };
    assert.equal((await users.peer!.request('POST', '/api/v1/handover', body)).status, 403);
    assert.equal((await users['stand-in']!.request('POST', '/api/v1/handover', body)).status, 403, 'a colleague is not a manager');
    assert.equal((await users.leaver!.request('POST', '/api/v1/handover', body)).status, 403);
    assert.equal(await owned('account', users.leaver!.id), 2);
    const bad = await api.request<{ errors: Array<{ path: string }> }>('POST', '/api/v1/handover', { from: users.leaver!.id, to: users.leaver!.id, until: '2000-01-01T00:00:00Z', entities: ['note'] });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((error) => error.path).sort(), ['/entities/0', '/to', '/until']);
  });

  it('a manager reassigns every owned record and open activity (held ones stay), each a history entry "handover"', async () => {
    await seed(users.leaver!.id, { accounts: 1, planned: 2, held: 2 });
    const response = await users.boss!.request<Result>('POST', '/api/v1/handover', { from: users.leaver!.id, to: users['stand-in']!.id });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    // Every entity with owners is handed over; those other than the two seeded here had nothing.
    const { account: accounts, visit: visits, ...others } = response.body.reassigned;
    assert.deepEqual([accounts, visits], [3, 3]);
    assert.ok(Object.values(others).every((count) => count === 0), JSON.stringify(others));
    assert.equal(response.body.total, 6);
    assert.equal(await owned('account', users.leaver!.id), 0);
    assert.equal(await api.database.db.collection('visit').countDocuments({ status: 'held', owner: new ObjectId(users.leaver!.id) }), 2, 'held visits stay');
    const account = await api.database.db.collection('account').findOne({ title: 'A0' });
    const history = await api.request<{ items: Array<{ op: string; by: string; changes: Array<{ field: string; from: unknown; to: unknown }> }> }>('GET', `/api/v1/data/account/${String(account!._id)}/history`);
    assert.deepEqual(history.body.items[0], { ...history.body.items[0], op: 'handover', by: users.boss!.id });
    assert.deepEqual(history.body.items[0]!.changes, [{ field: 'owner', from: users.leaver!.id, to: users['stand-in']!.id }]);
    const audit = await api.request<{ items: Array<{ type: string; actor: string }> }>('GET', '/api/v1/audit?type=handover.done');
    assert.equal(audit.body.items[0]!.actor, users.boss!.id);
  });

  it('with "until", the records go back when the return runs — only those still with the stand-in, once', async () => {
    const from = users.peer!.id;
    const to = users['stand-in']!.id;
    await seed(from, { accounts: 3, planned: 1, held: 0 });
    const before = await owned('account', to);
    const until = new Date(Date.now() + 3_600_000);
    const response = await api.request<Result>('POST', '/api/v1/handover', { from, to, until: until.toISOString(), entities: ['account'] });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(response.body.reassigned, { account: 3 });
    assert.equal(await owned('visit', from), 1, 'entities limits the handover');
    // Meanwhile the stand-in passes one record on to someone else: it does not come back.
    const passed = await api.database.db.collection('account').findOne({ title: 'A2', owner: new ObjectId(to) });
    await api.request('PATCH', `/api/v1/data/account/${String(passed!._id)}`, { owner: users.boss!.id });

    const deps = { records: api.platform.records, audit: api.platform.audit };
    assert.deepEqual(await runDueHandoverReturns(deps, new Date(until.getTime() - 1000)), [], 'not yet due');
    const returned = await runDueHandoverReturns(deps, new Date(until.getTime() + 1000));
    assert.deepEqual(returned.map((item) => [item.returned, item.skipped]), [[{ account: 2 }, 1]]);
    assert.equal(await owned('account', from), 2);
    assert.equal(await owned('account', to), before);
    assert.deepEqual(await runDueHandoverReturns(deps, new Date(until.getTime() + 5000)), [], 'a second run does nothing');
    const list = await api.request<{ items: Array<{ status: string; returned: unknown }> }>('GET', '/api/v1/handover');
    assert.equal(list.body.items[0]!.status, 'done');
    assert.equal((await users.boss!.request('GET', '/api/v1/handover')).status, 403);
  });
});

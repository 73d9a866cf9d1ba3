import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../support/api.ts';
import { setUpOrganisation, snapshotCounts, type Cast } from './fixtures.ts';

type Rec = Record<string, unknown> & { _id: string; version: number };
type Page = { items: Rec[]; total: number };

describe('business directions and own records', () => {
  let api: TestApi;
  let cast: Cast;
  let northDeal: Rec;
  let southDeal: Rec;
  before(async () => {
    api = await startTestApi();
    cast = await setUpOrganisation(api);
    northDeal = (await cast.alice.request<Rec>('POST', '/api/v1/data/deal', { title: 'Northern star' })).body;
    southDeal = (await cast.bob.request<Rec>('POST', '/api/v1/data/deal', { title: 'Southern cross' })).body;
  });
  after(async () => api.close());

  it('a record gets the creator\'s only direction, and the creator as owner', () => {
    assert.equal(northDeal.direction, 'north');
    assert.equal(northDeal.owner, cast.alice.id);
    assert.equal(southDeal.direction, 'south');
  });

  it('a user with several directions must choose one of theirs; others are refused', async () => {
    const unchosen = await cast.frank.request('POST', '/api/v1/data/deal', { title: 'Where?' });
    assert.equal(unchosen.status, 400);
    const chosen = await cast.frank.request<Rec>('POST', '/api/v1/data/deal', { title: 'Frank south', direction: 'south' });
    assert.equal(chosen.status, 201);
    assert.equal(chosen.body.direction, 'south');
    const foreign = await cast.alice.request('POST', '/api/v1/data/deal', { title: 'Sneaky', direction: 'south' });
    assert.equal(foreign.status, 403);
    const moved = await cast.alice.request('PATCH', `/api/v1/data/deal/${northDeal._id}`, { direction: 'south' });
    assert.equal(moved.status, 403);
    assert.equal(await api.database.db.collection('deal').countDocuments({ title: 'Sneaky' }), 0);
  });

  it('a record outside the caller\'s directions is unknown to them: 404 everywhere, never counted', async () => {
    const before = await snapshotCounts(api);
    const bob = cast.bob.request;
    for (const [method, path, body] of [
      ['GET', `/api/v1/data/deal/${northDeal._id}`],
      ['GET', `/api/v1/data/deal/${northDeal._id}/history`],
      ['PATCH', `/api/v1/data/deal/${northDeal._id}`, { title: 'Mine now' }],
      ['DELETE', `/api/v1/data/deal/${northDeal._id}`],
    ] as Array<[string, string, unknown?]>) {
      const response = await bob(method, path, body);
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(JSON.stringify(response.body).includes('Northern'), false);
    }
    const list = await bob<Page>('GET', '/api/v1/data/deal');
    assert.deepEqual(list.body.items.map((deal) => deal.title).sort(), ['Frank south', 'Southern cross']);
    assert.equal(list.body.total, 2);
    const byId = await bob<Page>('GET', `/api/v1/data/deal?filter=${encodeURIComponent(JSON.stringify({ _id: northDeal._id }))}`);
    assert.deepEqual([byId.body.items.length, byId.body.total], [0, 0]);
    const searched = await bob<Page>('GET', '/api/v1/data/deal?q=northern');
    assert.deepEqual([searched.body.items.length, searched.body.total], [0, 0]);
    const bulk = await bob<{ results: Array<{ status: number }> }>('POST', '/api/v1/data/deal/bulk', { operations: [{ op: 'update', id: northDeal._id, data: { title: 'x' } }, { op: 'delete', id: northDeal._id }] });
    assert.deepEqual(bulk.body.results.map((result) => result.status), [404, 404]);
    const referencing = await bob('POST', '/api/v1/data/task', { subject: 'Link', deal: northDeal._id });
    assert.equal(referencing.status, 400, 'a reference to an invisible record is refused like an unknown one');
    assert.deepEqual(await snapshotCounts(api), before, 'nothing changed');
  });

  it('"all directions" sees every direction', async () => {
    const list = await cast.dave.request<Page>('GET', '/api/v1/data/deal');
    assert.equal(list.body.total, 3);
    assert.equal((await cast.dave.request('GET', `/api/v1/data/deal/${northDeal._id}`)).status, 200);
    assert.equal((await cast.dave.request('PATCH', `/api/v1/data/deal/${northDeal._id}`, { title: 'x' })).status, 403, 'readable, not updatable');
  });

  it('own-records roles update only their own records; a team lead those of their team', async () => {
    const frankNorth = (await cast.frank.request<Rec>('POST', '/api/v1/data/deal', { title: 'Frank north', direction: 'north' })).body;
    assert.equal((await cast.alice.request('GET', `/api/v1/data/deal/${frankNorth._id}`)).status, 200, 'reading is not limited to own');
    const notOwn = await cast.alice.request('PATCH', `/api/v1/data/deal/${frankNorth._id}`, { title: 'Alice was here' });
    assert.equal(notOwn.status, 403);
    const own = await cast.alice.request<Rec>('PATCH', `/api/v1/data/deal/${northDeal._id}`, { title: 'Northern star 2' });
    assert.equal(own.status, 200);
    const giveAway = await cast.alice.request('PATCH', `/api/v1/data/deal/${northDeal._id}`, { owner: cast.frank.id });
    assert.equal(giveAway.status, 403, 'an own-records role cannot hand a record to someone else');

    const lead = cast.carol.request;
    assert.equal((await lead('PATCH', `/api/v1/data/deal/${northDeal._id}`, { amount: 150 })).status, 200, 'alice reports to carol');
    assert.equal((await lead('PATCH', `/api/v1/data/deal/${frankNorth._id}`, { amount: 1 })).status, 403, 'frank does not');
    assert.equal((await lead('DELETE', `/api/v1/data/deal/${frankNorth._id}`)).status, 403);
    assert.equal((await api.database.db.collection('deal').findOne({ title: 'Frank north' }))?.amount, undefined);
    assert.equal((await cast.erin.request('PATCH', `/api/v1/data/deal/${northDeal._id}`, { title: 'x' })).status, 403, 'viewer');
  });

  it('only administrators change roles, directions and managers, even with update rights on users', async () => {
    const carol = cast.carol.request;
    for (const patch of [{ roles: ['lead', 'auditor'] }, { directions: ['north', 'south'] }, { manager: cast.dave.id }]) {
      const response = await carol('PATCH', `/api/v1/data/user/${cast.carol.id}`, patch);
      assert.equal(response.status, 403, JSON.stringify(patch));
    }
    assert.equal((await carol('PATCH', `/api/v1/data/user/${cast.alice.id}`, { roles: ['admin'] })).status, 403);
    // No account takeover by someone who merely may edit users.
    assert.equal((await carol('PATCH', `/api/v1/data/user/${cast.alice.id}`, { password: 'taken over 123' })).status, 403);
    assert.equal((await carol('PATCH', `/api/v1/data/user/${cast.alice.id}`, { active: false })).status, 403);
    assert.equal((await carol('PATCH', `/api/v1/data/user/${api.adminId}`, { name: 'Not the admin' })).status, 403);
    await api.login('alice@example.com', 'alice password 1');
    assert.equal((await carol('PATCH', `/api/v1/data/user/${cast.carol.id}`, { name: 'Carol C.' })).status, 200);
    const stored = await api.database.db.collection('user').findOne({ email: 'carol@example.com' });
    assert.deepEqual(stored?.roles, ['lead']);
    const cycle = await api.request('PATCH', `/api/v1/data/user/${cast.carol.id}`, { manager: cast.alice.id });
    assert.equal(cycle.status, 400, 'alice reports to carol: no cycles');
  });

  it('role and direction changes take effect on the next request, and are audited', async () => {
    assert.equal((await cast.erin.request('GET', '/api/v1/data/deal')).status, 200);
    assert.equal((await api.request('PATCH', '/api/v1/meta/roles/viewer', { permissions: { organization: ['read'] } })).status, 200);
    assert.equal((await cast.erin.request('GET', '/api/v1/data/deal')).status, 403);
    assert.equal((await api.request('PATCH', `/api/v1/data/user/${cast.bob.id}`, { directions: ['north'] })).status, 200);
    const bobList = await cast.bob.request<Page>('GET', '/api/v1/data/deal');
    assert.ok(bobList.body.items.every((deal) => deal.direction === 'north'));
    const audit = await api.request<{ items: Array<{ type: string; target?: { name?: string; id?: string } }> }>('GET', '/api/v1/audit?limit=500');
    assert.ok(audit.body.items.some((entry) => entry.type === 'metadata.role_changed' && entry.target?.name === 'viewer'));
    assert.ok(audit.body.items.some((entry) => entry.type === 'user.access_changed' && entry.target?.id === cast.bob.id));
  });

  it('metadata: entities listed only when readable; administration is for administrators, and refusals are audited', async () => {
    const entities = await cast.alice.request<{ items: Array<{ name: string }> }>('GET', '/api/v1/meta/entities');
    assert.deepEqual(entities.body.items.map((entity) => entity.name), ['deal', 'organization', 'task']);
    assert.equal((await cast.alice.request('GET', '/api/v1/meta/entities/user')).status, 404);
    assert.equal((await cast.alice.request('GET', '/api/v1/meta/roles')).status, 403);
    assert.equal((await cast.alice.request('GET', '/api/v1/meta/directions')).status, 200);
    const before = await api.database.db.collection('_meta').countDocuments();
    assert.equal((await cast.alice.request('POST', '/api/v1/meta/roles', { name: 'mine', label: { en: 'Mine' }, isAdmin: true, permissions: {} })).status, 403);
    assert.equal(await api.database.db.collection('_meta').countDocuments(), before);
    const denied = await api.request<{ items: Array<{ actor: string; details: { path: string } }> }>('GET', '/api/v1/audit?type=access.denied&limit=500');
    assert.ok(denied.body.items.some((entry) => entry.actor === cast.alice.id && entry.details.path === '/api/v1/meta/roles'));
    assert.equal((await cast.alice.request('GET', '/api/v1/audit')).status, 403);
  });
});

/**
 * API.md "Users, roles, directions": directions and roles as metadata, users
 * as records of `user` with a write-only password, and the direction a new
 * record of a partitioned entity gets.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type RequestFn, type TestApi } from '../support/api.ts';
import { assertProblem, createGadgetEntities, label, ok, type Rec } from './fixtures.ts';

const PASSWORD = 'sales password 1';

describe('API.md users, roles, directions', () => {
  let api: TestApi;
  const signIn = async (email: string): Promise<RequestFn> => api.as((await api.login(email, PASSWORD)).token);
  const createUser = (email: string, extra: Record<string, unknown>) => ok<Rec>(api.request('POST', '/api/v1/data/user', { email, name: email.split('@')[0], password: PASSWORD, ...extra }), 201);

  before(async () => {
    api = await startTestApi();
    await createGadgetEntities(api.request);
    for (const [name, en, ru] of [['north', 'North', 'Север'], ['south', 'South', 'Юг']] as const) {
      const direction = await ok<Rec>(api.request('POST', '/api/v1/meta/directions', { name, label: { en, ru } }), 201);
      assert.deepEqual([direction.name, direction.label], [name, { en, ru }]);
    }
    const role = await ok<Rec>(api.request('POST', '/api/v1/meta/roles', { name: 'sales', label: label('Sales', 'Продажи'), permissions: { gadget: ['read', 'create', 'update'] }, allDirections: false }), 201);
    assert.deepEqual(role.permissions, { gadget: ['read', 'create', 'update'] });
    await ok(api.request('POST', '/api/v1/meta/roles', { name: 'lead', label: label('Lead'), permissions: { gadget: ['read', 'create', 'update'] }, allDirections: true }), 201);
  });
  after(async () => api.close());

  it('POST /data/user creates a user who can sign in; the password is never returned nor stored on the record', async () => {
    const user = await createUser('nina@example.com', { roles: ['sales'], directions: ['north'] });
    assert.deepEqual([user.email, user.roles, user.directions], ['nina@example.com', ['sales'], ['north']]);
    for (const name of ['_id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'version']) assert.ok(name in user, name);
    assert.equal('password' in user, false);
    const stored = await api.database.db.collection('user').findOne({ email: 'nina@example.com' });
    assert.ok(stored);
    assert.equal(JSON.stringify(stored).includes(PASSWORD), false, 'not on the stored record');
    const session = await api.login('nina@example.com', PASSWORD);
    assert.equal(session.userId, user._id);
  });

  it('the password never leaves the server: not in reads, lists, history, bulk results, expansions, and it cannot be queried', async () => {
    const user = await createUser('omar@example.com', { roles: ['sales'], directions: ['north'] });
    await ok(api.request('PATCH', `/api/v1/data/user/${user._id}`, { password: 'a new password 2', name: 'Omar O.' }));
    await ok(api.request('POST', '/api/v1/meta/entities', { name: 'visit', label: label('Visit'), fields: [{ name: 'host', type: 'reference', entity: 'user', label: label('Host') }] }), 201);
    await ok(api.request('POST', '/api/v1/data/visit', { host: user._id }), 201);
    const bulk = await ok(api.request('POST', '/api/v1/data/user/bulk', { operations: [{ op: 'create', data: { email: 'pia@example.com', name: 'Pia', password: PASSWORD } }, { op: 'update', id: user._id, data: { password: 'third password 3' } }] }));
    const answers = [
      await ok(api.request('GET', `/api/v1/data/user/${user._id}`)),
      await ok(api.request('GET', '/api/v1/data/user')),
      await ok(api.request('GET', `/api/v1/data/user/${user._id}/history`)),
      await ok(api.request('GET', '/api/v1/data/visit?expand=host')),
      bulk,
    ];
    for (const answer of answers) {
      const text = JSON.stringify(answer);
      assert.equal(/password/i.test(text), false, text.slice(0, 300));
      for (const secret of [PASSWORD, 'a new password 2', 'third password 3']) assert.equal(text.includes(secret), false);
    }
    assertProblem(await api.request('GET', `/api/v1/data/user?filter=${encodeURIComponent(JSON.stringify({ password: PASSWORD }))}`), 400);
    assertProblem(await api.request('GET', '/api/v1/data/user?fields=password'), 400);
  });

  it('a new record gets the caller\'s only direction when none is given', async () => {
    await createUser('only@example.com', { roles: ['sales'], directions: ['north'] });
    const request = await signIn('only@example.com');
    const created = await ok<Rec>(request('POST', '/api/v1/data/gadget', { title: 'Defaulted' }), 201);
    assert.equal(created.direction, 'north');
  });

  it('the direction given must be one of the caller\'s: another is refused (403), an unknown one is a 400 — nothing stored', async () => {
    await createUser('given@example.com', { roles: ['sales'], directions: ['north'] });
    const request = await signIn('given@example.com');
    assert.equal((await ok<Rec>(request('POST', '/api/v1/data/gadget', { title: 'Given', direction: 'north' }), 201)).direction, 'north');
    const before = await api.database.db.collection('gadget').countDocuments();
    assertProblem(await request('POST', '/api/v1/data/gadget', { title: 'Elsewhere', direction: 'south' }), 403);
    const unknown = assertProblem(await request('POST', '/api/v1/data/gadget', { title: 'Nowhere', direction: 'atlantis' }), 400);
    assert.deepEqual(unknown.errors.map((e) => e.path), ['/direction']);
    assert.equal(await api.database.db.collection('gadget').countDocuments(), before);
  });

  it('a caller with several directions who gives none gets a 400 naming /direction and the choices', async () => {
    await createUser('both@example.com', { roles: ['sales'], directions: ['north', 'south'] });
    const request = await signIn('both@example.com');
    const before = await api.database.db.collection('gadget').countDocuments();
    const problem = assertProblem(await request('POST', '/api/v1/data/gadget', { title: 'Which?' }), 400);
    assert.equal(problem.errors.length, 1);
    assert.equal(problem.errors[0]!.path, '/direction');
    assert.match(problem.errors[0]!.message, /north/);
    assert.match(problem.errors[0]!.message, /south/);
    assert.equal(await api.database.db.collection('gadget').countDocuments(), before);
    assert.equal((await ok<Rec>(request('POST', '/api/v1/data/gadget', { title: 'South it is', direction: 'south' }), 201)).direction, 'south');
  });

  it('a caller who sees all directions still gets their only own direction by default, and may give any', async () => {
    await createUser('lead@example.com', { roles: ['lead'], directions: ['south'] });
    const request = await signIn('lead@example.com');
    assert.equal((await ok<Rec>(request('POST', '/api/v1/data/gadget', { title: 'Lead default' }), 201)).direction, 'south');
    assert.equal((await ok<Rec>(request('POST', '/api/v1/data/gadget', { title: 'Lead north', direction: 'north' }), 201)).direction, 'north');
  });

  it('records of another direction are invisible (404) to a user limited to theirs', async () => {
    await createUser('south@example.com', { roles: ['sales'], directions: ['south'] });
    const north = await signIn('only@example.com');
    const south = await ok<Rec>((await signIn('south@example.com'))('POST', '/api/v1/data/gadget', { title: 'Southern secret' }), 201);
    assertProblem(await north('GET', `/api/v1/data/gadget/${south._id}`), 404);
    const page = await ok<{ items: Rec[]; total: number }>(north('GET', '/api/v1/data/gadget'));
    assert.ok(page.items.every((item) => item.direction === 'north'));
  });
});

/**
 * API.md "Conventions": JSON with charset, problem+json for every client
 * error, refused requests change nothing, system fields, ETag / If-Match,
 * health.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { startTestApi, type TestApi } from '../support/api.ts';
import { assertProblem, createGadgetEntities, label, ok, type Rec } from './fixtures.ts';

const QUICK_THROTTLE = { freeFailures: 2, lockAfter: 50, baseDelayMs: 30_000, maxDelayMs: 60_000, windowMs: 60_000, lockMs: 60_000 };

describe('API.md conventions', () => {
  let api: TestApi;
  let north: { request: TestApi['request']; userId: string };

  before(async () => {
    api = await startTestApi({ auth: { throttle: { account: QUICK_THROTTLE, ip: { ...QUICK_THROTTLE, freeFailures: 100, lockAfter: 200 } } } });
    await createGadgetEntities(api.request);
    await ok(api.request('PATCH', '/api/v1/meta/entities/gadget/fields/title', { unique: true }));
    await ok(api.request('POST', '/api/v1/meta/directions', { name: 'north', label: label('North', 'Север') }), 201);
    await ok(api.request('POST', '/api/v1/meta/directions', { name: 'south', label: label('South', 'Юг') }), 201);
    await ok(api.request('POST', '/api/v1/meta/roles', { name: 'sales', label: label('Sales'), permissions: { gadget: ['read', 'create', 'update'] }, allDirections: false }), 201);
    await ok(api.request('POST', '/api/v1/data/user', { email: 'n@example.com', name: 'Nora', password: 'nora password 1', roles: ['sales'], directions: ['north'] }), 201);
    const session = await api.login('n@example.com', 'nora password 1');
    north = { request: api.as(session.token), userId: session.userId };
  });
  after(async () => api.close());

  const count = (entity: string) => api.database.db.collection(entity).countDocuments();
  const historyOf = (id: string) => api.database.db.collection('_history').countDocuments({ recordId: new ObjectId(id) });
  const storedGadget = (id: string) => api.request<Rec>('GET', `/api/v1/data/gadget/${id}`).then((r) => r.body);

  it('answers JSON as application/json; charset=utf-8 on reads, creates, updates, metadata and auth', async () => {
    const created = await api.request<Rec>('POST', '/api/v1/data/gadget', { title: 'Charset' });
    const answers = [
      created,
      await api.request('GET', `/api/v1/data/gadget/${created.body._id}`),
      await api.request('PATCH', `/api/v1/data/gadget/${created.body._id}`, { city: 'Тверь' }),
      await api.request('GET', '/api/v1/data/gadget'),
      await api.request('GET', '/api/v1/meta/entities'),
      await api.request('GET', '/api/v1/auth/me'),
      await api.request('GET', '/api/v1/openapi.json'),
      await api.request('GET', '/health'),
    ];
    for (const answer of answers) assert.equal(answer.headers.get('content-type'), 'application/json; charset=utf-8', `${answer.status} ${JSON.stringify(answer.body).slice(0, 80)}`);
  });

  it('GET /health answers 200 { status: "ok" } without signing in', async () => {
    const health = await api.request('GET', '/health', undefined, { authorization: '' });
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
  });

  it('every record carries its system fields; ids are ObjectId hex; version grows by one per change', async () => {
    const created = await ok<Rec>(api.request('POST', '/api/v1/data/gadget', { title: 'System', direction: 'north' }), 201);
    for (const name of ['_id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'version', 'owner', 'direction']) assert.ok(name in created, `${name} present`);
    assert.match(created._id, /^[0-9a-f]{24}$/);
    assert.equal(created.version, 1);
    assert.equal(created.createdBy, api.adminId);
    assert.equal(created.updatedBy, api.adminId);
    assert.equal(created.owner, api.adminId, 'the creator is the owner by default');
    assert.ok(!Number.isNaN(Date.parse(String(created.createdAt))));
    const changed = await ok<Rec>(north.request('PATCH', `/api/v1/data/gadget/${created._id}`, { rating: 3 }));
    assert.equal(changed.version, 2);
    assert.equal(changed.updatedBy, north.userId);
    assert.equal(changed.createdBy, api.adminId);
    assert.ok(Date.parse(String(changed.updatedAt)) >= Date.parse(String(created.updatedAt)));
    const listed = await ok<{ items: Rec[] }>(api.request('GET', `/api/v1/data/gadget?filter=${encodeURIComponent(JSON.stringify({ title: 'System' }))}`));
    for (const name of ['_id', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'version', 'owner', 'direction']) assert.ok(name in listed.items[0]!, `${name} in list items`);
  });

  it('responses carry ETag "<version>" (GET, POST, PATCH)', async () => {
    const created = await api.request<Rec>('POST', '/api/v1/data/gadget', { title: 'Tagged' });
    assert.equal(created.headers.get('etag'), '"1"');
    const patched = await api.request<Rec>('PATCH', `/api/v1/data/gadget/${created.body._id}`, { rating: 2 });
    assert.equal(patched.headers.get('etag'), '"2"');
    assert.equal((await api.request('GET', `/api/v1/data/gadget/${created.body._id}`)).headers.get('etag'), '"2"');
  });

  it('If-Match: a matching ETag writes; a stale one answers 409 on PATCH and DELETE and changes nothing', async () => {
    const { _id: id } = await ok<Rec>(api.request('POST', '/api/v1/data/gadget', { title: 'Guarded' }), 201);
    await ok(api.request('PATCH', `/api/v1/data/gadget/${id}`, { rating: 4 }, { 'If-Match': '"1"' }));
    const before = await storedGadget(id);
    const entries = await historyOf(id);
    const stale = assertProblem(await api.request('PATCH', `/api/v1/data/gadget/${id}`, { rating: 1 }, { 'If-Match': '"1"' }), 409);
    assert.equal(stale.code, 'VERSION_CONFLICT');
    assertProblem(await api.request('DELETE', `/api/v1/data/gadget/${id}`, undefined, { 'If-Match': '"1"' }), 409);
    assert.deepEqual(await storedGadget(id), before, 'nothing changed');
    assert.ok(entries >= 2);
    assert.equal(await historyOf(id), entries, 'no history written');
    assert.equal((await api.request('DELETE', `/api/v1/data/gadget/${id}`, undefined, { 'If-Match': '"2"' })).status, 204);
  });

  it('If-Match follows RFC 9110: "*" matches any current version; a weak tag never matches (strong comparison) and answers 409', async () => {
    const { _id: id } = await ok<Rec>(api.request('POST', '/api/v1/data/gadget', { title: 'Weak' }), 201);
    const weak = await api.request('PATCH', `/api/v1/data/gadget/${id}`, { rating: 5 }, { 'If-Match': 'W/"1"' });
    assertProblem(weak, 409);
    assert.equal((await storedGadget(id)).version, 1, 'the weak If-Match changed nothing');
    assertProblem(await api.request('DELETE', `/api/v1/data/gadget/${id}`, undefined, { 'If-Match': 'W/"1"' }), 409);
    const star = await ok<Rec>(api.request('PATCH', `/api/v1/data/gadget/${id}`, { rating: 5 }, { 'If-Match': '*' }));
    assert.equal(star.version, 2);
    assertProblem(await api.request('PATCH', '/api/v1/data/gadget/0123456789abcdef01234567', { rating: 5 }, { 'If-Match': '*' }), 404);
    assertProblem(await api.request('PATCH', `/api/v1/data/gadget/${id}`, { rating: 5 }, { 'If-Match': 'garbage' }), 400);
  });

  it('400: bad input is a problem with one errors[] entry per failing field, and nothing is stored', async () => {
    const before = await count('gadget');
    const bad = assertProblem(await api.request('POST', '/api/v1/data/gadget', { title: 'X', rating: 9, colour: 'red', version: 3 }), 400);
    assert.deepEqual(bad.errors.map((e) => e.path).sort(), ['/colour', '/rating', '/version']);
    assert.match(bad.errors.find((e) => e.path === '/rating')!.message, /5/);
    assertProblem(await api.request('POST', '/api/v1/data/gadget', '{"title":', { 'content-type': 'application/json' }), 400);
    assertProblem(await api.request('POST', '/api/v1/data/gadget', {}), 400);
    assert.equal(await count('gadget'), before);
  });

  it('401 without a session or token, also with a bad token', async () => {
    assertProblem(await api.request('GET', '/api/v1/data/gadget', undefined, { authorization: '' }), 401);
    assertProblem(await api.request('GET', '/api/v1/data/gadget', undefined, { authorization: 'Bearer rls_nonsense' }), 401);
    assertProblem(await api.request('POST', '/api/v1/data/gadget', { title: 'Anon' }, { authorization: '' }), 401);
  });

  it('403 signed in but not allowed; the refused write changes nothing', async () => {
    const before = await count('maker');
    assertProblem(await north.request('POST', '/api/v1/data/maker', { name: 'Not mine' }), 403);
    assertProblem(await north.request('POST', '/api/v1/meta/directions', { name: 'east', label: label('East') }), 403);
    assert.equal(await count('maker'), before);
    assert.equal((await api.request('GET', '/api/v1/meta/directions/east')).status, 404);
  });

  it('404 for unknown records, entities and routes, and for records the caller may not see (never revealed)', async () => {
    const southern = await ok<Rec>(api.request('POST', '/api/v1/data/gadget', { title: 'Southern', direction: 'south' }), 201);
    const hidden = assertProblem(await north.request('GET', `/api/v1/data/gadget/${southern._id}`), 404);
    const unknown = assertProblem(await north.request('GET', '/api/v1/data/gadget/0123456789abcdef01234567'), 404);
    assert.equal(hidden.title, unknown.title);
    assert.equal(hidden.code, unknown.code, 'an invisible record looks exactly like a missing one');
    assertProblem(await north.request('PATCH', `/api/v1/data/gadget/${southern._id}`, { rating: 1 }), 404);
    assertProblem(await north.request('GET', `/api/v1/data/gadget/${southern._id}/history`), 404);
    assertProblem(await api.request('GET', '/api/v1/data/nosuch'), 404);
    assertProblem(await api.request('GET', '/api/v1/nosuch'), 404);
    assert.equal((await storedGadget(southern._id)).version, 1);
  });

  it('409 on a duplicate unique value, storing nothing', async () => {
    await ok(api.request('POST', '/api/v1/data/gadget', { title: 'Unique one' }), 201);
    const before = await count('gadget');
    const duplicate = assertProblem(await api.request('POST', '/api/v1/data/gadget', { title: 'Unique one' }), 409);
    assert.equal(duplicate.code, 'DUPLICATE');
    assert.equal(await count('gadget'), before);
  });

  it('413 for a body over the limit', async () => {
    const before = await count('gadget');
    assertProblem(await api.request('POST', '/api/v1/data/gadget', { title: 'Big', city: 'x'.repeat(2 * 1024 * 1024) }), 413);
    assert.equal(await count('gadget'), before);
  });

  it('422 when a guard refuses, changing nothing', async () => {
    await ok(api.request('POST', '/api/v1/meta/entities', {
      name: 'ticket',
      label: label('Ticket'),
      titleField: 'subject',
      features: { pipeline: 'support' },
      fields: [{ name: 'subject', type: 'text', label: label('Subject'), required: true }, { name: 'severity', type: 'integer', label: label('Severity') }],
    }), 201);
    await ok(api.request('POST', '/api/v1/meta/pipelines', {
      name: 'support',
      label: label('Support'),
      entity: 'ticket',
      stages: [
        { name: 'open', label: label('Open'), kind: 'open', next: ['escalated'] },
        { name: 'escalated', label: label('Escalated'), kind: 'open', guards: [{ condition: { '>=': [{ var: 'severity' }, 3] }, field: 'severity', message: label('Severity 3 and above only') }] },
      ],
    }), 201);
    const ticket = await ok<Rec>(api.request('POST', '/api/v1/data/ticket', { subject: 'Printer', severity: 1 }), 201);
    const refused = assertProblem(await api.request('POST', `/api/v1/data/ticket/${ticket._id}/transition`, { stage: 'escalated' }), 422);
    assert.deepEqual(refused.errors, [{ path: '/severity', message: 'Severity 3 and above only' }]);
    const after = await ok<Rec>(api.request('GET', `/api/v1/data/ticket/${ticket._id}`));
    assert.deepEqual([after.stage, after.version], ['open', 1]);
  });

  it('429 (with Retry-After) when sign-in attempts are rate limited', async () => {
    for (let i = 0; i < QUICK_THROTTLE.freeFailures; i++) {
      assertProblem(await api.request('POST', '/api/v1/auth/login', { email: 'n@example.com', password: 'wrong' }, { authorization: '' }), 401);
    }
    const limited = await api.request('POST', '/api/v1/auth/login', { email: 'n@example.com', password: 'wrong' }, { authorization: '' });
    assertProblem(limited, 429);
    assert.ok(Number(limited.headers.get('retry-after')) > 0, 'Retry-After in seconds');
  });
});

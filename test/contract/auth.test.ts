/**
 * API.md "Conventions" → authentication: login, cookie or Bearer, API
 * tokens (create, list without secrets, revoke at once), logout, /auth/me.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, TEST_ADMIN, type TestApi } from '../support/api.ts';
import { assertProblem, createGadgetEntities, ok, type Rec } from './fixtures.ts';

describe('API.md authentication', () => {
  let api: TestApi;
  const anonymous = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => api.request(method, path, body, { authorization: '', ...headers });

  before(async () => {
    api = await startTestApi();
    await createGadgetEntities(api.request);
    await ok(api.request('POST', '/api/v1/data/user', { email: 'ivy@example.com', name: 'Ivy', password: 'ivy password 12' }), 201);
  });
  after(async () => api.close());

  it('POST /auth/login → 200 { token, user } and an HttpOnly SameSite=Lax session cookie', async () => {
    const response = await anonymous('POST', '/api/v1/auth/login', { email: 'ivy@example.com', password: 'ivy password 12' });
    const body = await ok<{ token: string; user: Rec }>(Promise.resolve(response));
    assert.equal(typeof body.token, 'string');
    assert.ok(body.token.length >= 20);
    assert.equal(body.user.email, 'ivy@example.com');
    assert.match(body.user._id, /^[0-9a-f]{24}$/);
    assert.equal('password' in body.user, false);
    const session = response.headers.getSetCookie().find((line) => /^relata_session=/.test(line));
    assert.ok(session, response.headers.getSetCookie().join(' | '));
    assert.match(session, /;\s*HttpOnly/i);
    assert.match(session, /;\s*SameSite=Lax/i);
    assert.match(session, /;\s*Path=\//i);
  });

  it('a wrong password is 401, a malformed body 400 — both problems', async () => {
    assertProblem(await anonymous('POST', '/api/v1/auth/login', { email: 'ivy@example.com', password: 'not it at all' }), 401);
    assertProblem(await anonymous('POST', '/api/v1/auth/login', { email: 'ivy@example.com' }), 400);
  });

  it('every other call accepts the session cookie or Authorization: Bearer', async () => {
    const session = await api.login('ivy@example.com', 'ivy password 12');
    for (const path of ['/api/v1/auth/me', '/api/v1/meta/entities', '/api/v1/openapi.json', '/api/v1/auth/tokens']) {
      assert.equal((await anonymous('GET', path, undefined, { cookie: session.cookie })).status, 200, `cookie: ${path}`);
      assert.equal((await api.as(session.token)('GET', path)).status, 200, `bearer: ${path}`);
      const refused = await anonymous('GET', path);
      assertProblem(refused, 401);
      assert.match(refused.headers.get('www-authenticate') ?? '', /^Bearer/, 'RFC 9110: a 401 names its scheme');
    }
    // Cookie-authenticated writes also carry the CSRF token the login answer gave (README: Identity and access).
    const created = await anonymous('POST', '/api/v1/data/gadget', { title: 'By cookie' }, { cookie: session.cookie, 'x-csrf-token': session.csrfToken });
    assert.equal(created.status, 403, 'ivy has no role for gadgets: the cookie was accepted as her identity');
    const me = await anonymous('GET', '/api/v1/auth/me', undefined, { cookie: session.cookie });
    assert.equal((me.body as Rec).email, 'ivy@example.com');
  });

  it('GET /auth/me → the signed-in user (its record; no password)', async () => {
    const me = await ok<Rec & { user: Rec }>(api.request('GET', '/api/v1/auth/me'));
    assert.equal(me._id, api.adminId);
    assert.equal(me.email, TEST_ADMIN.email);
    assert.equal(typeof me.version, 'number');
    assert.equal(me.user.email, TEST_ADMIN.email, 'also under user, as the login answer has it');
    assert.equal(JSON.stringify(me).includes('password'), false);
  });

  it('API tokens: POST → 201 { _id, name, scopes, token }; GET lists them without secrets; the token works as Bearer within its scopes', async () => {
    const created = await ok<{ _id: string; name: string; scopes: string[]; token: string }>(api.request('POST', '/api/v1/auth/tokens', { name: 'ERP', scopes: ['gadget:read'], expiresAt: new Date(Date.now() + 86_400_000).toISOString() }), 201);
    assert.match(created._id, /^[0-9a-f]{24}$/);
    assert.deepEqual([created.name, created.scopes], ['ERP', ['gadget:read']]);
    assert.equal(typeof created.token, 'string');
    const listed = await api.request<{ items: Array<Record<string, unknown>> }>('GET', '/api/v1/auth/tokens');
    assert.equal(listed.status, 200);
    const item = listed.body.items.find((t) => t._id === created._id);
    assert.deepEqual([item?.name, item?.scopes], ['ERP', ['gadget:read']]);
    assert.equal('token' in item!, false);
    assert.equal(JSON.stringify(listed.body).includes(created.token), false, 'no secret in the list');
    const erp = api.as(created.token);
    await ok(erp('GET', '/api/v1/data/gadget'));
    assertProblem(await erp('POST', '/api/v1/data/gadget', { title: 'Out of scope' }), 403);
    const all = await ok<{ token: string }>(api.request('POST', '/api/v1/auth/tokens', { name: 'All', scopes: ['*'] }), 201);
    await ok(api.as(all.token)('POST', '/api/v1/data/gadget', { title: 'In scope' }), 201);
  });

  it('token requests are validated: bad scopes, a past expiry, unknown keys → 400, nothing created', async () => {
    const before = (await api.request<{ items: unknown[] }>('GET', '/api/v1/auth/tokens')).body.items.length;
    const bad = assertProblem(await api.request('POST', '/api/v1/auth/tokens', { name: '', scopes: 'everything', expiresAt: '2000-01-01T00:00:00Z', extra: 1 }), 400);
    assert.deepEqual(bad.errors.map((e) => e.path).sort(), ['/expiresAt', '/extra', '/name', '/scopes']);
    assert.equal((await api.request<{ items: unknown[] }>('GET', '/api/v1/auth/tokens')).body.items.length, before);
  });

  it('DELETE /auth/tokens/:id revokes at once: the next request with it is 401', async () => {
    const created = await ok<{ _id: string; token: string }>(api.request('POST', '/api/v1/auth/tokens', { name: 'Short-lived', scopes: ['*'] }), 201);
    await ok(api.as(created.token)('GET', '/api/v1/data/gadget'));
    assert.equal((await api.request('DELETE', `/api/v1/auth/tokens/${created._id}`)).status, 204);
    assertProblem(await api.as(created.token)('GET', '/api/v1/data/gadget'), 401);
    assertProblem(await api.request('DELETE', `/api/v1/auth/tokens/${created._id}`), 404);
    const listed = await api.request<{ items: Array<{ _id: string }> }>('GET', '/api/v1/auth/tokens');
    assert.equal(listed.body.items.some((t) => t._id === created._id), false);
  });

  it('POST /auth/logout ends the session at once and clears the cookie', async () => {
    const session = await api.login('ivy@example.com', 'ivy password 12');
    const out = await api.as(session.token)('POST', '/api/v1/auth/logout');
    assert.equal(out.status, 204);
    assert.ok(out.headers.getSetCookie().some((line) => /^relata_session=;/.test(line) && /Max-Age=0/i.test(line)), out.headers.getSetCookie().join(' | '));
    assertProblem(await api.as(session.token)('GET', '/api/v1/auth/me'), 401);
    assertProblem(await anonymous('GET', '/api/v1/auth/me', undefined, { cookie: session.cookie }), 401);
  });
});

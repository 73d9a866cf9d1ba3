import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, TEST_ADMIN, type TestApi } from '../support/api.ts';

type Problem = { code: string; detail: string; status: number };

describe('sign-in, sessions, logout and CSRF', () => {
  let api: TestApi;
  let bobId: string;
  before(async () => {
    api = await startTestApi();
    const bob = await api.request<{ _id: string }>('POST', '/api/v1/data/user', { email: 'Bob@Example.com', name: 'Bob', password: 'correct horse battery' });
    assert.equal(bob.status, 201, JSON.stringify(bob.body));
    bobId = bob.body._id;
  });
  after(async () => api.close());

  it('every /api/v1 route needs a signed-in caller (401 problem+json); /health stays open', async () => {
    for (const path of ['/api/v1/data/user', '/api/v1/meta/entities', '/api/v1/openapi.json', '/api/v1/auth/me', '/api/v1/audit', '/api/v1/no-such-route']) {
      const response = await api.request<Problem>('GET', path, undefined, { authorization: '' });
      assert.equal(response.status, 401, path);
      assert.match(String(response.headers.get('content-type')), /problem\+json/);
      assert.equal(response.body.code, 'UNAUTHENTICATED');
    }
    const garbage = await api.request('GET', '/api/v1/auth/me', undefined, { authorization: 'Bearer rls_not-a-session' });
    assert.equal(garbage.status, 401);
    assert.equal((await api.request('GET', '/health', undefined, { authorization: '' })).status, 200);
  });

  it('login answers { token, user } and a HttpOnly, SameSite=Lax session cookie; the password is nowhere', async () => {
    const response = await api.request<{ token: string; csrfToken: string; user: Record<string, unknown> }>('POST', '/api/v1/auth/login', { email: 'bob@example.COM', password: 'correct horse battery' }, { authorization: '' });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.match(response.body.token, /^rls_[A-Za-z0-9_-]{43}$/);
    assert.equal(response.body.user.email, 'bob@example.com', 'e-mail stored lower-cased');
    assert.equal(response.body.user.password, undefined);
    assert.equal(JSON.stringify(response.body).includes('scrypt'), false);
    const cookies = response.headers.getSetCookie();
    const session = cookies.find((line) => line.startsWith('relata_session='));
    const csrf = cookies.find((line) => line.startsWith('relata_csrf='));
    assert.ok(session && csrf, cookies.join(' | '));
    assert.match(session, /HttpOnly/);
    assert.match(session, /SameSite=Lax/);
    assert.match(session, /Path=\//);
    assert.doesNotMatch(session, /Secure/, 'plain http: no Secure flag');
    assert.doesNotMatch(csrf, /HttpOnly/, 'the UI must read the CSRF cookie');
    assert.equal(response.headers.get('cache-control'), 'no-store');
  });

  it('the cookie is Secure when the request came over HTTPS', async () => {
    const response = await api.platform.app.request('https://crm.example.com/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bob@example.com', password: 'correct horse battery' }),
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.getSetCookie().join('\n'), /relata_session=[^\n]*Secure/);
  });

  it('unknown e-mail and wrong password answer the same 401', async () => {
    const unknown = await api.request<Problem>('POST', '/api/v1/auth/login', { email: 'nobody@example.com', password: 'whatever-123' }, { authorization: '' });
    const wrong = await api.request<Problem>('POST', '/api/v1/auth/login', { email: 'bob@example.com', password: 'whatever-123' }, { authorization: '' });
    assert.equal(unknown.status, 401);
    assert.equal(wrong.status, 401);
    assert.equal(unknown.body.detail, wrong.body.detail);
    assert.equal(unknown.body.code, wrong.body.code);
    assert.equal(unknown.headers.getSetCookie().length, 0);
    const missing = await api.request('POST', '/api/v1/auth/login', { email: 'bob@example.com' }, { authorization: '' });
    assert.equal(missing.status, 400);
  });

  it('the password is write-only: not in answers, lists, history, filters, sorts or the stored record', async () => {
    const read = await api.request<Record<string, unknown>>('GET', `/api/v1/data/user/${bobId}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.password, undefined);
    const list = await api.request<{ items: Array<Record<string, unknown>> }>('GET', '/api/v1/data/user');
    assert.ok(list.body.items.every((user) => !('password' in user) && !JSON.stringify(user).includes('scrypt')));
    const history = await api.request('GET', `/api/v1/data/user/${bobId}/history`);
    assert.equal(JSON.stringify(history.body).includes('password'), false);
    assert.equal(JSON.stringify(history.body).includes('correct horse'), false);
    for (const params of [`filter=${encodeURIComponent('{"password":"x"}')}`, `filter=${encodeURIComponent('{"_password":"x"}')}`, 'sort=password', 'fields=password']) {
      assert.equal((await api.request('GET', `/api/v1/data/user?${params}`)).status, 400, params);
    }
    const stored = await api.database.db.collection('user').findOne({ email: 'bob@example.com' });
    assert.ok(stored);
    assert.equal(JSON.stringify(stored).includes('correct horse'), false);
    assert.equal(JSON.stringify(stored).includes('scrypt'), false);
    const credential = await api.database.db.collection('_credentials').findOne({ _id: stored._id });
    assert.match(String(credential?.passwordHash), /^scrypt\$\d+\$8\$1\$/);
  });

  it('e-mail is unique regardless of case; weak passwords are refused', async () => {
    const duplicate = await api.request<Problem>('POST', '/api/v1/data/user', { email: 'BOB@example.com', name: 'Bob 2', password: 'another password' });
    assert.equal(duplicate.status, 409);
    const weak = await api.request<{ errors: Array<{ path: string }> }>('POST', '/api/v1/data/user', { email: 'weak@example.com', name: 'Weak', password: 'short' });
    assert.equal(weak.status, 400);
    assert.deepEqual(weak.body.errors.map((error) => error.path), ['/password']);
    assert.equal(await api.database.db.collection('user').countDocuments({ email: 'weak@example.com' }), 0);
    const unknownRole = await api.request('POST', '/api/v1/data/user', { email: 'r@example.com', name: 'R', password: 'long enough 1', roles: ['nope'] });
    assert.equal(unknownRole.status, 400);
  });

  it('GET /auth/me answers the signed-in user, by Bearer and by cookie', async () => {
    const session = await api.login('bob@example.com', 'correct horse battery');
    const byBearer = await api.as(session.token)<{ user: { email: string }; isAdmin: boolean; via: string }>('GET', '/api/v1/auth/me');
    assert.equal(byBearer.status, 200);
    assert.equal(byBearer.body.user.email, 'bob@example.com');
    assert.equal(byBearer.body.isAdmin, false);
    const byCookie = await api.request<{ user: { email: string } }>('GET', '/api/v1/auth/me', undefined, { cookie: session.cookie });
    assert.equal(byCookie.status, 200);
    assert.equal(byCookie.body.user.email, 'bob@example.com');
    const admin = await api.request<{ isAdmin: boolean; user: { email: string } }>('GET', '/api/v1/auth/me');
    assert.equal(admin.body.isAdmin, true);
    assert.equal(admin.body.user.email, TEST_ADMIN.email);
  });

  it('a cookie write a browser marks as cross-site, or with a wrong CSRF token, is refused (403, nothing changes); the cookie alone or with the token writes', async () => {
    const session = await api.login(TEST_ADMIN.email, TEST_ADMIN.password);
    const before = await api.database.db.collection('user').countDocuments();
    const body = { email: 'csrf@example.com', name: 'Csrf', password: 'long enough 1' };
    const crossSite = await api.request<Problem>('POST', '/api/v1/data/user', body, { cookie: session.cookie, 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSite.status, 403);
    const sameSiteSubdomain = await api.request<Problem>('POST', '/api/v1/data/user', body, { cookie: session.cookie, 'sec-fetch-site': 'same-site' });
    assert.equal(sameSiteSubdomain.status, 403);
    const foreignOrigin = await api.request<Problem>('POST', '/api/v1/data/user', body, { cookie: session.cookie, origin: 'https://evil.example' });
    assert.equal(foreignOrigin.status, 403);
    const forged = await api.request<Problem>('POST', '/api/v1/data/user', body, { cookie: session.cookie, 'x-csrf-token': 'guess' });
    assert.equal(forged.status, 403);
    const patched = await api.request('PATCH', `/api/v1/data/user/${bobId}`, { name: 'Hacked' }, { cookie: session.cookie, origin: 'null' });
    assert.equal(patched.status, 403);
    const deleted = await api.request('DELETE', `/api/v1/data/user/${bobId}`, undefined, { cookie: session.cookie, 'sec-fetch-site': 'cross-site' });
    assert.equal(deleted.status, 403);
    assert.equal(await api.database.db.collection('user').countDocuments(), before);
    assert.equal((await api.database.db.collection('user').findOne({ email: 'bob@example.com' }))?.name, 'Bob');

    const sameOrigin = await api.request('POST', '/api/v1/data/user', { ...body, email: 'csrf2@example.com' }, { cookie: session.cookie, 'sec-fetch-site': 'same-origin', origin: 'http://localhost' });
    assert.equal(sameOrigin.status, 201, 'a same-origin page may write with the cookie');
    const cookieOnly = await api.request('POST', '/api/v1/data/user', { ...body, email: 'csrf3@example.com' }, { cookie: session.cookie });
    assert.equal(cookieOnly.status, 201, 'every call accepts the cookie (API.md) when nothing marks it as cross-site');
    const allowed = await api.request('POST', '/api/v1/data/user', body, { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'sec-fetch-site': 'cross-site' });
    assert.equal(allowed.status, 201, 'the token proves the request comes from our UI');
    const bearer = await api.as(session.token)('PATCH', `/api/v1/data/user/${bobId}`, { name: 'Bob B.' });
    assert.equal(bearer.status, 200, 'Bearer requests need no CSRF proof');
  });

  it('logout revokes the session at once', async () => {
    const session = await api.login('bob@example.com', 'correct horse battery');
    assert.equal((await api.as(session.token)('GET', '/api/v1/auth/me')).status, 200);
    const out = await api.as(session.token)('POST', '/api/v1/auth/logout');
    assert.equal(out.status, 204);
    assert.match(out.headers.getSetCookie().join('\n'), /relata_session=;/);
    assert.equal((await api.as(session.token)('GET', '/api/v1/auth/me')).status, 401);
    assert.equal((await api.request('GET', '/api/v1/auth/me', undefined, { cookie: session.cookie })).status, 401);
  });

  it('a session ends when idle too long, and at its absolute expiry', async () => {
    const sessions = api.database.db.collection('_sessions');
    for (const field of ['idleExpiresAt', 'expiresAt']) {
      const session = await api.login('bob@example.com', 'correct horse battery');
      assert.equal((await api.as(session.token)('GET', '/api/v1/auth/me')).status, 200);
      const stored = await sessions.findOne({ userId: { $exists: true } }, { sort: { createdAt: -1 } });
      assert.ok(stored);
      assert.equal(JSON.stringify(stored).includes(session.token), false, 'only a digest of the secret is stored');
      await sessions.updateOne({ _id: stored._id }, { $set: { [field]: new Date(Date.now() - 1000) } });
      assert.equal((await api.as(session.token)('GET', '/api/v1/auth/me')).status, 401, field);
    }
  });

  it('changing the own password needs the current one and ends the other sessions', async () => {
    const first = await api.login('bob@example.com', 'correct horse battery');
    const second = await api.login('bob@example.com', 'correct horse battery');
    const wrong = await api.as(first.token)('POST', '/api/v1/auth/password', { currentPassword: 'nope', newPassword: 'a new long password' });
    assert.equal(wrong.status, 400);
    const changed = await api.as(first.token)('POST', '/api/v1/auth/password', { currentPassword: 'correct horse battery', newPassword: 'a new long password' });
    assert.equal(changed.status, 204);
    assert.equal((await api.as(first.token)('GET', '/api/v1/auth/me')).status, 200, 'the changing session stays');
    assert.equal((await api.as(second.token)('GET', '/api/v1/auth/me')).status, 401, 'other sessions end');
    await api.login('bob@example.com', 'a new long password');
  });

  it('a deactivated user is signed out and cannot sign in', async () => {
    const created = await api.request<{ _id: string }>('POST', '/api/v1/data/user', { email: 'leaver@example.com', name: 'Leaver', password: 'leaving soon 1' });
    const session = await api.login('leaver@example.com', 'leaving soon 1');
    const deactivated = await api.request('PATCH', `/api/v1/data/user/${created.body._id}`, { active: false });
    assert.equal(deactivated.status, 200);
    assert.equal((await api.as(session.token)('GET', '/api/v1/auth/me')).status, 401);
    const again = await api.request('POST', '/api/v1/auth/login', { email: 'leaver@example.com', password: 'leaving soon 1' }, { authorization: '' });
    assert.equal(again.status, 401);
  });

  it('the last active administrator cannot be demoted, deactivated or deleted', async () => {
    for (const patch of [{ roles: [] }, { active: false }]) {
      const response = await api.request<Problem>('PATCH', `/api/v1/data/user/${api.adminId}`, patch);
      assert.equal(response.status, 409, JSON.stringify(patch));
    }
    assert.equal((await api.request('DELETE', `/api/v1/data/user/${api.adminId}`)).status, 409);
    assert.equal((await api.request('GET', '/api/v1/auth/me')).status, 200);
  });
});

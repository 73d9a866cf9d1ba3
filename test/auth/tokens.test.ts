import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../support/api.ts';

type Token = { _id: string; name: string; scopes: string[]; token: string };

describe('API tokens', () => {
  let api: TestApi;
  let orgId: string;
  before(async () => {
    api = await startTestApi();
    for (const name of ['organization', 'deal']) {
      const created = await api.request('POST', '/api/v1/meta/entities', { name, label: { en: name }, fields: [{ name: 'title', type: 'text', label: { en: 'Title' } }] });
      assert.equal(created.status, 201);
    }
    orgId = (await api.request<{ _id: string }>('POST', '/api/v1/data/organization', { title: 'Acme' })).body._id;
  });
  after(async () => api.close());

  it('is shown once at creation, stored as a digest, listed without secrets', async () => {
    const created = await api.request<Token>('POST', '/api/v1/auth/tokens', { name: 'ETL', scopes: ['*'] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.match(created.body.token, /^rlt_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(created.body.scopes, ['*']);
    const list = await api.request<{ items: Array<Record<string, unknown>> }>('GET', '/api/v1/auth/tokens');
    assert.equal(list.status, 200);
    const listed = list.body.items.find((item) => item._id === created.body._id);
    assert.ok(listed);
    assert.equal(listed.token, undefined);
    assert.equal(listed.hash, undefined);
    assert.equal(JSON.stringify(list.body).includes(created.body.token), false);
    const stored = await api.database.db.collection('_api_tokens').findOne({ name: 'ETL' });
    assert.equal(JSON.stringify(stored).includes(created.body.token), false);
    assert.match(String(stored?.hash), /^[0-9a-f]{64}$/);
  });

  it('acts as its creator within its scopes', async () => {
    const created = await api.request<Token>('POST', '/api/v1/auth/tokens', { name: 'reader', scopes: ['organization:read'] });
    const asToken = api.as(created.body.token);
    assert.equal((await asToken('GET', '/api/v1/data/organization')).status, 200);
    assert.equal((await asToken('GET', `/api/v1/data/organization/${orgId}`)).status, 200);
    const create = await asToken('POST', '/api/v1/data/organization', { title: 'Nope' });
    assert.equal(create.status, 403);
    assert.equal((await asToken('PATCH', `/api/v1/data/organization/${orgId}`, { title: 'Nope' })).status, 403);
    assert.equal((await asToken('GET', '/api/v1/data/deal')).status, 403);
    // An administrator's scoped token is not an administrator.
    assert.equal((await asToken('POST', '/api/v1/meta/entities', { name: 'x', label: { en: 'X' }, fields: [] })).status, 403);
    assert.equal((await asToken('GET', '/api/v1/audit')).status, 403);
    assert.equal(await api.database.db.collection('organization').countDocuments({ title: 'Nope' }), 0);
    const me = await asToken<{ via: string; scopes: string[]; isAdmin: boolean }>('GET', '/api/v1/auth/me');
    assert.deepEqual([me.body.via, me.body.scopes, me.body.isAdmin], ['token', ['organization:read'], false]);
  });

  it('cannot manage tokens (a leaked token cannot mint successors)', async () => {
    const created = await api.request<Token>('POST', '/api/v1/auth/tokens', { name: 'full', scopes: ['*'] });
    const asToken = api.as(created.body.token);
    assert.equal((await asToken('POST', '/api/v1/auth/tokens', { name: 'child', scopes: ['*'] })).status, 403);
    assert.equal((await asToken('GET', '/api/v1/auth/tokens')).status, 403);
    assert.equal((await asToken('DELETE', `/api/v1/auth/tokens/${created.body._id}`)).status, 403);
  });

  it('a revoked token stops working at once', async () => {
    const created = await api.request<Token>('POST', '/api/v1/auth/tokens', { name: 'short-lived', scopes: ['*'] });
    const asToken = api.as(created.body.token);
    assert.equal((await asToken('GET', '/api/v1/data/organization')).status, 200);
    assert.equal((await api.request('DELETE', `/api/v1/auth/tokens/${created.body._id}`)).status, 204);
    assert.equal((await asToken('GET', '/api/v1/data/organization')).status, 401);
    assert.equal((await api.request('DELETE', `/api/v1/auth/tokens/${created.body._id}`)).status, 404);
  });

  it('an expired token is refused', async () => {
    const created = await api.request<Token>('POST', '/api/v1/auth/tokens', { name: 'expiring', scopes: ['*'], expiresAt: new Date(Date.now() + 60_000).toISOString() });
    assert.equal(created.status, 201);
    await api.database.db.collection('_api_tokens').updateOne({ name: 'expiring' }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    assert.equal((await api.as(created.body.token)('GET', '/api/v1/data/organization')).status, 401);
  });

  it('refuses bad input with 400 per field', async () => {
    const bad = await api.request<{ errors: Array<{ path: string }> }>('POST', '/api/v1/auth/tokens', { name: '', scopes: ['organization:fly', 3], expiresAt: '2001-01-01T00:00:00Z', extra: 1 });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((error) => error.path).sort(), ['/expiresAt', '/extra', '/name', '/scopes/0', '/scopes/1']);
  });

  it('someone else\'s token is unknown to a non-administrator', async () => {
    const adminToken = await api.request<Token>('POST', '/api/v1/auth/tokens', { name: 'admin-owned', scopes: ['*'] });
    await api.request('POST', '/api/v1/data/user', { email: 'plain@example.com', name: 'Plain', password: 'plain password 1' });
    const plain = await api.login('plain@example.com', 'plain password 1');
    assert.equal((await api.as(plain.token)('DELETE', `/api/v1/auth/tokens/${adminToken.body._id}`)).status, 404);
    const own = await api.as(plain.token)<{ items: unknown[] }>('GET', '/api/v1/auth/tokens');
    assert.deepEqual(own.body.items, []);
    assert.equal((await api.as(adminToken.body.token)('GET', '/api/v1/auth/me')).status, 200);
  });

  it('token use, creation and revocation are audited, without secrets', async () => {
    const created = await api.request<Token>('POST', '/api/v1/auth/tokens', { name: 'audited', scopes: ['*'] });
    await api.as(created.body.token)('GET', '/api/v1/data/organization');
    await api.as(created.body.token)('GET', '/api/v1/data/organization');
    await api.request('DELETE', `/api/v1/auth/tokens/${created.body._id}`);
    const audit = await api.request<{ items: Array<{ type: string; tokenId?: string }> }>('GET', '/api/v1/audit?limit=500');
    const mine = audit.body.items.filter((entry) => entry.tokenId === created.body._id).map((entry) => entry.type);
    assert.deepEqual(mine.sort(), ['token.created', 'token.revoked', 'token.used'], 'use audited once per interval');
    assert.equal(JSON.stringify(audit.body).includes(created.body.token), false);
  });
});

/**
 * Own preferences: the `user` entity's time zone (an IANA name that really
 * exists, the `time-zone` text format) and reminder lead time (0..10080,
 * default 15), set by administrators on any user and by everyone on
 * themselves through PATCH /api/v1/auth/me — which changes those fields and
 * the language, nothing else, whatever the caller's role allows on users.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { isTimeZoneName, TIME_ZONE_MESSAGE } from '../../core/metadata/time-zone.ts';
import { validateEntity } from '../../core/metadata/validate-entity.ts';
import { startTestApi, type RequestFn, type TestApi } from '../support/api.ts';

type Rec = Record<string, unknown> & { _id: string; version: number };
type Problem = { status: number; code: string; errors: Array<{ path: string; message: string }> };

describe('time zone names', () => {
  it('accepts zones this runtime knows (canonical names, links, UTC) and refuses unknown names and offsets', () => {
    for (const zone of ['Europe/Moscow', 'America/Argentina/Buenos_Aires', 'UTC', 'Etc/GMT+5', 'Europe/Kiev', 'Asia/Kolkata']) assert.ok(isTimeZoneName(zone), zone);
    for (const zone of ['Mars/Olympus_Mons', 'Europe/Moskva', '+03:00', 'UTC+3', '', 'Europe/', '/Europe/Moscow', 'Europe/Moscow ', `Europe/${'x'.repeat(70)}`]) assert.ok(!isTimeZoneName(zone), zone);
  });

  it('is a format of text fields only; a default must be a real zone', () => {
    const entity = (field: Record<string, unknown>) => ({ name: 'thing', label: { en: 'Thing' }, fields: [{ name: 'zone', label: { en: 'Zone' }, ...field }] });
    assert.deepEqual(validateEntity(entity({ type: 'text', format: 'time-zone', default: 'Asia/Tokyo' }), { entities: new Map() }), []);
    assert.deepEqual(validateEntity(entity({ type: 'text', format: 'time-zone', default: 'Mars/Base' }), { entities: new Map() }), [{ path: '/fields/0/default', message: TIME_ZONE_MESSAGE }]);
    assert.deepEqual(
      validateEntity(entity({ type: 'text', format: 'colour' }), { entities: new Map() }).map((error) => error.path),
      ['/fields/0/format'],
    );
    assert.deepEqual(
      validateEntity(entity({ type: 'integer', format: 'time-zone' }), { entities: new Map() }).map((error) => error.path),
      ['/fields/0/format'],
    );
  });
});

describe('own preferences through the API', () => {
  let api: TestApi;
  let vera: { id: string; request: RequestFn; token: string };

  before(async () => {
    api = await startTestApi();
    // A role with no permission on users at all: self-service must not depend on one.
    assert.equal((await api.request('POST', '/api/v1/meta/roles', { name: 'staff', label: { en: 'Staff' }, permissions: {} })).status, 201);
    const created = await api.request<Rec>('POST', '/api/v1/data/user', { email: 'vera@example.com', name: 'Vera', password: 'vera password 1', roles: ['staff'] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const session = await api.login('vera@example.com', 'vera password 1');
    vera = { id: created.body._id, request: api.as(session.token), token: session.token };
  });
  after(async () => api.close());

  const stored = async (id: string) => api.database.db.collection('user').findOne({ _id: new ObjectId(id) });

  it('a new user gets the default lead time (15 minutes) and no time zone; the entity describes both fields', async () => {
    const user = await stored(vera.id);
    assert.equal(user?.reminderLeadMinutes, 15);
    assert.equal(user?.timeZone, undefined);
    const entity = await api.request<{ fields: Array<{ name: string; type: string; format?: string; min?: number; max?: number }> }>('GET', '/api/v1/meta/entities/user');
    const byName = new Map(entity.body.fields.map((field) => [field.name, field]));
    assert.deepEqual(byName.get('timeZone'), { ...byName.get('timeZone'), type: 'text', format: 'time-zone' });
    assert.deepEqual(byName.get('reminderLeadMinutes'), { ...byName.get('reminderLeadMinutes'), type: 'integer', min: 0, max: 10080 });
  });

  it('a user without any permission on users sets their own time zone, lead time and language; history names them', async () => {
    const response = await vera.request<{ user: Rec; via: string }>('PATCH', '/api/v1/auth/me', { timeZone: 'Asia/Tokyo', reminderLeadMinutes: 60, locale: 'ru' });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual([response.body.user.timeZone, response.body.user.reminderLeadMinutes, response.body.user.locale], ['Asia/Tokyo', 60, 'ru']);
    assert.equal(response.headers.get('etag'), `"${response.body.user.version}"`);
    assert.equal(response.body.via, 'session');
    const me = await vera.request<{ user: Rec }>('GET', '/api/v1/auth/me');
    assert.equal(me.body.user.timeZone, 'Asia/Tokyo');
    assert.equal((await vera.request('PATCH', `/api/v1/data/user/${vera.id}`, { timeZone: 'Europe/Paris' })).status, 404, 'the records API still follows the role (no access to users)');
    const history = await api.request<{ items: Array<{ by: string; changes: Array<{ field: string }> }> }>('GET', `/api/v1/data/user/${vera.id}/history`);
    assert.equal(history.body.items[0]?.by, vera.id);
    assert.deepEqual(history.body.items[0]?.changes.map((change) => change.field).sort(), ['locale', 'reminderLeadMinutes', 'timeZone']);
  });

  it('refuses an unknown time zone, an offset, and a lead time outside 0..10080 or not whole: 400 with one error per field, nothing changed', async () => {
    const before = await stored(vera.id);
    const cases: Array<[Record<string, unknown>, Array<{ path: string; message: string }>]> = [
      [{ timeZone: 'Mars/Olympus_Mons' }, [{ path: '/timeZone', message: TIME_ZONE_MESSAGE }]],
      [{ timeZone: '+03:00' }, [{ path: '/timeZone', message: TIME_ZONE_MESSAGE }]],
      [{ reminderLeadMinutes: 10081 }, [{ path: '/reminderLeadMinutes', message: 'must be <= 10080' }]],
      [{ reminderLeadMinutes: -1 }, [{ path: '/reminderLeadMinutes', message: 'must be >= 0' }]],
      [{ reminderLeadMinutes: 1.5 }, [{ path: '/reminderLeadMinutes', message: 'must be integer or null' }]],
      [
        { timeZone: 'Nowhere', reminderLeadMinutes: '60' },
        [
          { path: '/timeZone', message: TIME_ZONE_MESSAGE },
          { path: '/reminderLeadMinutes', message: 'must be integer or null' },
        ],
      ],
    ];
    for (const [body, errors] of cases) {
      const response = await vera.request<Problem>('PATCH', '/api/v1/auth/me', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.deepEqual(response.body.errors, errors, JSON.stringify(body));
    }
    const admin = await api.request<Problem>('POST', '/api/v1/data/user', { email: 'x@example.com', name: 'X', password: 'x password 11', timeZone: 'Europe/Moskva' });
    assert.equal(admin.status, 400, 'the same check for administrators');
    assert.deepEqual(admin.body.errors, [{ path: '/timeZone', message: TIME_ZONE_MESSAGE }]);
    assert.deepEqual(await stored(vera.id), before);
  });

  it('changes nothing but own preferences: roles, e-mail, activity, password and unknown keys are refused, nothing changed', async () => {
    const before = await stored(vera.id);
    for (const body of [{ roles: ['admin'] }, { email: 'new@example.com' }, { active: false }, { password: 'a new password 1' }, { manager: api.adminId }, { nickname: 'V' }, { timeZone: 'UTC', roles: [] }]) {
      const response = await vera.request<Problem>('PATCH', '/api/v1/auth/me', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      const refused = Object.keys(body).filter((key) => key !== 'timeZone');
      assert.deepEqual(response.body.errors.map((error) => error.path), refused.map((key) => `/${key}`));
      assert.match(response.body.errors[0]!.message, /is not one of your own preferences/);
    }
    for (const body of [[], 'text', null]) assert.equal((await vera.request('PATCH', '/api/v1/auth/me', body)).status, 400, JSON.stringify(body));
    assert.deepEqual(await stored(vera.id), before);
  });

  it('honours If-Match, and API tokens only with a scope that allows updating users', async () => {
    const current = await vera.request<{ user: Rec }>('GET', '/api/v1/auth/me');
    const stale = await vera.request('PATCH', '/api/v1/auth/me', { reminderLeadMinutes: 30 }, { 'if-match': `"${current.body.user.version - 1}"` });
    assert.equal(stale.status, 409);
    const narrow = await vera.request<{ token: string }>('POST', '/api/v1/auth/tokens', { name: 'reader', scopes: ['*:read'] });
    assert.equal(narrow.status, 201, JSON.stringify(narrow.body));
    assert.equal((await api.as(narrow.body.token)('PATCH', '/api/v1/auth/me', { reminderLeadMinutes: 30 })).status, 403);
    assert.equal((await stored(vera.id))?.reminderLeadMinutes, 60);
    const full = await vera.request<{ token: string }>('POST', '/api/v1/auth/tokens', { name: 'all', scopes: ['*'] });
    const byToken = await api.as(full.body.token)<{ user: Rec; via: string }>('PATCH', '/api/v1/auth/me', { reminderLeadMinutes: 30 }, { 'if-match': `"${current.body.user.version}"` });
    assert.equal(byToken.status, 200, JSON.stringify(byToken.body));
    assert.equal(byToken.body.via, 'token');
    assert.equal((await stored(vera.id))?.reminderLeadMinutes, 30);
    assert.equal((await api.request('PATCH', '/api/v1/auth/me', { reminderLeadMinutes: 5 }, { authorization: '' })).status, 401);
  });
});

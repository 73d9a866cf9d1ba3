/**
 * The notification inbox API: the signed-in user's notifications, newest
 * first, paged; unread filter; mark one / all read; nobody sees or touches
 * another user's notifications; a notification key is created once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { notifyOnce } from '../../core/notifications/notification-store.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { addStaff, type Staff } from '../workers/support/staff.ts';

interface Page {
  items: Array<{ _id: string; title: string; kind: string; readAt: string | null; isRead: boolean; link?: { entity: string; id: string } }>;
  total: number;
  unreadCount: number;
  nextCursor?: string;
}

describe('notifications inbox API', () => {
  let api: TestApi;
  let anna: Staff;
  let boris: Staff;
  const base = Date.parse('2026-11-01T09:00:00Z');

  before(async () => {
    api = await startTestApi();
    anna = await addStaff(api, { name: 'Anna', email: 'anna@example.com' });
    boris = await addStaff(api, { name: 'Boris', email: 'boris@example.com' });
    for (let i = 0; i < 5; i++) {
      await notifyOnce(api.database.db, { key: `test:anna:${i}`, userId: anna.objectId, kind: 'reminder', title: `Anna ${i}`, body: `body ${i}`, link: { entity: 'activity', id: '0123456789abcdef01234567' } }, new Date(base + i * 60_000));
    }
    await notifyOnce(api.database.db, { key: 'test:boris:0', userId: boris.objectId, kind: 'overdue', title: 'Boris 0', body: 'b' }, new Date(base));
  });
  after(async () => api.close());

  it('lists only the signed-in user\'s notifications, newest first, with totals', async () => {
    const page = await anna.request<Page>('GET', '/api/v1/notifications');
    assert.equal(page.status, 200);
    assert.deepEqual(page.body.items.map((item) => item.title), ['Anna 4', 'Anna 3', 'Anna 2', 'Anna 1', 'Anna 0']);
    assert.equal(page.body.total, 5);
    assert.equal(page.body.unreadCount, 5);
    assert.equal(page.body.nextCursor, undefined);
    assert.deepEqual(page.body.items[0]!.link, { entity: 'activity', id: '0123456789abcdef01234567' });
    const forBoris = await boris.request<Page>('GET', '/api/v1/notifications');
    assert.deepEqual(forBoris.body.items.map((item) => item.title), ['Boris 0']);
  });

  it('pages with a cursor and with an offset, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await anna.request<Page>('GET', `/api/v1/notifications?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      seen.push(...page.body.items.map((item) => item.title));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ['Anna 4', 'Anna 3', 'Anna 2', 'Anna 1', 'Anna 0']);
    const third = await anna.request<Page>('GET', '/api/v1/notifications?limit=2&offset=2');
    assert.deepEqual(third.body.items.map((item) => item.title), ['Anna 2', 'Anna 1']);
  });

  it('marks one read (idempotently), filters unread, and refuses other users\' and unknown ids with 404', async () => {
    const all = await anna.request<Page>('GET', '/api/v1/notifications');
    const target = all.body.items.find((item) => item.title === 'Anna 2')!;
    const marked = await anna.request<{ readAt: string; isRead: boolean }>('POST', `/api/v1/notifications/${target._id}/read`);
    assert.equal(marked.status, 200);
    assert.equal(marked.body.isRead, true);
    const again = await anna.request<{ readAt: string }>('POST', `/api/v1/notifications/${target._id}/read`);
    assert.equal(again.body.readAt, marked.body.readAt, 'the first read time is kept');

    const unread = await anna.request<Page>('GET', '/api/v1/notifications?unread=true');
    assert.deepEqual(unread.body.items.map((item) => item.title), ['Anna 4', 'Anna 3', 'Anna 1', 'Anna 0']);
    assert.equal(unread.body.total, 4);
    assert.equal(unread.body.unreadCount, 4);

    const bobsTry = await boris.request('POST', `/api/v1/notifications/${all.body.items[0]!._id}/read`);
    assert.equal(bobsTry.status, 404);
    assert.equal((await anna.request('POST', '/api/v1/notifications/0123456789abcdef01234567/read')).status, 404);
    assert.equal((await anna.request('POST', '/api/v1/notifications/not-an-id/read')).status, 404);
    const stillUnread = await anna.request<Page>('GET', '/api/v1/notifications?unread=true');
    assert.equal(stillUnread.body.total, 4, "Boris's attempt changed nothing");
  });

  it('marks all read for the signed-in user only', async () => {
    const result = await anna.request<{ updated: number }>('POST', '/api/v1/notifications/read-all');
    assert.equal(result.status, 200);
    assert.equal(result.body.updated, 4);
    assert.equal((await anna.request<Page>('GET', '/api/v1/notifications?unread=true')).body.total, 0);
    assert.equal((await boris.request<Page>('GET', '/api/v1/notifications?unread=true')).body.total, 1, "Boris's stay unread");
  });

  it('answers 400 for bad parameters and 401 without a signed-in user', async () => {
    for (const query of ['unread=yes', 'limit=0', 'limit=100000', 'cursor=garbage', 'offset=-1', 'sort=title', 'offset=2&cursor=abc']) {
      const response = await anna.request<{ errors: unknown[] }>('GET', `/api/v1/notifications?${query}`);
      assert.equal(response.status, 400, `${query}: ${JSON.stringify(response.body)}`);
    }
    const anonymous = await api.request('GET', '/api/v1/notifications', undefined, { authorization: '' });
    assert.equal(anonymous.status, 401);
  });

  it('creates a notification key once, however often it is created', async () => {
    const db = api.database.db;
    const results = await Promise.all([0, 1, 2, 3].map(() => notifyOnce(db, { key: 'test:once', userId: anna.objectId, kind: 'reminder', title: 'Once', body: '' }, new Date())));
    assert.deepEqual(results.filter(Boolean).length, 1, 'exactly one call created it');
    assert.equal(await db.collection('_notifications').countDocuments({ key: 'test:once' }), 1);
  });
});

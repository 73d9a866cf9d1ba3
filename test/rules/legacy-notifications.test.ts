/**
 * Notifications that notify actions wrote to `_rule_notifications` before
 * they reached the inbox move into their users' inboxes at start-up (read
 * state kept), once, and the old collection is gone.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { startTestApi, uniqueDbName } from '../support/api.ts';
import { inboxOf } from './inbox.ts';

describe('rule notifications of the old _rule_notifications collection', () => {
  let engine: TestEngine;
  const dbName = uniqueDbName();

  before(async () => {
    engine = await startTestEngine();
  });
  after(async () => engine.dispose());

  it('move into the users\' inboxes at start-up, read state kept, once', async () => {
    const first = await startTestApi({ engine, dbName });
    const adminId = new ObjectId(first.adminId);
    const at = new Date('2026-11-20T10:00:00Z');
    const legacy = first.database.db.collection('_rule_notifications');
    await legacy.insertMany([
      { _id: new ObjectId(), key: 'stalledProposal:schedule:2026-11-20T10:00:00.000Z:abc:u1', userId: adminId, rule: 'stalledProposal', title: 'Silent proposal', body: 'Call them', link: { entity: 'deal', id: '0123456789abcdef01234567' }, createdAt: at, readAt: null },
      { _id: new ObjectId(), key: 'bigDeal:update:deal:def:v2:u1', userId: adminId, rule: 'bigDeal', title: 'Big deal', body: 'Ask for approval', link: { entity: 'deal', id: '0123456789abcdef01234568' }, createdAt: at, readAt: at },
    ]);
    await first.close();

    for (let start = 0; start < 2; start += 1) {
      const api = await startTestApi({ engine, dbName });
      try {
        const inbox = await inboxOf({ request: api.request });
        assert.deepEqual(
          inbox.map((item) => [item.rule, item.title, item.body, item.link?.id, item.isRead, item.createdAt]).sort(),
          [
            ['bigDeal', 'Big deal', 'Ask for approval', '0123456789abcdef01234568', true, at.toISOString()],
            ['stalledProposal', 'Silent proposal', 'Call them', '0123456789abcdef01234567', false, at.toISOString()],
          ],
          `after start ${start + 1}`,
        );
        const collections = await api.database.db.listCollections({ name: '_rule_notifications' }).toArray();
        assert.deepEqual(collections, [], 'the old collection is gone');
      } finally {
        await api.close();
      }
    }
  });
});

/**
 * Test helper: the rule notifications a user sees, read through their
 * inbox (`GET /api/v1/notifications`, every page), newest first.
 */
import assert from 'node:assert/strict';
import type { RequestFn } from '../support/api.ts';

export interface InboxItem {
  _id: string;
  kind: string;
  rule?: string;
  title: string;
  body: string;
  link?: { entity: string; id: string };
  isRead: boolean;
  createdAt: string;
}

export async function inboxOf(member: { request: RequestFn }, rule?: string): Promise<InboxItem[]> {
  const items: InboxItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await member.request<{ items: InboxItem[]; nextCursor?: string }>('GET', `/api/v1/notifications?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items.filter((item) => item.kind === 'rule' && (rule === undefined || item.rule === rule));
}

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ACCOUNT_THROTTLE, decideAttempt, type ThrottlePolicy, type ThrottleState } from '../../core/auth/throttle-policy.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

// Delays long enough that a slow machine still answers the next attempt inside them.
const FAST: ThrottlePolicy = { freeFailures: 3, lockAfter: 6, baseDelayMs: 600, maxDelayMs: 5000, windowMs: 60_000, lockMs: 60_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sign-in throttle: the policy', () => {
  it('allows the free failures, then asks to wait a doubling delay, then locks', () => {
    let state: ThrottleState | null = null;
    let now = new Date('2025-01-01T00:00:00Z');
    const attempt = () => {
      const decision = decideAttempt(state, ACCOUNT_THROTTLE, now);
      if (decision.next) state = decision.next;
      return decision;
    };
    for (let i = 0; i < 5; i++) assert.equal(attempt().isAllowed, true, `free failure ${i + 1}`);
    const slowed = attempt();
    assert.deepEqual([slowed.isAllowed, !slowed.isAllowed && slowed.retryAfterMs, !slowed.isAllowed && slowed.isLocked], [false, 1000, false]);
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const waiting = attempt();
      assert.equal(waiting.isAllowed, false);
      if (!waiting.isAllowed) delays.push(waiting.retryAfterMs);
      now = new Date(now.getTime() + (waiting.isAllowed ? 0 : waiting.retryAfterMs));
      assert.equal(attempt().isAllowed, true);
    }
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000]);
    const locked = attempt();
    assert.equal(locked.isAllowed, false);
    assert.ok(!locked.isAllowed && locked.isLocked && locked.retryAfterMs === ACCOUNT_THROTTLE.lockMs);
    now = new Date(now.getTime() + ACCOUNT_THROTTLE.lockMs - 1);
    assert.equal(attempt().isAllowed, false, 'still locked');
    now = new Date(now.getTime() + 2);
    assert.equal(attempt().isAllowed, true, 'the lock ends and the counter starts over');
  });
});

describe('sign-in throttle over HTTP', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ auth: { throttle: { account: FAST, ip: { ...FAST, freeFailures: 8, lockAfter: 12, baseDelayMs: 5000 } }, trustProxy: true } });
    for (const name of ['victim', 'other', 'third']) {
      assert.equal((await api.request('POST', '/api/v1/data/user', { email: `${name}@example.com`, name, password: `${name} password 1` })).status, 201);
    }
  });
  after(async () => api.close());

  const login = (email: string, password: string, ip = '203.0.113.1') =>
    api.request<{ code: string; locked?: boolean }>('POST', '/api/v1/auth/login', { email, password }, { authorization: '', 'x-forwarded-for': `10.0.0.1, ${ip}` });

  it('slows repeated failures with 429 and Retry-After, then locks even the right password', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await login('victim@example.com', 'wrong')).status, 401);
    const slowed = await login('victim@example.com', 'wrong');
    assert.equal(slowed.status, 429);
    assert.equal(slowed.body.code, 'RATE_LIMITED');
    assert.equal(slowed.headers.get('retry-after'), '1');
    assert.equal(slowed.body.locked, false);
    const evenRight = await login('victim@example.com', 'victim password 1');
    assert.equal(evenRight.status, 429, 'no password is checked while slowed');

    for (const wait of [600, 1200, 2400]) {
      await sleep(wait + 20);
      assert.equal((await login('victim@example.com', 'wrong')).status, 401);
    }
    const locked = await login('victim@example.com', 'victim password 1');
    assert.equal(locked.status, 429);
    assert.equal(locked.body.locked, true);
    assert.equal(locked.headers.get('retry-after'), '60');
    await sleep(1300);
    assert.equal((await login('victim@example.com', 'victim password 1')).status, 429, 'locked for the whole period');

    const audit = await api.request<{ items: Array<{ type: string; email?: string }> }>('GET', '/api/v1/audit?type=auth.locked');
    assert.deepEqual(audit.body.items.map((entry) => entry.email), ['victim@example.com']);
    const failed = await api.request<{ total: number }>('GET', '/api/v1/audit?type=auth.login_failed');
    assert.ok(failed.body.total >= 6);
  });

  it('a successful sign-in resets the account counter', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await login('other@example.com', 'wrong', '203.0.113.2')).status, 401);
    await sleep(650);
    assert.equal((await login('other@example.com', 'other password 1', '203.0.113.2')).status, 200);
    for (let i = 0; i < 3; i++) assert.equal((await login('other@example.com', 'wrong', '203.0.113.2')).status, 401, 'free failures again');
  });

  it('counts per client address across accounts (password spraying)', async () => {
    const ip = '198.51.100.7';
    const emails = Array.from({ length: 8 }, (_, i) => `sprayed${i}@example.com`);
    for (const email of emails) assert.equal((await login(email, 'Summer2025!', ip)).status, 401);
    assert.equal((await login('third@example.com', 'third password 1', ip)).status, 429, 'this address is slowed for every account');
    assert.equal((await login('third@example.com', 'third password 1', '198.51.100.8')).status, 200, 'other addresses are not');
  });

  it('behind a trusted proxy, the cookie is Secure when the client used HTTPS', async () => {
    // A fresh account: "other" ends the reset test with its free failures used up.
    assert.equal((await api.request('POST', '/api/v1/data/user', { email: 'proxied@example.com', name: 'proxied', password: 'proxied password 1' })).status, 201);
    const response = await api.request('POST', '/api/v1/auth/login', { email: 'proxied@example.com', password: 'proxied password 1' }, { authorization: '', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' });
    assert.equal(response.status, 200);
    assert.match(response.headers.getSetCookie().find((line) => line.startsWith('relata_session='))!, /; Secure/);
  });

  it('parallel guesses cannot slip past the count', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => login('third@example.com', 'wrong', '192.0.2.50')));
    const answered = results.filter((result) => result.status === 401).length;
    assert.ok(answered <= FAST.freeFailures + 1, `${answered} guesses were checked`);
    assert.ok(results.every((result) => result.status === 401 || result.status === 429));
  });
});

/**
 * Rule notify actions reach users through the inbox: a `rule` notification
 * in the recipient's language that they read and mark read through the
 * notifications API, created once however often its event is delivered; an
 * e-mail copy sent once by the workers' sweep (a real SMTP server), retried
 * when refused, never for an inbox-only action or a deactivated user.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RecordEvent } from '../../core/events/bus.ts';
import type { ReminderDeps } from '../../core/notifications/reminders/deps.ts';
import { sweepReminders } from '../../core/notifications/reminders/sweep.ts';
import { createEmailPlugin, type EmailPlugin } from '../../plugins/email/index.ts';
import { startSmtpSink, type SmtpSink } from '../email/smtp-sink.ts';
import { create, ok, setUpSalesTeam, startSalesApi, type Member, type Rec, type SalesTeam } from '../pipelines/fixtures.ts';
import type { TestApi } from '../support/api.ts';
import { createCapturingLogger } from '../support/platform.ts';
import { inboxOf } from '../rules/inbox.ts';

const MINUTE = 60_000;

describe('rule notifications in the inbox and by e-mail', () => {
  let api: TestApi;
  let team: SalesTeam;
  let dmitry: Member; // a Russian-speaking seller in north
  let sink: SmtpSink;
  let email: EmailPlugin;
  let deps: ReminderDeps;
  let org: Rec;

  before(async () => {
    api = await startSalesApi();
    team = await setUpSalesTeam(api);
    const user = await ok<Rec>(api.request('POST', '/api/v1/data/user', { email: 'dmitry@example.com', name: 'Дмитрий', password: 'dmitry password 1', roles: ['seller'], directions: ['north'], locale: 'ru' }));
    dmitry = { id: user._id, request: api.as((await api.login('dmitry@example.com', 'dmitry password 1')).token) };
    sink = await startSmtpSink();
    const { logger } = createCapturingLogger();
    email = await createEmailPlugin({ db: api.database.db, smtpUrl: `${sink.url}?from=crm@relata.test`, logger, workerId: 'rule-mail-test' });
    deps = { db: api.database.db, logger, mailer: email.mailer, registry: api.platform.registry };
    const big = { '>': [{ var: 'amount' }, 1000000] };
    await ok(api.request('POST', '/api/v1/meta/rules', {
      name: 'bigDeal',
      label: { en: 'Big deal', ru: 'Крупная сделка' },
      entity: 'deal',
      trigger: { kind: 'record', on: ['update'], fields: ['amount'] },
      condition: big,
      actions: [{ kind: 'notify', to: ['owner'], message: { en: 'Your deal is over 1,000,000: ask for approval', ru: 'Сделка свыше 1 000 000: запросите одобрение' } }],
    }));
    await ok(api.request('POST', '/api/v1/meta/rules', {
      name: 'bigDealQuiet',
      label: { en: 'Big deal (inbox only)' },
      entity: 'deal',
      trigger: { kind: 'record', on: ['update'], fields: ['amount'] },
      condition: big,
      actions: [{ kind: 'notify', to: ['owner'], message: { en: 'Only in the inbox' }, channel: 'inApp' }],
    }));
    org = await create(team.alice.request, 'organization', { name: 'Ромашка' });
  });
  after(async () => {
    email.close();
    await sink.close();
    await api.close();
  });

  const settle = () => api.platform.bus.drain();
  async function bigDealOf(member: Member, title: string): Promise<Rec> {
    const deal = await create(member.request, 'deal', { title, organization: org._id, amount: '500000.00' });
    await ok(member.request('PATCH', `/api/v1/data/deal/${deal._id}`, { amount: '2000000.00' }), 200);
    await settle();
    return deal;
  }
  const mailsTo = (address: string, since: number) => sink.messages.slice(since).filter((message) => message.to.includes(address));

  it('puts a rule notification in the owner\'s inbox, in their language, once however often the event is delivered', async () => {
    const seen: RecordEvent[] = [];
    const unsubscribe = api.platform.bus.subscribe((event) => {
      if (event.entity === 'deal' && event.kind === 'updated' && event.changedFields.includes('amount')) seen.push(event);
    });
    const deal = await bigDealOf(team.alice, 'Turbines');
    const russian = await bigDealOf(dmitry, 'Котлы');
    unsubscribe();

    const [toAlice] = await inboxOf(team.alice, 'bigDeal');
    assert.deepEqual(
      { kind: toAlice?.kind, title: toAlice?.title, body: toAlice?.body, link: toAlice?.link, isRead: toAlice?.isRead },
      { kind: 'rule', title: 'Big deal', body: 'Your deal is over 1,000,000: ask for approval', link: { entity: 'deal', id: deal._id }, isRead: false },
    );
    const [toDmitry] = await inboxOf(dmitry, 'bigDeal');
    assert.deepEqual({ title: toDmitry?.title, body: toDmitry?.body, id: toDmitry?.link?.id }, { title: 'Крупная сделка', body: 'Сделка свыше 1 000 000: запросите одобрение', id: russian._id });
    assert.equal((await inboxOf(team.alice, 'bigDealQuiet')).length, 1, 'an inbox-only notify is in the inbox too');
    assert.deepEqual(await inboxOf(team.bob), [], 'nobody else is told');

    const unread = await team.alice.request<{ unreadCount: number }>('GET', '/api/v1/notifications?unread=true');
    assert.equal(unread.body.unreadCount, 2);
    const marked = await team.alice.request<{ isRead: boolean }>('POST', `/api/v1/notifications/${toAlice!._id}/read`);
    assert.equal(marked.body.isRead, true);

    // At-least-once delivery: the very same events arrive again, together and later.
    for (const event of seen) api.platform.bus.publish(event);
    for (const event of seen) api.platform.bus.publish(event);
    await settle();
    assert.equal((await inboxOf(team.alice, 'bigDeal')).length, 1);
    assert.equal((await inboxOf(dmitry, 'bigDeal')).length, 1);
    assert.equal((await inboxOf(team.alice, 'bigDealQuiet')).length, 1);
  });

  it('mails a copy once through the workers\' sweep, in the user\'s language; an inbox-only notify is not mailed', async () => {
    const since = sink.messages.length;
    const results = await Promise.all(['w1', 'w2'].map((workerId) => sweepReminders({ deps, workerId })));
    await sweepReminders({ deps, workerId: 'w3' });
    assert.equal(results.reduce((sum, result) => sum + (result.emailed.sent ?? 0), 0), 2, JSON.stringify(results));

    const toAlice = mailsTo('alice@example.com', since);
    assert.deepEqual(toAlice.map((message) => message.subject), ['Big deal'], 'one e-mail, and none for the inbox-only rule');
    assert.match(toAlice[0]!.text, /^Hello alice,/);
    assert.match(toAlice[0]!.text, /Your deal is over 1,000,000: ask for approval/);
    const toDmitry = mailsTo('dmitry@example.com', since);
    assert.deepEqual(toDmitry.map((message) => message.subject), ['Крупная сделка']);
    assert.match(toDmitry[0]!.text, /Дмитрий, здравствуйте!/);
    assert.match(toDmitry[0]!.text, /Сделка свыше 1 000 000: запросите одобрение/);
  });

  it('retries a copy the mail server refused, later; a deactivated user gets no e-mail', async () => {
    const since = sink.messages.length;
    await bigDealOf(team.alice, 'Valves');
    sink.refuseNext(451, 'Try again later');
    const refused = await sweepReminders({ deps, workerId: 'w1' });
    assert.deepEqual(refused.emailed, { retry: 1 });
    assert.equal(mailsTo('alice@example.com', since).length, 0);
    assert.deepEqual((await sweepReminders({ deps, workerId: 'w1' })).emailed, {}, 'not before its next attempt is due');
    const later = await sweepReminders({ deps: { ...deps, now: () => new Date(Date.now() + 2 * MINUTE) }, workerId: 'w2' });
    assert.deepEqual(later.emailed, { sent: 1 });
    assert.deepEqual(mailsTo('alice@example.com', since).map((message) => message.subject), ['Big deal']);

    await bigDealOf(dmitry, 'Насосы');
    await ok(api.request('PATCH', `/api/v1/data/user/${dmitry.id}`, { active: false }), 200);
    const skipped = await sweepReminders({ deps, workerId: 'w1' });
    assert.deepEqual(skipped.emailed, { skipped: 1 });
    assert.equal(mailsTo('dmitry@example.com', since).length, 0);
  });
});

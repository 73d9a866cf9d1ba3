import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestApi } from '../support/api.ts';
import { ok, startSalesApi } from '../pipelines/fixtures.ts';

interface Problem {
  status: number;
  errors: Array<{ path: string; message: string }>;
}

const label = (en: string) => ({ en });

describe('rules as metadata: created through the API, bad input refused at definition time', () => {
  let api: TestApi;
  before(async () => {
    api = await startSalesApi();
    await ok(api.request('POST', '/api/v1/meta/entities/deal/fields', { name: 'priority', type: 'enum', label: label('Priority'), options: [{ value: 'normal', label: label('Normal') }, { value: 'high', label: label('High') }] }));
    await ok(api.request('POST', '/api/v1/meta/entities/deal/fields', { name: 'score', type: 'integer', label: label('Score') }));
  });
  after(async () => api.close());

  const rule = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    label: label(name),
    entity: 'deal',
    trigger: { kind: 'record', on: ['update'], fields: ['amount'] },
    condition: { '>': [{ var: 'amount' }, 1000000] },
    actions: [{ kind: 'setField', field: 'priority', value: 'high' }],
    ...extra,
  });
  async function refused(doc: unknown, path: string, message: RegExp): Promise<void> {
    const response = await api.request<Problem>('POST', '/api/v1/meta/rules', doc);
    assert.equal(response.status, 400, JSON.stringify(doc).slice(0, 300));
    assert.ok(response.body.errors.some((e) => e.path.startsWith(path) && message.test(e.message)), `${path} ${message}: ${JSON.stringify(response.body.errors)}`);
    assert.equal((await api.request('GET', `/api/v1/meta/rules/${(doc as { name: string }).name}`)).status, 404, 'nothing was stored');
  }

  it('creates, reads, changes and deletes a rule with revisions; context variables of its trigger are allowed', async () => {
    const created = await ok<{ name: string; revision: number }>(api.request('POST', '/api/v1/meta/rules', rule('bigDeal', { condition: { and: [{ '>': [{ var: 'amount' }, 1000000] }, { '<=': [{ var: '_previous.amount' }, 1000000] }, { in: ['amount', { var: '_changed' }] }, { '<': [{ var: '_daysInStage' }, 30] }] } })));
    assert.equal(created.name, 'bigDeal');
    await ok(api.request('PATCH', '/api/v1/meta/rules/bigDeal', { priority: 5, enabled: false }), 200);
    const revisions = await ok<{ items: unknown[] }>(api.request('GET', '/api/v1/meta/rules/bigDeal/revisions'), 200);
    assert.equal(revisions.items.length, 2);
    await ok(api.request('POST', '/api/v1/meta/rules', { ...rule('onMeeting'), trigger: { kind: 'activity', on: ['complete'], activityTypes: ['meeting'] }, condition: { '==': [{ var: '_activity.type' }, 'meeting'] } }));
    await ok(api.request('POST', '/api/v1/meta/rules', { ...rule('nightly'), trigger: { kind: 'schedule', cron: '30 2 * * 1-5', timezone: 'Europe/Moscow' }, condition: { '>': [{ var: '_daysSinceActivity' }, 30] } }));
    for (const name of ['bigDeal', 'onMeeting', 'nightly']) assert.equal((await api.request('DELETE', `/api/v1/meta/rules/${name}`)).status, 204);
  });

  it('refuses json-logic with unknown operations, oversize or deeply nested expressions, and unknown names', async () => {
    let nested: unknown = { var: 'amount' };
    for (let i = 0; i < 12; i += 1) nested = { '!': [nested] };
    await refused(rule('r1', { condition: { eval: ['process.exit()'] } }), '/condition/eval', /unknown or forbidden operation "eval"/);
    await refused(rule('r2', { condition: { method: [{ var: 'title' }, 'constructor'] } }), '/condition/method', /unknown or forbidden operation/);
    await refused(rule('r3', { condition: { in: [1, Array.from({ length: 600 }, (_, i) => i)] } }), '/condition', /too large/);
    await refused(rule('r4', { condition: nested }), '/condition', /nests deeper than 10 levels/);
    await refused(rule('r5', { condition: { var: 'constructor.prototype' } }), '/condition', /not allowed/);
    await refused(rule('r6', { condition: { '>': [{ var: 'secret' }, 1] } }), '/condition', /reads "secret", which is not a field of deal/);
    await refused(rule('r7', { condition: { '==': [{ var: '_activity.type' }, 'call'] } }), '/condition', /"_activity", which is not a context variable of this trigger/);
    await refused(rule('r8', { condition: { '==': [{ var: '_previous.ghost' }, 1] } }), '/condition', /"_previous.ghost", which is not a field/);
    await refused(rule('r9', { actions: [{ kind: 'setField', field: 'score', expression: { log: [1] } }] }), '/actions/0/expression/log', /unknown or forbidden/);
    await refused(rule('r10', { trigger: { kind: 'schedule', cron: '99 * * * *' } }), '/trigger/cron', /not a valid cron expression/);
    await refused(rule('r11', { trigger: { kind: 'activity', on: ['complete'], activityTypes: ['telegram'] } }), '/trigger/activityTypes/0', /is not an activity type/);
    await refused(rule('r12', { crossDirections: true }), '/crossDirections', /only activity triggers/);
    await refused(rule('r13', { actions: [{ kind: 'createActivity', activityType: 'telegram', subject: label('x') }] }), '/actions/0/activityType', /no activity entity linked to deal has the type "telegram"/);
  });

  it('refuses cycles between enabled rules with a clear 400; a rule re-triggering itself idempotently is fine', async () => {
    // A self-loop through a fixed value or a stage move changes nothing the second time.
    await ok(api.request('POST', '/api/v1/meta/rules', rule('selfConstant', { trigger: { kind: 'record', on: ['update'] }, condition: undefined, actions: [{ kind: 'setField', field: 'priority', value: 'high' }, { kind: 'moveToStage', stage: 'stalled' }] })));
    // It would close a loop with any rule reacting to its changes (pingScore below): out of the way.
    assert.equal((await api.request('DELETE', '/api/v1/meta/rules/selfConstant')).status, 204);
    // A self-loop through a computed value would run again and again.
    await refused(rule('selfCounter', { trigger: { kind: 'record', on: ['update'], fields: ['score'] }, condition: undefined, actions: [{ kind: 'setField', field: 'score', expression: { '+': [{ var: 'score' }, 1] } }] }), '/actions', /loop \(selfCounter → selfCounter\)/);
    // Two rules feeding each other.
    await ok(api.request('POST', '/api/v1/meta/rules', rule('pingScore', { trigger: { kind: 'record', on: ['update'], fields: ['priority'] }, condition: undefined, actions: [{ kind: 'setField', field: 'score', value: 1 }] })));
    const loop = await api.request<Problem>('POST', '/api/v1/meta/rules', rule('pongPriority', { trigger: { kind: 'record', on: ['update'], fields: ['score'] }, condition: undefined, actions: [{ kind: 'setField', field: 'priority', value: 'normal' }] }));
    assert.equal(loop.status, 400);
    assert.deepEqual(loop.body.errors, [{ path: '/actions', message: 'the rules would trigger each other in a loop (pongPriority → pingScore → pongPriority); only a rule re-triggering itself by moving to a stage or setting a field to a fixed value is allowed' }]);
    // Disabled, it may be stored; enabling it closes the loop and is refused, leaving it disabled.
    await ok(api.request('POST', '/api/v1/meta/rules', rule('pongPriority', { enabled: false, trigger: { kind: 'record', on: ['update'], fields: ['score'] }, condition: undefined, actions: [{ kind: 'setField', field: 'priority', value: 'normal' }] })));
    const enabling = await api.request<Problem>('PATCH', '/api/v1/meta/rules/pongPriority', { enabled: true });
    assert.equal(enabling.status, 400);
    assert.match(enabling.body.errors[0].message, /loop/);
    assert.equal((await ok<{ enabled: boolean }>(api.request('GET', '/api/v1/meta/rules/pongPriority'), 200)).enabled, false);
    // Stage moves and activities close loops too: a stage change creating a task whose creation moves the stage.
    await ok(api.request('POST', '/api/v1/meta/rules', rule('taskOnStage', { trigger: { kind: 'record', on: ['stageChange'] }, condition: undefined, actions: [{ kind: 'createActivity', activityType: 'task', subject: label('Follow up') }] })));
    await refused(rule('stageOnTask', { trigger: { kind: 'activity', on: ['create'], activityTypes: ['task'] }, condition: undefined, actions: [{ kind: 'moveToStage', stage: 'meetingHeld' }] }), '/actions', /loop \(stageOnTask → taskOnStage → stageOnTask\)/);
  });

  it('is administrators-only', async () => {
    await ok(api.request('POST', '/api/v1/meta/roles', { name: 'dealer', label: label('Dealer'), permissions: { deal: ['read'] } }));
    await ok(api.request('POST', '/api/v1/data/user', { email: 'dealer@example.com', name: 'dealer', password: 'dealer password 1', roles: ['dealer'] }));
    const dealer = api.as((await api.login('dealer@example.com', 'dealer password 1')).token);
    assert.equal((await dealer('POST', '/api/v1/meta/rules', rule('sneaky'))).status, 403);
    assert.equal((await dealer('GET', '/api/v1/meta/rules')).status, 403);
    assert.equal((await dealer('POST', '/api/v1/meta/rules/pingScore/simulate', {})).status, 403);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RecordEvent } from '../../core/events/bus.ts';
import type { RequestFn, TestApi } from '../support/api.ts';
import { create, ok, setUpSalesTeam, startSalesApi, stored, type Member, type Rec, type SalesTeam } from '../pipelines/fixtures.ts';
import { inboxOf } from './inbox.ts';

const label = (en: string) => ({ en });

describe('record rules fire from real events, once per event, under the depth limit', () => {
  let api: TestApi;
  let team: SalesTeam;
  let headNorth: Member;
  let headSouth: Member;
  let org: Rec;
  let person: Rec;

  before(async () => {
    api = await startSalesApi();
    team = await setUpSalesTeam(api);
    await ok(api.request('POST', '/api/v1/meta/roles', { name: 'headOfSales', label: label('Head of sales'), permissions: { deal: ['read', 'update', 'transition'] } }));
    const head = async (name: string, direction: string): Promise<Member> => {
      const user = await ok<Rec>(api.request('POST', '/api/v1/data/user', { email: `${name}@example.com`, name, password: `${name} password 1`, roles: ['headOfSales'], directions: [direction] }));
      return { id: user._id, request: api.as((await api.login(`${name}@example.com`, `${name} password 1`)).token) };
    };
    headNorth = await head('hanna', 'north');
    headSouth = await head('sergey', 'south');
    await ok(api.request('POST', '/api/v1/meta/entities/deal/fields', { name: 'priority', type: 'enum', label: label('Priority'), options: [{ value: 'normal', label: label('Normal') }, { value: 'high', label: label('High') }] }));
    org = await create(team.alice.request, 'organization', { name: 'Ромашка' });
    person = await create(team.alice.request, 'person', { lastName: 'Иванова' });
  });
  after(async () => api.close());

  const rule = (doc: Record<string, unknown>) => ok(api.request('POST', '/api/v1/meta/rules', { label: label(String(doc.name)), entity: 'deal', ...doc }));
  const settle = () => api.platform.bus.drain();
  const runsOf = (name: string) => api.database.db.collection('_rule_runs').find({ rule: name }).toArray();

  it('an update of the watched field fires the rule: the field is set as the system, named in history, and only heads who may see the deal are told', async () => {
    await rule({
      name: 'bigDealFlag',
      trigger: { kind: 'record', on: ['update'], fields: ['amount'] },
      condition: { '>': [{ var: 'amount' }, 1000000] },
      actions: [{ kind: 'setField', field: 'priority', value: 'high' }, { kind: 'notify', to: ['role:headOfSales', 'owner'], message: { en: 'A big deal needs your approval', ru: 'Крупная сделка ждёт одобрения' } }],
    });
    const deal = await create(team.alice.request, 'deal', { title: 'Turbines', organization: org._id, amount: '500000.00' });
    await ok(team.alice.request('PATCH', `/api/v1/data/deal/${deal._id}`, { title: 'Turbines, phase 1' }), 200);
    await settle();
    assert.equal((await stored(api, 'deal', deal._id))?.priority, undefined, 'a change of another field does not fire it');
    await ok(team.alice.request('PATCH', `/api/v1/data/deal/${deal._id}`, { amount: '2500000.00' }), 200);
    await settle();
    const after = await ok<Rec>(team.alice.request('GET', `/api/v1/data/deal/${deal._id}`), 200);
    assert.equal(after.priority, 'high');
    const history = await ok<{ items: Array<{ by: string | null; rule?: string; changes: Array<{ field: string }> }> }>(team.alice.request('GET', `/api/v1/data/deal/${deal._id}/history`), 200);
    assert.deepEqual({ by: history.items[0].by, rule: history.items[0].rule, fields: history.items[0].changes.map((c) => c.field) }, { by: null, rule: 'bigDealFlag', fields: ['priority'] });
    assert.equal((await inboxOf(headNorth)).length, 1, 'the head of sales in north is told');
    assert.equal((await inboxOf(headSouth)).length, 0, 'the head of sales in south never hears of a north deal');
    const [toAlice] = await inboxOf(team.alice);
    assert.deepEqual({ rule: toAlice?.rule, title: toAlice?.title, isRead: toAlice?.isRead }, { rule: 'bigDealFlag', title: 'bigDealFlag', isRead: false });
    assert.equal(toAlice?.body, 'A big deal needs your approval');
    assert.deepEqual(toAlice?.link, { entity: 'deal', id: deal._id });
  });

  it('fires at most once per event: delivering the same event again changes nothing', async () => {
    // Creating an activity is not idempotent by itself: only the claim keeps a second delivery from adding another.
    await rule({ name: 'bigDealCall', trigger: { kind: 'record', on: ['update'], fields: ['amount'] }, condition: { '>': [{ var: 'amount' }, 1000000] }, actions: [{ kind: 'createActivity', activityType: 'call', subject: { en: 'Call about the big deal' } }] });
    const seen: RecordEvent[] = [];
    const unsubscribe = api.platform.bus.subscribe((event) => {
      if (event.entity === 'deal' && event.kind === 'updated' && event.changedFields.includes('amount')) seen.push(event);
    });
    const deal = await create(team.alice.request, 'deal', { title: 'Boilers', organization: org._id, amount: '100.00' });
    await ok(team.alice.request('PATCH', `/api/v1/data/deal/${deal._id}`, { amount: '3000000.00' }), 200);
    await settle();
    unsubscribe();
    const event = seen.find((candidate) => candidate.id === deal._id)!;
    const calls = () => api.database.db.collection('activity').countDocuments({ subject: 'Call about the big deal' });
    assert.equal(await calls(), 1);
    const before = { record: await stored(api, 'deal', deal._id), runs: (await runsOf('bigDealFlag')).length, told: (await inboxOf(headNorth)).length, calls: await calls() };
    // Agenda-style at-least-once delivery: the very same event arrives twice more, at once and later.
    api.platform.bus.publish(event);
    api.platform.bus.publish(event);
    await settle();
    assert.deepEqual({ record: await stored(api, 'deal', deal._id), runs: (await runsOf('bigDealFlag')).length, told: (await inboxOf(headNorth)).length, calls: await calls() }, before);
    assert.equal((await api.request('DELETE', '/api/v1/meta/rules/bigDealCall')).status, 204);
  });

  it('create, stage change and delete triggers fire; a stage change creates a follow-up activity for the deal in its direction', async () => {
    await rule({ name: 'defaultPriority', trigger: { kind: 'record', on: ['create'] }, condition: { '!': [{ var: 'priority' }] }, actions: [{ kind: 'setField', field: 'priority', value: 'normal' }], priority: -1 });
    await rule({ name: 'wonThankYou', trigger: { kind: 'record', on: ['stageChange'] }, condition: { '==': [{ var: 'stage' }, 'won'] }, actions: [{ kind: 'createActivity', activityType: 'task', subject: { en: 'Send a thank-you letter' }, dueInDays: 1, assignTo: 'owner' }] });
    await rule({ name: 'deletedNotice', trigger: { kind: 'record', on: ['delete'] }, actions: [{ kind: 'notify', to: ['owner'], message: { en: 'Your deal was deleted' } }] });
    const deal = await create(team.alice.request, 'deal', { title: 'Valves', organization: org._id, contactPerson: person._id, amount: '900000.00', expectedCloseDate: '2027-02-01' });
    await settle();
    assert.equal((await stored(api, 'deal', deal._id))?.priority, 'normal');
    for (const stage of ['meetingHeld', 'proposal', 'contract', 'won']) await ok(team.alice.request('POST', `/api/v1/data/deal/${deal._id}/transition`, { stage }), 200);
    await settle();
    const tasks = await api.database.db.collection('activity').find({ subject: 'Send a thank-you letter' }).toArray();
    assert.equal(tasks.length, 1, 'only the move to won creates it');
    const [task] = tasks;
    assert.deepEqual(
      { type: task?.type, status: task?.status, organization: String(task?.organization), person: String(task?.person), owner: String(task?.owner), direction: task?.direction },
      { type: 'task', status: 'planned', organization: org._id, person: person._id, owner: team.alice.id, direction: 'north' },
    );
    assert.ok(Math.abs((task?.plannedStart as Date).getTime() - (Date.now() + 86_400_000)) < 120_000, 'due in one day');
    const before = (await inboxOf(team.alice)).length;
    assert.equal((await team.alice.request('DELETE', `/api/v1/data/deal/${deal._id}`)).status, 403, 'sellers may not delete');
    assert.equal((await api.request('DELETE', `/api/v1/data/deal/${deal._id}`)).status, 204);
    await settle();
    assert.equal((await inboxOf(team.alice, 'deletedNotice')).length, 1);
    assert.equal((await inboxOf(team.alice)).length, before + 1);
    for (const name of ['defaultPriority', 'wonThankYou', 'deletedNotice']) await api.request('DELETE', `/api/v1/meta/rules/${name}`);
  });

  it('cuts a chain of rule-caused events at depth 5 and reports it', async () => {
    const fields = Array.from({ length: 7 }, (_, i) => ({ name: `s${i + 1}`, type: 'integer', label: label(`Step ${i + 1}`) }));
    await ok(api.request('POST', '/api/v1/meta/entities', { name: 'chain', label: label('Chain'), fields }));
    for (let i = 1; i <= 6; i += 1) {
      await ok(api.request('POST', '/api/v1/meta/rules', { name: `step${i}`, label: label(`Step ${i}`), entity: 'chain', trigger: { kind: 'record', on: ['update'], fields: [`s${i}`] }, actions: [{ kind: 'setField', field: `s${i + 1}`, value: 1 }] }));
    }
    const record = await ok<Rec>(api.request('POST', '/api/v1/data/chain', {}));
    await ok(api.request('PATCH', `/api/v1/data/chain/${record._id}`, { s1: 1 }), 200);
    await settle();
    const after = await stored(api, 'chain', record._id);
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((i) => after?.[`s${i}`] ?? null), [1, 1, 1, 1, 1, 1, null], 'five rules acted; the sixth was cut');
    const reports = await ok<{ items: Array<{ kind: string; entity: string; recordId: string; depth: number; rules: string[] }> }>(api.request('GET', '/api/v1/meta/rule-reports'), 200);
    assert.deepEqual(reports.items.map(({ kind, entity, recordId, depth, rules }) => ({ kind, entity, recordId, depth, rules })), [{ kind: 'depthLimit', entity: 'chain', recordId: record._id, depth: 5, rules: ['step6'] }]);
  });
});

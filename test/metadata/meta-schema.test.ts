import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMetaSchema, metaSchema } from '../../core/metadata/meta-schema.ts';
import { COMPUTED_RESULT_TYPES, FIELD_TYPES, ROLE_ACTIONS } from '../../core/metadata/types.ts';
import { gadget } from './fixtures.ts';

type Json = Record<string, any>;

test('the meta-schemas list exactly the types and actions the TypeScript model knows', () => {
  const field = metaSchema('field') as Json;
  assert.deepEqual([...field.properties.type.enum].sort(), [...FIELD_TYPES].sort());
  assert.deepEqual([...field.properties.resultType.enum].sort(), [...COMPUTED_RESULT_TYPES].sort());
  assert.deepEqual((metaSchema('role') as Json).$defs.actions.items.enum, [...ROLE_ACTIONS]);
  // one if/then per field type, so no type silently accepts every option
  assert.deepEqual(field.allOf.map((b: Json) => b.if.properties.type.const).sort(), [...FIELD_TYPES].sort());
});

test('accepts a full entity with a field of every type', () => {
  assert.deepEqual(checkMetaSchema('entity', gadget()), []);
});

test('refuses options that do not belong to the field type, naming the type', () => {
  const errors = checkMetaSchema('field', { name: 'rating', type: 'number', label: { en: 'R' }, pattern: '^x$', options: [] });
  assert.deepEqual(errors, [
    { path: '/pattern', message: 'is not allowed for a number field' },
    { path: '/options', message: 'is not allowed for a number field' },
  ]);
  const computed = checkMetaSchema('field', { name: 'c', type: 'computed', label: { en: 'C' }, required: true, default: 1 });
  assert.deepEqual(computed.map((e) => e.path).sort(), ['/default', '/expression', '/required', '/resultType']);
});

test('an unknown field type is one clear error, without noise about its options', () => {
  const errors = checkMetaSchema('entity', { name: 'e', label: { en: 'E' }, fields: [{ name: 'a', type: 'colour', label: { en: 'A' }, min: 1 }] });
  assert.equal(errors.length, 1);
  assert.equal(errors[0].path, '/fields/0/type');
  assert.match(errors[0].message, /^must be one of: "text"/);
});

test('refuses bad names, labels, colours and unknown keys with JSON-Pointer paths', () => {
  const errors = checkMetaSchema('entity', {
    name: 'Bad-Name',
    label: { en: '', de: 'x' },
    fields: [{ name: 's', type: 'enum', label: { en: 'S' }, options: [{ value: 'a b', label: { en: 'A' }, color: 'red' }] }],
    features: { owner: 'yes' },
    indexes: [{ keys: { 'a.b': 1, rating: 2 } }],
    surprise: true,
  });
  const paths = errors.map((e) => e.path);
  assert.deepEqual(paths.sort(), [
    '/features/owner',
    '/fields/0/options/0/color',
    '/fields/0/options/0/value',
    '/indexes/0/keys/a.b',
    '/indexes/0/keys/rating',
    '/label/de',
    '/label/en',
    '/name',
    '/surprise',
  ]);
  assert.ok(errors.some((e) => e.path === '/indexes/0/keys/a.b' && /is not a valid name/.test(e.message)));
  assert.ok(errors.some((e) => e.path === '/name' && e.message.includes('^[a-z][a-zA-Z0-9]*$')));
});

test('a name longer than 64 characters is refused', () => {
  const errors = checkMetaSchema('direction', { name: 'a'.repeat(65), label: { en: 'A' } });
  assert.deepEqual(errors, [{ path: '/name', message: 'must NOT have more than 64 characters' }]);
});

test('roles: short and long permission forms, own and field restrictions', () => {
  const good = {
    name: 'sales',
    label: { en: 'Sales', ru: 'Продажи' },
    allDirections: false,
    permissions: {
      gadget: ['read', 'create', 'update'],
      deal: { actions: ['read', 'update', 'transition'], own: 'owner', fields: { margin: { read: false }, amount: { write: false } } },
      '*': ['read'],
    },
  };
  assert.deepEqual(checkMetaSchema('role', good), []);
  const bad = checkMetaSchema('role', {
    name: 'x',
    label: { en: 'X' },
    permissions: { gadget: ['fly'], deal: { actions: ['read'], own: 'boss', fields: { amount: {} } }, $where: [] },
  });
  assert.deepEqual(bad.map((e) => e.path).sort(), ['/permissions/$where', '/permissions/deal/fields/amount', '/permissions/deal/own', '/permissions/gadget/0']);
});

test('pipelines: stages with kind, probability, required fields and next', () => {
  const good = {
    name: 'sales',
    label: { en: 'Sales' },
    entity: 'deal',
    stages: [
      { name: 'lead', label: { en: 'Lead' }, kind: 'open', probability: 10, next: ['won', 'lost'], targetDwellDays: 7, color: '#abc' },
      { name: 'won', label: { en: 'Won' }, kind: 'won', requiredFields: ['amount'] },
      { name: 'lost', label: { en: 'Lost' }, kind: 'lost' },
    ],
  };
  assert.deepEqual(checkMetaSchema('pipeline', good), []);
  const bad = checkMetaSchema('pipeline', { ...good, stages: [{ name: 'x', label: { en: 'X' }, kind: 'maybe', probability: 120 }] });
  assert.deepEqual(bad.map((e) => e.path).sort(), ['/stages/0/kind', '/stages/0/probability']);
  assert.deepEqual(checkMetaSchema('pipeline', { ...good, stages: [] })[0].path, '/stages');
});

test('rules: trigger and action options depend on their kind', () => {
  const good = {
    name: 'bigDeal',
    label: { en: 'Big deal' },
    entity: 'deal',
    trigger: { kind: 'record', on: ['create', 'update'], fields: ['amount'] },
    condition: { '>': [{ var: 'amount' }, 1000] },
    actions: [
      { kind: 'setField', field: 'priority', value: 'high' },
      { kind: 'moveToStage', stage: 'review' },
      { kind: 'createActivity', activityType: 'call', subject: { en: 'Call them' }, dueInDays: 1, assignTo: 'owner' },
      { kind: 'notify', to: ['owner', 'role:manager'], message: { en: 'Big deal' }, channel: 'email' },
    ],
    enabled: true,
    priority: 10,
  };
  assert.deepEqual(checkMetaSchema('rule', good), []);
  assert.deepEqual(checkMetaSchema('rule', { ...good, trigger: { kind: 'schedule', cron: '0 9 * * 1-5', timezone: 'Europe/Moscow' } }), []);
  const bad = checkMetaSchema('rule', {
    ...good,
    trigger: { kind: 'record', on: ['create'], cron: '* * * * *' },
    actions: [{ kind: 'notify', to: ['everyone'], message: { en: 'x' }, stage: 'x' }, { kind: 'explode' }],
  });
  const byPath = (a: { path: string }, b: { path: string }) => a.path.localeCompare(b.path);
  assert.deepEqual(bad.sort(byPath), [
    { path: '/actions/0/stage', message: 'is not allowed when kind is "notify"' },
    { path: '/actions/0/to/0', message: 'must match pattern "^(owner|creator|role:[a-z][a-zA-Z0-9]{0,63})$"' },
    { path: '/actions/1/kind', message: 'must be one of: "moveToStage", "setField", "createActivity", "notify"' },
    { path: '/trigger/cron', message: 'is not allowed when kind is "record"' },
  ]);
  assert.equal(checkMetaSchema('rule', { ...good, trigger: { kind: 'schedule', cron: 'every day' } })[0].path, '/trigger/cron');
});

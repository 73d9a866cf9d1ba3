import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateMetadata, type MetadataContext } from '../../core/metadata/validate-metadata.ts';
import type { EntityDefinition, PipelineDefinition, RoleDefinition } from '../../core/metadata/types.ts';
import { field, label } from './fixtures.ts';

const deal: EntityDefinition = {
  name: 'deal',
  label: label('Deal'),
  features: { owner: true, pipeline: 'sales' },
  fields: [
    field('title', 'text', { required: true }),
    field('amount', 'money', { min: 0 }),
    field('priority', 'enum', { options: [{ value: 'low', label: label('Low') }, { value: 'high', label: label('High') }] }),
    field('weighted', 'computed', { expression: { var: 'amount' }, resultType: 'money' }),
    field('old', 'text', { retired: true }),
  ],
};
const note: EntityDefinition = { name: 'note', label: label('Note'), fields: [field('body', 'longtext')] };
const sales: PipelineDefinition = {
  name: 'sales',
  label: label('Sales'),
  entity: 'deal',
  stages: [
    { name: 'lead', label: label('Lead'), kind: 'open', next: ['proposal', 'lost'] },
    { name: 'proposal', label: label('Proposal'), kind: 'open', requiredFields: ['amount'] },
    { name: 'won', label: label('Won'), kind: 'won', probability: 100 },
    { name: 'lost', label: label('Lost'), kind: 'lost' },
  ],
};
const manager: RoleDefinition = { name: 'manager', label: label('Manager'), permissions: { deal: ['read'] } };
const ctx: MetadataContext = {
  entities: new Map([['deal', deal], ['note', note]]),
  pipelines: new Map([['sales', sales]]),
  roles: new Map([['manager', manager]]),
};
const errorsOf = (kind: Parameters<typeof validateMetadata>[0], doc: unknown) => validateMetadata(kind, doc, ctx);

test('pipelines: valid stages pass', () => {
  assert.deepEqual(errorsOf('pipeline', sales), []);
});

test('pipelines: duplicate names, unknown next, closed first stage, unreachable stages, unknown fields', () => {
  const bad: PipelineDefinition = {
    ...sales,
    stages: [
      { name: 'lead', label: label('Lead'), kind: 'won', next: ['ghost', 'lead', 'lost'] },
      // next: [] makes a stage final (without next a stage may lead anywhere, island included)
      { name: 'lost', label: label('Lost'), kind: 'lost', requiredFields: ['reason', 'old'], next: [] },
      { name: 'lost', label: label('Lost again'), kind: 'lost', next: [] },
      { name: 'island', label: label('Island'), kind: 'open', next: ['lead'] },
    ],
  };
  assert.deepEqual(errorsOf('pipeline', bad), [
    { path: '/stages/2/name', message: 'duplicates the name of stage 1 ("lost")' },
    { path: '/stages/0/next/0', message: 'names no stage of the pipeline ("ghost")' },
    { path: '/stages/0/next/1', message: 'a stage cannot lead to itself' },
    { path: '/stages/0/kind', message: 'the first stage is where new records start; it must be open' },
    { path: '/stages/3', message: 'no stage leads to "island"' },
    { path: '/stages/1/requiredFields/0', message: 'names no field of deal ("reason")' },
    { path: '/stages/1/requiredFields/1', message: 'names no field of deal ("old")' },
  ]);
  assert.deepEqual(errorsOf('pipeline', { ...sales, entity: 'ghost' }), [{ path: '/entity', message: 'names an unknown entity "ghost"' }]);
});

const rule = {
  name: 'bigDeal',
  label: label('Big deal'),
  entity: 'deal',
  trigger: { kind: 'record', on: ['create', 'update', 'stageChange'], fields: ['amount'] },
  condition: { '>': [{ var: 'amount' }, 1000] },
  actions: [
    { kind: 'setField', field: 'priority', value: 'high' },
    { kind: 'setField', field: 'title', expression: { cat: ['Big: ', { var: 'title' }] } },
    { kind: 'moveToStage', stage: 'proposal' },
    { kind: 'notify', to: ['owner', 'role:manager'], message: { en: 'Big deal' } },
    { kind: 'createActivity', activityType: 'call', subject: { en: 'Call' }, assignTo: 'owner' },
  ],
};

test('rules: a rule that fits its entity passes', () => {
  assert.deepEqual(errorsOf('rule', rule), []);
  assert.deepEqual(errorsOf('rule', { ...rule, trigger: { kind: 'schedule', cron: '0 9 * * 1-5', timezone: 'Europe/Moscow' } }), []);
});

test('rules: unknown entity, fields, stages, roles and unsafe logic are refused with paths', () => {
  assert.deepEqual(errorsOf('rule', { ...rule, entity: 'ghost' }), [{ path: '/entity', message: 'names an unknown entity "ghost"' }]);
  const bad = {
    ...rule,
    entity: 'deal',
    trigger: { kind: 'record', on: ['update'], fields: ['ghost'] },
    condition: { '>': [{ var: 'secret' }, 1] },
    actions: [
      { kind: 'setField', field: 'priority', value: 'urgent' },
      { kind: 'setField', field: 'weighted', value: '1.00' },
      { kind: 'setField', field: 'amount', value: '1.00', expression: 1 },
      { kind: 'setField', field: 'title', value: null },
      { kind: 'moveToStage', stage: 'nowhere' },
      { kind: 'notify', to: ['role:boss'], message: { en: 'x' } },
      { kind: 'setField', field: 'amount', expression: { method: [{ var: 'amount' }, 'valueOf'] } },
    ],
  };
  assert.deepEqual(errorsOf('rule', bad), [
    { path: '/actions/6/expression/method', message: 'unknown or forbidden operation "method"' },
    { path: '/trigger/fields/0', message: 'names no field of deal ("ghost")' },
    { path: '/condition', message: 'reads "secret", which is not a field of deal' },
    { path: '/actions/0/value', message: 'must be one of: "low", "high"' },
    { path: '/actions/1/field', message: '"weighted" is computed and cannot be set' },
    { path: '/actions/2', message: 'give exactly one of value and expression' },
    { path: '/actions/3/value', message: '"title" is required and cannot be cleared' },
    { path: '/actions/4/stage', message: 'names no stage of the pipeline "sales" ("nowhere")' },
    { path: '/actions/5/to/0', message: 'names an unknown role "boss"' },
  ]);
});

test('rules: features the entity lacks, and unknown time zones', () => {
  const onNote = { ...rule, entity: 'note', trigger: { kind: 'record', on: ['stageChange'] }, condition: undefined, actions: [{ kind: 'moveToStage', stage: 'x' }, { kind: 'notify', to: ['owner'], message: { en: 'x' } }] };
  assert.deepEqual(errorsOf('rule', onNote), [
    { path: '/trigger/on', message: 'note has no pipeline, so its stage never changes' },
    { path: '/actions/0/stage', message: 'note has no pipeline' },
    { path: '/actions/1/to/0', message: 'note records have no owner' },
  ]);
  assert.deepEqual(errorsOf('rule', { ...rule, trigger: { kind: 'schedule', cron: '* * * * *', timezone: 'Mars/Olympus' } }), [
    { path: '/trigger/timezone', message: '"Mars/Olympus" is not a known time zone' },
  ]);
});

test('roles: permissions name known entities, own needs an owner, field restrictions name fields', () => {
  const good = { name: 'sales', label: label('Sales'), permissions: { deal: { actions: ['read', 'update'], own: 'owner', fields: { amount: { write: false } } }, '*': ['read'] } };
  assert.deepEqual(errorsOf('role', good), []);
  const bad = {
    name: 'sales',
    label: label('Sales'),
    permissions: { ghost: ['read'], note: { actions: ['read'], own: 'team' }, deal: { actions: ['read'], fields: { margin: { read: false } } }, '*': { actions: ['read'], fields: { x: { read: false } } } },
  };
  assert.deepEqual(errorsOf('role', bad), [
    { path: '/permissions/ghost', message: 'names an unknown entity "ghost"' },
    { path: '/permissions/note/own', message: 'note records have no owner, so "own" cannot apply' },
    { path: '/permissions/deal/fields/margin', message: 'names no field of deal ("margin")' },
    { path: '/permissions/*/fields', message: 'field restrictions need a named entity, not "*"' },
  ]);
});

test('directions and every kind report meta-schema errors first', () => {
  assert.deepEqual(errorsOf('direction', { name: 'north', label: { en: 'North', ru: 'Север' } }), []);
  assert.deepEqual(errorsOf('direction', { name: 'North', label: { en: 'North' }, extra: 1 }).map((e) => e.path), ['/extra', '/name']);
  assert.deepEqual(errorsOf('rule', { name: 'x' }).map((e) => e.path).sort(), ['/actions', '/entity', '/label', '/trigger']);
});

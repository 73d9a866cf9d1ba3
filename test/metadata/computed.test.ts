import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal128, ObjectId } from 'mongodb';
import { computeFields, fieldsToRecompute } from '../../core/metadata/computed.ts';
import type { EntityDefinition, FieldDefinition } from '../../core/metadata/types.ts';
import { field, label } from './fixtures.ts';

const computed = (name: string, resultType: FieldDefinition['resultType'], expression: unknown, extra: Partial<FieldDefinition> = {}) =>
  field(name, 'computed', { resultType, expression, ...extra });

const deal = (extra: FieldDefinition[] = []): EntityDefinition => ({
  name: 'deal',
  label: label('Deal'),
  fields: [
    field('amount', 'money'),
    field('probability', 'integer'),
    field('closeDate', 'date'),
    field('title', 'text'),
    // declared before the field it reads: evaluation follows dependencies, not declaration order
    computed('weightedLabel', 'text', { cat: [{ var: 'title' }, ': ', { var: 'weighted' }] }),
    computed('weighted', 'money', { '*': [{ var: 'amount' }, { '/': [{ var: 'probability' }, 100] }] }),
    computed('isBig', 'boolean', { '>': [{ var: 'amount' }, 10000] }),
    ...extra,
  ],
});

test('computes in dependency order over a record in JSON form', () => {
  const { values, errors } = computeFields(deal(), { title: 'Acme', amount: '20000.50', probability: 40 });
  assert.deepEqual(errors, []);
  assert.deepEqual(values, { weighted: '8000.20', weightedLabel: 'Acme: 8000.20', isBig: true });
});

test('reads stored BSON values the same way as their JSON form', () => {
  const stored = { _id: new ObjectId(), title: 'Acme', amount: Decimal128.fromString('20000.50'), probability: 40, closeDate: new Date('2024-05-01T00:00:00Z') };
  const def = deal([computed('closeMonth', 'text', { substr: [{ var: 'closeDate' }, 0, 7] }), computed('id', 'text', { var: '_id' })]);
  const { values } = computeFields(def, stored);
  assert.equal(values.weighted, '8000.20');
  assert.equal(values.closeMonth, '2024-05');
  assert.equal(values.id, stored._id.toHexString());
});

test('coerces results to the result type, and reports what does not fit as null', () => {
  const def: EntityDefinition = {
    name: 'x',
    label: label('X'),
    fields: [
      field('n', 'number'),
      computed('rounded', 'integer', { '/': [{ var: 'n' }, 3] }),
      computed('due', 'date', { cat: ['2024-02-', '10T15:00:00Z'] }),
      computed('at', 'datetime', '2024-02-10T15:00:00+03:00'),
      computed('level', 'enum', { if: [{ '>': [{ var: 'n' }, 5] }, 'high', 'odd'] }, { options: [{ value: 'high', label: label('High') }] }),
      computed('ratio', 'number', { '/': [1, 0] }),
      computed('word', 'text', { var: 'missing' }),
      computed('flag', 'boolean', { var: 'n' }),
    ],
  };
  const { values, errors } = computeFields(def, { n: 10 });
  assert.deepEqual(values, { rounded: 3, due: '2024-02-10', at: '2024-02-10T12:00:00.000Z', level: 'high', ratio: null, word: null, flag: true });
  assert.deepEqual(errors, [{ path: '/ratio', message: 'the expression gave Infinity, which is not a valid number' }]);
  const low = computeFields(def, { n: 1 });
  assert.equal(low.values.level, null);
  assert.match(low.errors.find((e) => e.path === '/level')?.message ?? '', /not a valid option/);
});

test('an expression that fails to evaluate gives null and an error, never an exception', () => {
  const def = deal([computed('bad', 'text', { in: ['a', { var: 'title' }] })]);
  const doubling = { reduce: [{ var: 'tags' }, { cat: [{ var: 'accumulator' }, { var: 'accumulator' }] }, 'xx'] };
  const heavy: EntityDefinition = { name: 'h', label: label('H'), fields: [field('tags', 'json'), computed('boom', 'text', doubling)] };
  const { values, errors } = computeFields(heavy, { tags: Array.from({ length: 64 }, (_, i) => i) });
  assert.equal(values.boom, null);
  assert.match(errors[0].message, /too much work/);
  assert.doesNotThrow(() => computeFields(def, { title: { indexOf: 1 } }));
});

test('fieldsToRecompute names changed computed fields and those that read them', () => {
  const before = deal();
  const after = deal();
  assert.deepEqual(fieldsToRecompute(before, after), []);
  after.fields = after.fields.map((f) => (f.name === 'weighted' ? { ...f, expression: { '*': [{ var: 'amount' }, 0.5] } } : f));
  assert.deepEqual(fieldsToRecompute(before, after), ['weighted', 'weightedLabel']);
  const added = deal([computed('fresh', 'number', 1)]);
  assert.deepEqual(fieldsToRecompute(before, added), ['fresh']);
  const relabelled = deal();
  relabelled.fields = relabelled.fields.map((f) => ({ ...f, label: label('Other') }));
  assert.deepEqual(fieldsToRecompute(before, relabelled), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Query } from 'mingo';
import { changeImpactFilter } from '../../core/metadata/change-impact.ts';
import type { FieldDefinition } from '../../core/metadata/types.ts';
import { field, label } from './fixtures.ts';

// Records as a driver returns them, with the value types mingo matches like MongoDB does.
const records = [
  { _id: 'missing' },
  { _id: 'null', f: null },
  { _id: 'text', f: 'hello' },
  { _id: 'digits', f: '12345' },
  { _id: 'email', f: 'a@example.com' },
  { _id: 'int', f: 3 },
  { _id: 'big', f: 42 },
  { _id: 'float', f: 2.5 },
  { _id: 'bool', f: true },
  { _id: 'date', f: new Date('2024-01-01T00:00:00Z') },
  { _id: 'list', f: ['a', 'b'] },
  { _id: 'mixed', f: ['a', 1] },
];

/** The records a change would invalidate (ids), or [] when the change needs no check. */
function invalidated(before: FieldDefinition, after: FieldDefinition): string[] {
  const filter = changeImpactFilter(before, after);
  if (!filter) return [];
  return new Query(filter).find(records).all().map((r) => String((r as { _id: unknown })._id)).sort();
}

const f = (type: FieldDefinition['type'], extra: Partial<FieldDefinition> = {}) => field('f', type, extra);
const options = (...values: string[]) => values.map((value) => ({ value, label: label(value) }));

test('changes that cannot invalidate anything need no check', () => {
  assert.equal(changeImpactFilter(f('text'), f('text', { label: { en: 'Renamed' } })), undefined);
  assert.equal(changeImpactFilter(f('number', { min: 1 }), f('number')), undefined);
  assert.equal(changeImpactFilter(f('text', { required: true }), f('text')), undefined);
  assert.equal(changeImpactFilter(f('text'), f('longtext')), undefined);
  assert.equal(changeImpactFilter(f('text'), f('text', { retired: true })), undefined);
  assert.equal(changeImpactFilter(f('number'), f('computed', { expression: 1, resultType: 'number' })), undefined);
  assert.equal(changeImpactFilter(f('enum', { options: options('a') }), f('enum', { options: options('a', 'b') })), undefined);
});

test('becoming required matches records where the value is missing or null', () => {
  assert.deepEqual(invalidated(f('text'), f('text', { required: true })), ['missing', 'null']);
});

test('a type change matches values stored as another type, arrays included', () => {
  assert.deepEqual(invalidated(f('text'), f('number')), ['bool', 'date', 'digits', 'email', 'list', 'mixed', 'text']);
  assert.deepEqual(invalidated(f('json'), f('boolean')), ['big', 'date', 'digits', 'email', 'float', 'int', 'list', 'mixed', 'text']);
  assert.deepEqual(invalidated(f('number'), f('datetime')), ['big', 'bool', 'digits', 'email', 'float', 'int', 'list', 'mixed', 'text']);
  assert.deepEqual(invalidated(f('text'), f('multienum', { options: options('a', 'b') })), [
    'big', 'bool', 'date', 'digits', 'email', 'float', 'int', 'mixed', 'text',
  ]);
});

test('number to integer: non-integral values are invalid', () => {
  assert.ok(invalidated(f('number'), f('integer')).includes('float'));
  assert.ok(!invalidated(f('number'), f('integer')).includes('int'));
});

test('a string type with a format matches the strings that do not fit it', () => {
  assert.deepEqual(invalidated(f('text'), f('email')), ['digits', 'text']);
  assert.deepEqual(invalidated(f('text'), f('enum', { options: options('hello') })), ['digits', 'email']);
  assert.deepEqual(invalidated(f('text'), f('text', { pattern: '^[0-9]+$' })), ['email', 'text']);
});

test('narrower ranges, lengths and option lists match the values outside them', () => {
  // 'mixed' holds 1 (< 3) as an element: MongoDB compares array elements too
  assert.deepEqual(invalidated(f('number', { max: 100 }), f('number', { min: 3, max: 10 })), ['big', 'float', 'mixed']);
  assert.deepEqual(invalidated(f('text', { maxLength: 100 }), f('text', { maxLength: 5 })), ['email']);
  assert.deepEqual(invalidated(f('text'), f('text', { minLength: 6 })), ['digits', 'text']);
  assert.deepEqual(invalidated(f('multienum', { options: options('a', 'b') }), f('multienum', { options: options('a') })), ['list']);
  assert.deepEqual(invalidated(f('longtext'), f('text', { maxLength: 4 })), ['digits', 'email', 'text']);
});

test('another reference target invalidates every stored reference', () => {
  const filter = changeImpactFilter(f('reference', { entity: 'company' }), f('reference', { entity: 'person' }));
  assert.deepEqual(filter, { f: { $ne: null } });
});

test('combined changes are one $or over the field, and BSON-only types use $type aliases', () => {
  assert.deepEqual(changeImpactFilter(f('text'), f('reference', { entity: 'company', required: true })), {
    $or: [{ f: { $eq: null } }, { f: { $type: 'array' } }, { f: { $ne: null, $not: { $type: ['objectId'] } } }],
  });
  assert.deepEqual(changeImpactFilter(f('number'), f('money')), {
    $or: [{ f: { $type: 'array' } }, { f: { $ne: null, $not: { $type: ['decimal'] } } }],
  });
});
